import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_consent
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.consents.models import Consent, ConsentVersion
from tyollisyystalo.consents.services import (
    ConsentInput,
    consent_record,
    consent_revise,
    consent_withdraw,
)


def consent_input(county, employment, **overrides):
    values: dict[str, Any] = {
        "disclosing_organisation_ids": frozenset({county.pk}),
        "receiving_organisation_ids": frozenset({employment.pk}),
        "categories": frozenset({"health"}),
        "purpose": "Työkyvyn arviointi",
        "method": "written_form",
        "form_reference": "Kela Y100",
        "valid_from": timezone.localdate(),
    }
    values.update(overrides)
    return ConsentInput(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"categories": frozenset()}, "categories"),
        ({"receiving_organisation_ids": frozenset()}, "receiving_organisations"),
        ({"valid_until": dt.date(2020, 1, 1)}, "valid_until"),
        ({"method": "oral", "valid_until": None}, "valid_until"),
        ({"legal_basis": "statute", "statute": ""}, "statute"),
        ({"purpose": "  "}, "purpose"),
    ],
)
def test_invalid_consent_is_refused_and_nothing_is_saved(
    sari, bertta, county, employment, overrides, field
):
    with pytest.raises(ValidationError) as error:
        consent_record(
            actor=bertta, client_id=sari.id, data=consent_input(county, employment, **overrides)
        )
    assert field in error.value.message_dict
    assert Consent.objects.count() == 0
    assert not AccessLogEntry.objects.filter(object_type="consent").exists()


@pytest.mark.django_db
def test_consent_opens_and_withdrawal_closes_access_at_once(sari, aino, bertta, county, employment):
    def sees_health():
        return any(
            e.category == "health"
            for e in client_card_get(staff=aino, client_id=sari.id, purpose="t").entries
        )

    assert not sees_health()
    consent = consent_record(
        actor=bertta, client_id=sari.id, data=consent_input(county, employment)
    )
    assert sees_health()
    consent_withdraw(actor=bertta, consent_id=consent.pk, method="oral")
    assert not sees_health()
    log = AccessLogEntry.objects.filter(client_id=sari.id, object_type="consent").values_list(
        "action", flat=True
    )
    assert list(log.order_by("id")) == ["create", "withdraw"]


@pytest.mark.django_db
def test_a_change_makes_a_new_version_and_keeps_the_old(sari, bertta, county, employment):
    consent = consent_record(
        actor=bertta, client_id=sari.id, data=consent_input(county, employment)
    )
    consent_revise(
        actor=bertta,
        consent_id=consent.pk,
        data=consent_input(county, employment, categories=frozenset({"health", "plan"})),
    )
    versions = ConsentVersion.objects.filter(consent=consent).order_by("number")
    assert [(v.number, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert {c.category for c in versions[0].categories.all()} == {"health"}


@pytest.mark.django_db
def test_withdrawn_consent_cannot_be_withdrawn_again_or_revised(sari, bertta, county, employment):
    consent = make_consent(
        sari,
        disclosing=[county],
        receiving=[employment],
        categories=["health"],
        recorder=bertta,
        withdrawn=True,
    )
    with pytest.raises(ValidationError):
        consent_withdraw(actor=bertta, consent_id=consent.pk, method="oral")
    with pytest.raises(ValidationError):
        consent_revise(actor=bertta, consent_id=consent.pk, data=consent_input(county, employment))


@pytest.mark.django_db
def test_staff_outside_the_clients_team_cannot_record_consents(sari, county, employment):
    from django.http import Http404

    from conftest import StaffFactory
    from tyollisyystalo.staff.roles import Role

    stranger = StaffFactory.create(organisation=county, role=Role.NURSE)
    with pytest.raises(Http404):
        consent_record(actor=stranger, client_id=sari.id, data=consent_input(county, employment))
    assert Consent.objects.count() == 0
