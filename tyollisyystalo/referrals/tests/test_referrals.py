"""Closed-loop referrals: refused without consent, shared only what was chosen, answered."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_entry, login, make_consent, make_person
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import CaseDeadline
from tyollisyystalo.cases.services import case_open
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRelationship, TeamMembership
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.referrals.services import (
    referral_answer,
    referral_cancel,
    referral_complete,
    referral_send,
)
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


@pytest.fixture
def ngo(db):
    return Organisation.objects.create(code="klubitalo", name_fi="Klubitalo", type="ngo")


@pytest.fixture
def coach(ngo):
    return make_person("jussi", "Jussi Valmentaja", ngo, Role.JOB_COACH)


@pytest.fixture
def case(sari, aino):
    return case_open(
        actor=aino,
        client_id=sari.id,
        entry_route="self",
        referred_on=TODAY - dt.timedelta(days=5),
        coordinator=aino,
    )


def send(aino, case, ngo, categories=("education_work",)):
    return referral_send(
        actor=aino,
        case_id=case.id,
        reason="Työhönvalmennus",
        categories=categories,
        receiving_organisation=ngo,
    )


def consent(sari, aino, employment, ngo, categories=("identity", "education_work")):
    return make_consent(
        sari, disclosing=[employment], receiving=[ngo], categories=list(categories), recorder=aino
    )


@pytest.mark.django_db
def test_referral_without_consent_is_refused_saying_what_is_missing(sari, aino, case, ngo):
    with pytest.raises(ValidationError) as caught:
        send(aino, case, ngo)
    message = " ".join(caught.value.message_dict["categories"])
    assert "Henkilö- ja yhteystiedot" in message
    assert "Koulutus- ja työhistoria" in message
    assert "Kirjaa suostumus" in message
    assert not Referral.objects.exists()
    assert not CaseDeadline.objects.filter(kind="referral_answer").exists()


@pytest.mark.django_db
def test_consent_for_only_some_categories_is_still_refused(sari, aino, case, ngo, employment):
    consent(sari, aino, employment, ngo, categories=("identity",))
    with pytest.raises(ValidationError) as caught:
        send(aino, case, ngo, categories=("education_work", "health"))
    message = " ".join(caught.value.message_dict["categories"])
    assert "Henkilö- ja yhteystiedot" not in message
    assert "Terveys ja toimintakyky" in message


@pytest.mark.django_db
def test_the_receiver_sees_the_chosen_categories_only_and_the_loop_closes(
    client, sari, aino, case, ngo, coach, employment
):
    consent(sari, aino, employment, ngo)
    add_entry(sari, employment, aino, DataCategory.EDUCATION_WORK, "Työhistoria")
    add_entry(sari, employment, aino, DataCategory.SOCIAL, "Sosiaalinen tilanne")
    referral = send(aino, case, ngo)
    disclosed = AccessLogEntry.objects.get(object_type="referral", action="disclose")
    assert disclosed.basis == "consent"
    assert disclosed.categories == "education_work,identity"
    login(client, coach)
    worklist = client.get(reverse("cases:worklist")).content.decode()
    assert "Esimerkki, Sari" in worklist
    page = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.id}))
    text = page.content.decode()
    assert "Työhistoria" in text
    assert "Sosiaalinen tilanne" not in text
    declined = client.post(
        reverse("referrals:answer", kwargs={"referral_id": referral.id}), {"answer": "decline"}
    )
    assert declined.status_code == 400
    referral_answer(actor=coach, referral_id=referral.id, accept=True)
    assert ClientRelationship.objects.filter(client=sari, organisation=ngo).exists()
    assert TeamMembership.objects.filter(client=sari, staff_member=coach).exists()
    assert CaseDeadline.objects.get(referral_id=referral.id).done_on == TODAY
    referral_complete(actor=coach, referral_id=referral.id, result="Työpaikka löytyi.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    client.logout()
    login(client, aino)
    sender_view = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.id}))
    assert "Työpaikka löytyi." in sender_view.content.decode()


@pytest.mark.django_db
def test_withdrawn_consent_hides_the_shared_data_from_the_receiver(
    client, sari, aino, case, ngo, coach, employment
):
    given = consent(sari, aino, employment, ngo)
    add_entry(sari, employment, aino, DataCategory.EDUCATION_WORK, "Työhistoria")
    referral = send(aino, case, ngo)
    given.withdrawn_at = timezone.now() - dt.timedelta(seconds=1)
    given.withdrawn_by = aino
    given.withdrawal_method = "oral"
    given.save()
    login(client, coach)
    text = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.id})).content
    assert "Työhistoria</h3>" not in text.decode()
    assert b"perunut suostumuksen" in text
    assert "Esimerkki, Sari" not in text.decode()


@pytest.mark.django_db
def test_others_get_nothing_and_cannot_answer(client, sari, aino, case, ngo, employment, cecilia):
    consent(sari, aino, employment, ngo)
    referral = send(aino, case, ngo)
    outsider = StaffFactory.create(organisation=ngo, role=Role.SERVICE_EDITOR)
    for person in (cecilia, outsider):
        login(client, person)
        response = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.id}))
        assert response.status_code in {403, 404}
        assert "Työhönvalmennus" not in response.content.decode()
        client.logout()
    with pytest.raises(Http404):
        referral_answer(actor=cecilia, referral_id=referral.id, accept=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


@pytest.mark.django_db
def test_unanswered_referral_is_flagged_to_the_sender_after_the_set_time(
    client, sari, aino, case, ngo, employment, settings
):
    consent(sari, aino, employment, ngo)
    referral = send(aino, case, ngo)
    Referral.objects.filter(pk=referral.pk).update(answer_due_on=TODAY - dt.timedelta(days=1))
    CaseDeadline.objects.filter(referral_id=referral.pk).update(due_on=TODAY - dt.timedelta(days=1))
    login(client, aino)
    worklist = client.get(reverse("cases:worklist")).content.decode()
    assert "Lähete odottaa vastausta" in worklist
    referral_cancel(actor=aino, referral_id=referral.id)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
