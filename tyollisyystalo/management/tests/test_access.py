"""Who reaches the management pages: the role table read a second time, by hand."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.staff.roles import Role

# A second reading of the rules: who sees management figures at all.
SEES_MANAGEMENT = {Role.MANAGER, Role.STEERING_GROUP}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_management_front_page_by_role(client: HttpClient, role: Role) -> None:
    staff = StaffFactory.create(role=role)
    login(client, staff)
    before = AccessLogEntry.objects.count()
    response = client.get("/johtaminen/")
    assert response.status_code == (200 if role in SEES_MANAGEMENT else 403)
    assert AccessLogEntry.objects.count() == before
    nav_link = 'href="/johtaminen/"'
    page = (
        client.get("/").content.decode()
        if role not in SEES_MANAGEMENT
        else response.content.decode()
    )
    assert (nav_link in page) == (role in SEES_MANAGEMENT)
