"""Contact requests: the public form, the municipality's queue, handling and conversion."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationFactory, login, make_person
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.hetu import contains_hetu
from tyollisyystalo.clients.models import ClientEntry, ClientIdentity, TeamMembership
from tyollisyystalo.contact_requests.forms import normalise_phone
from tyollisyystalo.contact_requests.models import ContactRequest, ContactRequestEvent, Status
from tyollisyystalo.contact_requests.services import (
    ContactInput,
    contact_request_close,
    contact_request_convert,
    contact_request_mark_contacted,
    contact_request_submit,
    contact_requests_purge,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.roles import Role

CONTACT = reverse("contact_requests:contact")
QUEUE = reverse("contact_requests:queue")
_sources = itertools.count()


@pytest.fixture
def places(db):
    return {
        code: Municipality.objects.create(code=code, name_fi=name)
        for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä"))
    }


@pytest.fixture
def north(places):
    org = OrganisationFactory.create(code="org-pohjala", name_fi="Pohjalan työllisyyspalvelut")
    org.municipalities.set([places["X02"]])
    return org


@pytest.fixture
def south(places):
    org = OrganisationFactory.create(code="org-esimerkkila", name_fi="Esimerkkilän palvelut")
    org.municipalities.set([places["X01"]])
    return org


@pytest.fixture
def aino(south):
    return make_person("aino", "Aino Koordinaattori", south, Role.COORDINATOR)


@pytest.fixture
def pekka(north):
    return make_person("pekka", "Pekka Pohjalainen", north, Role.COORDINATOR)


def form_data(municipality: Municipality, **overrides: str) -> dict[str, str]:
    data = {
        "name": "Maija Meikäläinen",
        "phone": "040 123 4567",
        "email": "",
        "municipality": str(municipality.pk),
        "language": "fi",
        "other_language": "",
        "contact_time": "morning",
        "message": "Velat painavat enkä saa nukuttua.",
        "consent_contact": "on",
        "consent_store": "on",
        "kotisivu": "",
    }
    data.update(overrides)
    return data


def submit(municipality: Municipality, **overrides: object) -> ContactRequest:
    values: dict[str, object] = {
        "name": "Maija Meikäläinen",
        "municipality": municipality,
        "phone": "+358401234567",
        "consent_contact": True,
        "consent_store": True,
    }
    values.update(overrides)
    source = f"10.0.{next(_sources) // 250}.{next(_sources) % 250}"
    return contact_request_submit(data=ContactInput(**values), source=source)  # type: ignore[arg-type]


# --- The public form ---------------------------------------------------------------------------


def test_form_offers_only_municipalities_where_someone_receives_requests(client, aino, places):
    page = client.get(CONTACT).content.decode()
    assert "Esimerkkilä" in page
    assert "Pohjala" not in page
    assert "Järvikylä" not in page


def test_sending_stores_encrypted_request_and_shows_receipt(client, aino, places):
    response = client.post(CONTACT, form_data(places["X01"]))
    assert response.status_code == 302
    item = ContactRequest.objects.get()
    assert item.status == Status.NEW
    assert item.municipality == places["X01"]
    assert item.phone == "+358401234567"
    receipt = client.get(response["Location"]).content.decode()
    assert item.receipt in receipt
    assert "Esimerkkilä" in receipt
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, message FROM contact_requests_contactrequest")
        raw = " ".join(cursor.fetchone())
    assert "Maija" not in raw
    assert "401234567" not in raw
    assert "Velat" not in raw


def test_receipt_page_without_a_request_goes_to_the_form(client, db):
    response = client.get(reverse("contact_requests:receipt"))
    assert response.status_code == 302
    assert response["Location"] == CONTACT


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Anna puhelinnumero tai sähköpostiosoite"),
        ({"phone": "12"}, "phone", "Tarkista puhelinnumero"),
        ({"email": "maija@"}, "email", "sähköpostiosoite"),
        ({"name": "  "}, "name", "Kirjoita nimesi"),
        ({"consent_contact": ""}, "consent_contact", "luvan ottaa sinuun yhteyttä"),
        ({"consent_store": ""}, "consent_store", "luvan tallentaa"),
        ({"language": "other"}, "other_language", "millä kielellä"),
        ({"message": "Hetuni on 010190-900P, soittakaa."}, "message", "Poista henkilötunnus"),
        ({"message": "Hetuni on 010190900P."}, "message", "Poista henkilötunnus"),
        ({"message": "Hetuni on 010190 900P."}, "message", "Poista henkilötunnus"),
        ({"message": "Hetuni on 010190\u2013900P."}, "message", "Poista henkilötunnus"),
        ({"message": "Hetuni on 0101\u200b90-900P."}, "message", "Poista henkilötunnus"),
        ({"message": "hetu010190-900Pkiitos"}, "message", "Poista henkilötunnus"),
        ({"name": "Maija 010190-900P"}, "name", "Poista henkilötunnus"),
        ({"name": "Maija 010190\u2013900P"}, "name", "Poista henkilötunnus"),
        ({"email": "010190-900p@example.fi"}, "email", "Poista henkilötunnus"),
        ({"language": "other", "other_language": "010190 900P"}, "other_language", "Poista"),
    ],
)
def test_bad_input_is_refused_clearly_and_keeps_what_was_typed(
    client, aino, places, overrides, field, message
):
    response = client.post(CONTACT, form_data(places["X01"], **overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message.casefold() in " ".join(form.errors[field]).casefold()
    page = response.content.decode()
    if overrides.get("name") is None:
        assert 'value="Maija Meikäläinen"' in page
    assert ContactRequest.objects.count() == 0


def test_unknown_municipality_is_refused(client, aino, places):
    response = client.post(CONTACT, form_data(places["X03"]))
    assert response.status_code == 400
    assert "municipality" in response.context["form"].errors
    assert ContactRequest.objects.count() == 0


def test_errors_follow_the_visitors_language(client, aino, places):
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    response = client.post(CONTACT, form_data(places["X01"], phone="", email=""))
    assert response.status_code == 400
    assert "telefonnummer" in response.content.decode().casefold()


def test_honeypot_stores_nothing(client, aino, places):
    response = client.post(CONTACT, form_data(places["X01"], kotisivu="http://spam.example"))
    assert response.status_code == 400
    assert ContactRequest.objects.count() == 0


def test_rate_limit_per_source_address(client, aino, places, settings):
    settings.CONTACT_REQUEST_MAX_PER_WINDOW = 2
    for _ in range(2):
        assert client.post(CONTACT, form_data(places["X01"])).status_code == 302
    response = client.post(CONTACT, form_data(places["X01"]))
    assert response.status_code == 429
    assert "Yritä tunnin päästä" in response.content.decode()
    assert 'value="Maija Meikäläinen"' in response.content.decode()
    assert ContactRequest.objects.count() == 2
    # Another address is not affected.
    other = client.post(CONTACT, form_data(places["X01"]), REMOTE_ADDR="127.0.0.2")
    assert other.status_code == 302


def test_self_assessment_answers_are_sent_only_when_chosen(client, aino, places):
    answers = {"sa_mieli": "3", "sa_talous": "2", "sa_terveys": "8"}
    prefill = client.post(CONTACT, {"step": "prefill", **answers})
    assert prefill.status_code == 200
    page = prefill.content.decode()
    assert 'name="sa_mieli" value="3"' in page
    assert "Itsearviosi vastaukset" in page
    assert ContactRequest.objects.count() == 0
    assert not prefill.context["form"].errors

    client.post(CONTACT, form_data(places["X01"], include_assessment="on", **answers))
    client.post(CONTACT, form_data(places["X01"], **answers))
    sent, not_sent = ContactRequest.objects.order_by("received_at")
    assert json.loads(sent.self_assessment)["answers"] == {"mieli": 3, "talous": 2, "terveys": 8}
    assert not_sent.self_assessment == ""


def test_self_assessment_result_page_offers_to_send_the_answers(client, aino, places):
    page = client.post(reverse("portal:self_assessment"), {"mieli": "2", "tyo": "9"})
    html = page.content.decode()
    assert 'name="sa_mieli" value="2"' in html
    assert 'name="step" value="prefill"' in html
    assert ContactRequest.objects.count() == 0


def test_phone_numbers_are_normalised():
    assert normalise_phone("040 123 4567") == "+358401234567"
    assert normalise_phone("+46 70 123 45 67") == "+46701234567"


def test_hetu_detection_needs_a_valid_check_character():
    assert contains_hetu("minun 010190-900P")
    assert not contains_hetu("tilaus 123456-789A")


def test_nothing_personal_is_logged(client, aino, places, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(CONTACT, form_data(places["X01"]))
    assert "Maija" not in caplog.text
    assert "401234567" not in caplog.text


# --- The queue -------------------------------------------------------------------------------


def test_queue_shows_only_own_municipalities_and_logs_what_it_shows(client, aino, pekka, places):
    mine = submit(places["X01"], name="Eero Esimerkki")
    theirs = submit(places["X02"], name="Pirkko Pohjola")
    login(client, aino)
    page = client.get(QUEUE).content.decode()
    assert "Eero Esimerkki" in page
    assert mine.receipt in page
    assert "Pirkko Pohjola" not in page
    assert theirs.receipt not in page
    logged = AccessLogEntry.objects.filter(object_type="contact_request")
    assert {e.object_id for e in logged} == {str(mine.id)}


def test_other_municipalitys_request_is_not_found_and_the_attempt_is_logged(
    client, aino, pekka, places
):
    theirs = submit(places["X02"], name="Pirkko Pohjola")
    login(client, aino)
    response = client.get(reverse("contact_requests:detail", args=[theirs.id]))
    assert response.status_code == 404
    assert "Pirkko" not in response.content.decode()
    entry = AccessLogEntry.objects.get(object_id=str(theirs.id))
    assert entry.outcome == Outcome.DENIED


def test_other_municipality_cannot_change_or_convert(client, aino, pekka, places):
    theirs = submit(places["X02"])
    login(client, aino)
    for name, data in (
        ("contacted", {}),
        ("close", {"close-reason": "no_answer"}),
        ("convert", {"convert-first_names": "A", "convert-last_name": "B"}),
    ):
        url = reverse(f"contact_requests:{name}", args=[theirs.id])
        assert client.post(url, data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW
    assert theirs.handled_by is None
    assert not ContactRequestEvent.objects.exists()
    assert ClientIdentity.objects.count() == 0
    assert not AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).exists()


@pytest.mark.parametrize("role", [Role.NURSE, Role.KELA_EXPERT, Role.MANAGER, Role.SERVICE_EDITOR])
def test_roles_without_the_duty_see_no_queue(client, south, places, role):
    submit(places["X01"], name="Eero Esimerkki")
    other = make_person("toinen", "Toinen Henkilö", south, role)
    login(client, other)
    response = client.get(QUEUE)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Eero" not in text[text.index("<main") :]  # the header names a random fake person
    assert not AccessLogEntry.objects.filter(object_type="contact_request").exists()


def test_anonymous_visitor_is_sent_to_login(client, aino, places):
    item = submit(places["X01"])
    response = client.get(reverse("contact_requests:detail", args=[item.id]))
    assert response.status_code == 302
    assert "kirjaudu" in response["Location"]


def test_queue_filters_by_status_and_counts(client, aino, places):
    first = submit(places["X01"], name="Eka Henkilö")
    submit(places["X01"], name="Toka Henkilö")
    contact_request_close(actor=aino, request_id=first.id, reason="no_answer")
    login(client, aino)
    open_page = client.get(QUEUE).content.decode()
    assert "Toka Henkilö" in open_page
    assert "Eka Henkilö" not in open_page
    closed = client.get(QUEUE, {"tila": "closed"})
    assert "Eka Henkilö" in closed.content.decode()
    assert closed.context["queue"].counts == {"new": 1, "closed": 1}
    assert client.get(QUEUE, {"tila": "bogus"}).status_code == 400


def test_navigation_shows_new_request_count(client, aino, places):
    submit(places["X01"])
    login(client, aino)
    page = client.get(QUEUE).content.decode()
    assert "1 uusi" in page


def test_queue_queries_do_not_grow_with_requests(client, aino, places):
    login(client, aino)
    submit(places["X01"])
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for n in range(10):
        submit(places["X01"], name=f"Henkilö {n}", phone=f"+35840123{n:04d}")
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many) == len(few)


# --- Handling -----------------------------------------------------------------------------------


def test_contacted_then_closed_records_who_and_when(client, aino, places):
    item = submit(places["X01"])
    login(client, aino)
    url = reverse("contact_requests:contacted", args=[item.id])
    assert client.post(url, {"contacted-note": "Soitettu, tapaaminen ti"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.CONTACTED
    assert item.handled_by == aino
    response = client.post(
        reverse("contact_requests:close", args=[item.id]), {"close-reason": "helped"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert item.close_reason == "helped"
    events = list(item.events.values_list("from_status", "to_status"))
    assert events == [("new", "contacted"), ("contacted", "closed")]
    detail = client.get(reverse("contact_requests:detail", args=[item.id])).content.decode()
    assert "Soitettu, tapaaminen ti" in detail
    assert "Aino Koordinaattori" in detail


def test_closing_for_other_reason_needs_a_note(client, aino, places):
    item = submit(places["X01"])
    login(client, aino)
    response = client.post(
        reverse("contact_requests:close", args=[item.id]), {"close-reason": "other"}
    )
    assert response.status_code == 400
    assert "Kerro lyhyesti" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.NEW
    assert not item.events.exists()


def test_handled_request_cannot_be_handled_again(aino, places):
    item = submit(places["X01"])
    contact_request_close(actor=aino, request_id=item.id, reason="duplicate")
    with pytest.raises(Exception, match="jo käsitelty"):
        contact_request_mark_contacted(actor=aino, request_id=item.id)
    assert item.events.count() == 1


def test_converting_creates_client_without_hetu_with_entries(client, aino, places):
    item = submit(
        places["X01"],
        name="Maija Liisa Meikäläinen",
        email="maija@example.fi",
        message="Velat painavat.",
        self_assessment={"mieli": 3, "talous": 2},
    )
    login(client, aino)
    detail = client.get(reverse("contact_requests:detail", args=[item.id]))
    assert detail.context["convert_form"].initial == {
        "first_names": "Maija Liisa",
        "last_name": "Meikäläinen",
    }
    response = client.post(
        reverse("contact_requests:convert", args=[item.id]),
        {"convert-first_names": "Maija Liisa", "convert-last_name": "Meikäläinen"},
    )
    assert response.status_code == 302
    identity = ClientIdentity.objects.get()
    assert response["Location"] == identity.client.get_absolute_url()
    assert identity.hetu == ""
    assert identity.hetu_hash is None
    assert identity.phone == "+358401234567"
    assert identity.email == "maija@example.fi"
    assert identity.municipality == places["X01"]
    assert TeamMembership.objects.get(client=identity.client).staff_member == aino
    entries = {e.category: e for e in ClientEntry.objects.filter(client=identity.client)}
    assert "Velat painavat." in entries[DataCategory.NOTES].body
    assert item.receipt in entries[DataCategory.NOTES].title
    assert "3 / 10" in entries[DataCategory.ASSESSMENTS].body
    item.refresh_from_db()
    assert item.status == Status.BECAME_CLIENT
    assert item.client == identity.client


def test_failed_conversion_changes_nothing(client, aino, places):
    item = submit(places["X01"])
    login(client, aino)
    response = client.post(
        reverse("contact_requests:convert", args=[item.id]),
        {"convert-first_names": "", "convert-last_name": "Meikäläinen"},
    )
    assert response.status_code == 400
    assert ClientIdentity.objects.count() == 0
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_a_request_converts_only_once(aino, places):
    item = submit(places["X01"])
    contact_request_convert(actor=aino, request_id=item.id, first_names="M", last_name="M")
    with pytest.raises(Exception, match="jo käsitelty"):
        contact_request_convert(actor=aino, request_id=item.id, first_names="M", last_name="M")
    assert ClientIdentity.objects.count() == 1


def test_purge_erases_personal_data_after_retention(aino, places, settings):
    settings.CONTACT_REQUEST_RETENTION_DAYS = 30
    old = submit(places["X01"], message="Salaista")
    recent = submit(places["X01"], name="Tuore Pyyntö")
    waiting = submit(places["X01"], name="Odottava Pyyntö")
    long_ago = timezone.now() - dt.timedelta(days=40)
    contact_request_close(actor=aino, request_id=old.id, reason="helped", note="x", at=long_ago)
    contact_request_close(actor=aino, request_id=recent.id, reason="helped")
    assert contact_requests_purge() == 1
    assert contact_requests_purge() == 0
    old.refresh_from_db()
    assert old.name == "-"
    assert old.phone == ""
    assert old.message == ""
    assert old.purged_at
    assert old.events.get().note == ""
    recent.refresh_from_db()
    waiting.refresh_from_db()
    assert recent.name == "Tuore Pyyntö"
    assert waiting.name == "Odottava Pyyntö"
