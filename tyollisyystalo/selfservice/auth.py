"""Clients log in with strong identification through OpenID Connect (a Suomi.fi-style provider).

The provider's henkilötunnus claim is matched, by its keyed hash, to a client in the registry.
Only registered clients get in; the henkilötunnus itself is never stored on the account or
logged.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from tyollisyystalo.clients.hetu import InvalidHetu
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.selfservice.models import ClientAccount


def client_for_hetu(hetu: str) -> uuid.UUID | None:
    try:
        digest = hetu_lookup_hash(hetu)
    except InvalidHetu:
        return None
    return (
        ClientIdentity.objects.filter(hetu_hash=digest).values_list("client_id", flat=True).first()
    )


class ClientOIDCBackend(OIDCAuthenticationBackend):
    """Maps the identity provider's henkilötunnus claim to a client account."""

    def _hetu(self, claims: dict[str, Any]) -> str:
        return str(claims.get(settings.OIDC_HETU_CLAIM, "")).strip()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._hetu(claims)) and client_for_hetu(self._hetu(claims)) is not None

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        client_id = client_for_hetu(self._hetu(claims))
        users = get_user_model().objects
        if client_id is None:
            return users.none()
        return users.filter(client_account__client_id=client_id, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> AbstractBaseUser | None:
        client_id = client_for_hetu(self._hetu(claims))
        if client_id is None:
            return None
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=f"client-{uuid.uuid4().hex}")
            user.set_unusable_password()
            user.save(update_fields=["password"])
            ClientAccount.objects.create(user=user, client_id=client_id)
        return user

    def update_user(self, user: AbstractBaseUser, claims: dict[str, Any]) -> AbstractBaseUser:
        return user  # nothing from the provider is copied onto the account
