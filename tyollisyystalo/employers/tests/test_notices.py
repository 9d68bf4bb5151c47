import datetime as dt

import pytest
from django.core import mail

from tyollisyystalo.employers.models import EmployerContact
from tyollisyystalo.employers.notices import owner_notices_send


@pytest.mark.django_db
def test_owner_emailed_once_of_other_coaches_contact_without_notes(
    coach, coach2, employer, klubi, askel
):
    coach.user.email = "omistaja@example.com"
    coach.user.save()
    EmployerContact.objects.create(
        employer=employer,
        coach=coach2,
        contacted_on=dt.date(2026, 3, 1),
        kind="call",
        owner_organisation=klubi,
        notes="Salainen muistiinpano",
    )
    EmployerContact.objects.create(
        employer=employer,
        coach=coach,
        contacted_on=dt.date(2026, 3, 2),
        kind="call",
        owner_organisation=askel,
    )
    assert owner_notices_send() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["omistaja@example.com"]
    assert coach2.display_name in mail.outbox[0].body
    assert "Salainen" not in mail.outbox[0].body
    assert owner_notices_send() == 0
    assert len(mail.outbox) == 1
