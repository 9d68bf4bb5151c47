"""Promises about secrets and sessions that users rely on without seeing them."""

import datetime as dt
import logging

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from conftest import login
from tyollisyystalo.clients.models import ClientIdentity


@pytest.mark.django_db
def test_henkilotunnus_never_reaches_logs_or_urls(client, sari, aino, caplog):
    hetu = ClientIdentity.objects.get(client=sari).hetu
    login(client, aino)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("clients:search"), {"hetu": hetu})
        client.post(reverse("clients:search"), {"hetu": hetu[:-1] + "X"})
        client.post(
            reverse("clients:register"),
            {"first_names": "A", "last_name": "B", "hetu": hetu, "language": "fi"},
        )
        response = client.post(reverse("clients:search"), {"hetu": hetu}, follow=True)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert hetu not in logged
    assert hetu[:6] not in logged
    assert all(hetu not in url for url, _ in response.redirect_chain)


@pytest.mark.django_db
def test_identity_code_is_stored_encrypted(sari):
    from django.db import connection

    stored = ClientIdentity.objects.get(client=sari)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hetu, hetu_hash FROM clients_clientidentity WHERE id = %s", [stored.pk]
        )
        raw_hetu, raw_hash = cursor.fetchone()
    assert stored.hetu not in raw_hetu
    assert raw_hetu.startswith("v1:")
    assert stored.hetu not in raw_hash


@pytest.mark.django_db
def test_admin_is_for_verified_superusers_only(client, aino):
    login(client, aino)
    assert client.get("/hallinta/").status_code == 302  # staff member, not a superuser
    aino.user.is_staff = aino.user.is_superuser = True
    aino.user.save()
    assert client.get("/hallinta/").status_code == 200
    unverified = HttpClient()
    unverified.force_login(aino.user)  # password only, no second factor
    assert unverified.get("/hallinta/").status_code == 302


def test_admin_registers_no_client_data():
    from django.contrib import admin

    from tyollisyystalo.clients.models import Client, ClientEntry
    from tyollisyystalo.consents.models import Consent, EmergencyAccess

    for model in (Client, ClientIdentity, ClientEntry, Consent, EmergencyAccess):
        assert not admin.site.is_registered(model)


@pytest.mark.django_db
def test_expired_api_token_is_refused_and_deleted(sari, aino):
    token = Token.objects.create(user=aino.user)
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - settings.API_TOKEN_TTL - dt.timedelta(minutes=1)
    )
    response = HttpClient().get(
        reverse("v1:client-card", kwargs={"client_id": sari.id}),
        HTTP_AUTHORIZATION=f"Bearer {token.key}",
    )
    assert response.status_code == 401
    assert "vanhentunut" in response.json()["detail"]
    assert not Token.objects.filter(pk=token.pk).exists()


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
