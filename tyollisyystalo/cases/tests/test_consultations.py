"""Team consultations: an agenda of paths, attendance, decisions and follow-up tasks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login, make_consent, open_path
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.consultations import (
    consultation_create,
    consultation_decision_record,
    consultation_get,
    consultation_item_add,
    followup_task_add,
    followup_task_done,
    tasks_open,
)
from tyollisyystalo.cases.models import ConsultationItem

TODAY = timezone.localdate()


@pytest.fixture
def meeting(sari, aino):
    case = open_path(aino, sari)
    consultation = consultation_create(actor=aino, held_on=TODAY, title="Työkykytiimi")
    item = consultation_item_add(
        actor=aino, consultation_id=consultation.pk, case_id=case.id, question="Mitä seuraavaksi?"
    )
    return consultation, item


@pytest.mark.django_db
def test_a_path_is_brought_to_the_agenda_once_and_decisions_are_recorded(sari, aino, meeting):
    consultation, item = meeting
    with pytest.raises(ValidationError, match="jo tämän"):
        consultation_item_add(actor=aino, consultation_id=consultation.pk, case_id=item.case_id)
    consultation_decision_record(actor=aino, item_id=item.pk, decisions="Työkokeilu keväällä.")
    item.refresh_from_db()
    assert item.decisions == "Työkokeilu keväällä."
    page = consultation_get(staff=aino, consultation_id=consultation.pk)
    assert [str(v.identity) for v in page.items] == ["Esimerkki, Sari"]
    assert AccessLogEntry.objects.filter(object_type="consultation", client_id=sari.id).exists()


@pytest.mark.django_db
def test_a_task_reaches_the_responsible_persons_worklist_and_is_done(
    client, sari, aino, bertta, meeting, employment, county
):
    _consultation, item = meeting
    task = followup_task_add(
        actor=aino,
        item_id=item.pk,
        description="Varaa terveystarkastus",
        responsible=bertta,
        due_on=TODAY + dt.timedelta(days=7),
    )
    # Bertta of the county has no consent to the employment path: she sees a task, not its text.
    views = tasks_open(staff=bertta)
    assert [v.visible for v in views] == [False]
    login(client, bertta)
    text = client.get(reverse("cases:worklist")).content.decode()
    assert "Varaa terveystarkastus" not in text
    assert "sisältö näkyy vain asiakkaan suostumuksella" in text
    make_consent(
        sari, disclosing=[employment], receiving=[county], categories=["plan"], recorder=aino
    )
    text = client.get(reverse("cases:worklist")).content.decode()
    assert "Varaa terveystarkastus" in text
    client.post(reverse("cases:task_done", kwargs={"task_id": task.pk}))
    task.refresh_from_db()
    assert task.done_at is not None
    with pytest.raises(ValidationError):
        followup_task_done(actor=bertta, task_id=task.pk)


@pytest.mark.django_db
def test_another_organisation_cannot_open_the_consultation_or_add_to_it(
    client, sari, pasi_like, meeting
):
    consultation, _item = meeting
    login(client, pasi_like)
    response = client.get(
        reverse("cases:consultation", kwargs={"consultation_id": consultation.pk})
    )
    assert response.status_code == 404
    assert ConsultationItem.objects.count() == 1


@pytest.mark.django_db
def test_consultation_pages_for_the_coordinator(client, sari, aino, meeting):
    consultation, item = meeting
    login(client, aino)
    assert client.get(reverse("cases:consultations")).status_code == 200
    page = client.get(reverse("cases:consultation", kwargs={"consultation_id": consultation.pk}))
    assert "Mitä seuraavaksi?" in page.content.decode()
    response = client.post(
        reverse("cases:item_decisions", kwargs={"item_id": item.pk}),
        {"decisions": "Lääkärin arvio.", "consultation": consultation.pk},
    )
    assert response.status_code == 302
    case_page = client.get(reverse("cases:detail", kwargs={"case_id": item.case_id}))
    assert "Lääkärin arvio." in case_page.content.decode()


@pytest.fixture
def pasi_like(db):
    from conftest import OrganisationFactory, make_person
    from tyollisyystalo.staff.roles import Role

    other = OrganisationFactory.create(code="org-pohjala", name_fi="Pohjala")
    return make_person("pasi", "Pasi Peltola", other, Role.COORDINATOR)
