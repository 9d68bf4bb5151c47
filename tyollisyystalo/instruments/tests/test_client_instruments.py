"""Answers on the client's record: recorded, charted over time, suggestions decided by people."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login, make_consent
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.instruments.models import (
    InstrumentResponse,
    InstrumentSuggestion,
    Respondent,
    SuggestionStatus,
)
from tyollisyystalo.instruments.services import instrument_response_record, suggestion_decide


def page_url(client_obj):
    return reverse("instruments:client_instruments", kwargs={"client_id": client_obj.id})


def form_url(client_obj, key):
    return reverse("instruments:response_create", kwargs={"client_id": client_obj.id, "key": key})


def last_seq() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def record(staff, client_obj, key="work_ability_score", days_ago=0, **answers):
    return instrument_response_record(
        actor=staff,
        client_id=client_obj.id,
        instrument_key=key,
        answers=answers or {"work_ability": 5},
        answered_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


@pytest.mark.django_db
def test_an_answer_is_stored_encrypted_with_version_author_and_result(sari, aino):
    response = record(aino, sari)
    assert response.instrument_version == "1"
    assert response.entered_by == aino
    assert response.owner_organisation_id == aino.organisation_id
    assert response.category == DataCategory.ASSESSMENTS
    assert response.total == 5
    assert response.band_label == "Huono (0–5)"
    with connection.cursor() as cursor:
        table = InstrumentResponse._meta.db_table
        cursor.execute(f"SELECT answers_json FROM {table} WHERE id = %s", [response.pk])
        assert "work_ability" not in cursor.fetchone()[0]  # encrypted at rest
    log = AccessLogEntry.objects.get(object_type="instrument_response")
    assert log.action == "create"
    assert log.categories == "assessments"


@pytest.mark.django_db
def test_a_low_score_makes_a_suggestion_that_only_a_person_decides(sari, aino):
    response = record(aino, sari)
    suggestion = InstrumentSuggestion.objects.get(response=response)
    assert suggestion.status == SuggestionStatus.OPEN
    assert "työkykykoordinaattorille" in suggestion.text
    with pytest.raises(ValidationError):
        suggestion_decide(
            actor=aino, suggestion_id=suggestion.pk, client_id=sari.id, accept=False, note=" "
        )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    suggestion_decide(
        actor=aino,
        suggestion_id=suggestion.pk,
        client_id=sari.id,
        accept=False,
        note="Asiakas on jo koordinaattorin asiakas.",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED
    assert suggestion.decided_by == aino
    assert suggestion.note.startswith("Asiakas")
    with pytest.raises(ValidationError, match="jo päätetty"):
        suggestion_decide(actor=aino, suggestion_id=suggestion.pk, client_id=sari.id, accept=True)


@pytest.mark.django_db
def test_future_dates_and_bad_answers_write_nothing(sari, aino):
    with pytest.raises(ValidationError) as caught:
        instrument_response_record(
            actor=aino,
            client_id=sari.id,
            instrument_key="work_ability_index",
            answers={"current_vs_best": 11},
            answered_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert {"answered_on", "current_vs_best", "demands"} <= set(caught.value.message_dict)
    assert not InstrumentResponse.objects.exists()


@pytest.mark.django_db
def test_kela_expert_outside_the_team_can_neither_record_nor_read(sari, aino, cecilia):
    record(aino, sari)
    before = last_seq()
    with pytest.raises(Http404):
        record(cecilia, sari)
    assert InstrumentResponse.objects.count() == 1
    denied = AccessLogEntry.objects.filter(id__gt=before)
    assert [e.outcome for e in denied] == ["denied"]


@pytest.mark.django_db
def test_manager_may_not_record(sari, mikko):
    with pytest.raises(PermissionDenied):
        record(mikko, sari)
    assert not InstrumentResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "manager", "kela_outside_team"])
def test_denied_page_returns_nothing_and_logs_no_read(client, sari, aino, mikko, cecilia, who):
    record(aino, sari)
    if who == "manager":
        login(client, mikko)
    elif who == "kela_outside_team":
        login(client, cecilia)
    before = last_seq()
    response = client.get(page_url(sari))
    assert response.status_code in {302, 403, 404}
    assert "Työkykypistemäärä" not in response.content.decode()
    reads = AccessLogEntry.objects.filter(id__gt=before, outcome="allowed")
    assert not reads.exists()


@pytest.mark.django_db
def test_nurse_in_the_team_sees_another_organisations_answers_only_with_consent(
    client, sari, aino, bertta, employment, county
):
    record(aino, sari)
    login(client, bertta)
    text = client.get(page_url(sari)).content.decode()
    assert "Viimeisin vastaus" not in text
    assert "Muilla organisaatioilla on vastauksia" in text
    make_consent(
        sari,
        disclosing=[employment],
        receiving=[county],
        categories=[DataCategory.ASSESSMENTS],
        recorder=aino,
    )
    before = last_seq()
    text = client.get(page_url(sari)).content.decode()
    assert "Työkykypistemäärä" in text
    assert "Viimeisin vastaus" in text
    reads = AccessLogEntry.objects.filter(id__gt=before, object_type="instrument_responses")
    assert {(r.basis, r.categories) for r in reads} == {
        ("team", "identity"),
        ("consent", "assessments"),
    }


@pytest.mark.django_db
def test_the_page_charts_answers_over_time_with_the_same_numbers_in_a_table(client, sari, aino):
    record(aino, sari, days_ago=90, work_ability=4)
    record(aino, sari, days_ago=30, work_ability=6)
    record(aino, sari, days_ago=0, work_ability=8)
    login(client, aino)
    response = client.get(page_url(sari))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<circle") == 3
    assert "<polyline" in text
    assert "<caption" in text
    assert "vastaukset ajan mittaan" in text
    for value in ("4", "6", "8"):
        assert f"<td>{value}</td>" in text
    assert "Hyvä (8–9)" in text


@pytest.mark.django_db
def test_recording_through_the_form_keeps_input_on_error_and_decides_suggestions(
    client, sari, aino
):
    login(client, aino)
    url = form_url(sari, "work_ability_index")
    bad = client.post(
        url, {"answered_on": timezone.localdate().isoformat(), "current_vs_best": "5"}
    )
    assert bad.status_code == 400
    assert 'value="5" checked' in bad.content.decode() or "checked" in bad.content.decode()
    assert not InstrumentResponse.objects.exists()
    good = client.post(
        url,
        {
            "answered_on": timezone.localdate().isoformat(),
            "current_vs_best": "3",
            "demands": "4.5",
            "diseases": "2",
            "impairment": "2",
            "sick_leave": "2",
            "prognosis": "4",
            "mental_resources": "2",
        },
    )
    assert good.status_code == 302
    response = InstrumentResponse.objects.get()
    assert response.total == Decimal("19.5")
    assert response.result["band"] == "poor"
    assert response.respondent == Respondent.PROFESSIONAL
    suggestion = InstrumentSuggestion.objects.get()
    page = client.get(page_url(sari)).content.decode()
    assert "Päätöstä odottavat ehdotukset" in page
    decided = client.post(
        reverse(
            "instruments:suggestion_decide",
            kwargs={"client_id": sari.id, "suggestion_id": suggestion.pk},
        ),
        {"decision": "accept"},
    )
    assert decided.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED


@pytest.mark.django_db
def test_a_suggestion_of_another_client_is_not_found_through_this_client(
    client, sari, aino, employment
):
    from conftest import add_to_team, make_client

    other = make_client(organisation=employment, name=("Olli", "Muu"))
    add_to_team(other, aino)
    response = record(aino, other)
    suggestion = response.suggestions.get()
    with pytest.raises(Http404):
        suggestion_decide(actor=aino, suggestion_id=suggestion.pk, client_id=sari.id, accept=True)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


@pytest.mark.django_db
def test_the_page_makes_the_same_number_of_queries_with_2_and_20_answers(client, sari, aino):
    login(client, aino)
    for n in range(2):
        record(aino, sari, days_ago=n)
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(sari))
    for n in range(2, 20):
        record(aino, sari, key="self_assessment", days_ago=n, terveys=n % 11, tyokyky=5)
    with CaptureQueriesContext(connection) as many:
        client.get(page_url(sari))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_dismissing_without_a_reason_is_a_400_that_says_so(client, sari, aino):
    response = record(aino, sari)
    suggestion = response.suggestions.get()
    login(client, aino)
    refused = client.post(
        reverse(
            "instruments:suggestion_decide",
            kwargs={"client_id": sari.id, "suggestion_id": suggestion.pk},
        ),
        {"decision": "dismiss", "note": ""},
    )
    assert refused.status_code == 400
    assert "Kerro lyhyesti, miksi ehdotus ei sovi." in refused.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
