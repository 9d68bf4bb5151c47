"""ICF codes on notes and the first meeting's resource-oriented mapping."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.clients.icf import IcfError, categories, parse_icf, parse_icf_list
from tyollisyystalo.clients.models import ClientEntry
from tyollisyystalo.clients.services import client_entry_create, first_meeting_record


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d850.2", "d850.2"),
        ("B130.1", "b130.1"),
        ("e310+3", "e310+3"),
        ("e5800.8", "e5800.8"),
        ("d240.9", "d240.9"),
        ("d850.0", "d850.0"),
    ],
)
def test_valid_icf_codes_are_normalised(text, expected):
    assert str(parse_icf(text)) == expected


@pytest.mark.parametrize(
    "text", ["d850", "d850.5", "d850.7", "s110.1", "d85.2", "b130+2", "d850.22", "850.2"]
)
def test_invalid_icf_codes_are_refused(text):
    with pytest.raises(IcfError):
        parse_icf(text)


def test_a_list_keeps_order_and_drops_repeats():
    codes = parse_icf_list("d850.2, b130.1; d850.2  e310+3")
    assert [str(c) for c in codes] == ["d850.2", "b130.1", "e310+3"]


def test_vocational_rehabilitation_categories_come_first():
    listed = categories()
    vocational = [c.code for c in listed if c.vocational]
    assert listed[0].vocational
    assert {"d850", "d845", "b130", "e590"} <= set(vocational)
    first_other = next(n for n, c in enumerate(listed) if not c.vocational)
    assert all(c.vocational for c in listed[:first_other])
    for category in listed:
        assert category.fi
        assert category.sv
        assert category.en


@pytest.mark.django_db
def test_an_entry_carries_icf_codes_encrypted_and_named(sari, aino):
    entry = client_entry_create(
        actor=aino,
        client_id=sari.id,
        category="notes",
        entry_date=timezone.localdate(),
        title="Työkyky",
        body="Keskustelu",
        icf_codes="d850.2 e310+3",
    )
    assert entry.icf_codes == "d850.2 e310+3"
    assert entry.icf == [("d850.2", "Ansiotyö"), ("e310+3", "Lähiperhe")]
    with pytest.raises(ValidationError) as caught:
        client_entry_create(
            actor=aino,
            client_id=sari.id,
            category="notes",
            entry_date=timezone.localdate(),
            title="x",
            body="y",
            icf_codes="d850.7",
        )
    assert "icf_codes" in caught.value.message_dict
    assert ClientEntry.objects.filter(title="x").count() == 0


@pytest.mark.django_db
def test_first_meeting_is_one_social_entry_with_strengths_first(client, sari, aino):
    entry = first_meeting_record(
        actor=aino,
        client_id=sari.id,
        entry_date=timezone.localdate(),
        sections={"limitations": "Selkäkipu", "strengths": "Ahkera", "situation": ""},
        icf_codes="b280.2",
    )
    assert entry.category == "social"
    assert entry.body.index("Vahvuudet") < entry.body.index("Haasteet ja tuen tarve")
    assert "Elämäntilanne" not in entry.body
    login(client, aino)
    url = reverse("clients:first_meeting", kwargs={"client_id": sari.id})
    page = client.get(url).content.decode()
    assert "ammatillisen kuntoutuksen ydinjoukko" in page
    empty = client.post(url, {"entry_date": timezone.localdate().isoformat()})
    assert empty.status_code == 400
    card = client.get(reverse("casefile:card", kwargs={"client_id": sari.id})).content.decode()
    assert "<code>b280.2</code> Kipuaistimus" in card


@pytest.mark.django_db
def test_a_refused_team_change_is_logged_as_denied(sari, aino, bertta):
    from django.http import Http404

    from conftest import StaffFactory
    from tyollisyystalo.audit.models import AccessLogEntry
    from tyollisyystalo.clients.models import TeamMembership
    from tyollisyystalo.clients.services import team_member_end
    from tyollisyystalo.staff.roles import Role

    outsider = StaffFactory.create(role=Role.COORDINATOR)
    membership = TeamMembership.objects.get(client=sari, staff_member=bertta)
    with pytest.raises(Http404):
        team_member_end(actor=outsider, client_id=sari.id, membership_id=membership.pk)
    membership.refresh_from_db()
    assert membership.ended_at is None
    assert AccessLogEntry.objects.filter(
        outcome="denied", client_id=sari.id, purpose="team change"
    ).exists()
