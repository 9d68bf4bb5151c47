"""Numbers people type into addresses and forms: a Unicode digit or a huge number is never a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login, open_path
from tyollisyystalo.cases.consultations import consultation_create
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.plans.tests.test_content import GOOD
from tyollisyystalo.shared.numbers import parse_int, parse_ints

TODAY = timezone.localdate()
# Superscript two, Arabic-Indic three, fullwidth four, a Devanagari one; then int()'s leniencies.
NOT_ASCII = ["²", "٣", "\uff14", "१", " 1", "1 ", "1_0", "+1", "-1", "1.0", "", "x", "1\x00"]
HUGE = ["9" * 20, "9" * 5000]


@pytest.mark.parametrize("raw", [*NOT_ASCII, *HUGE, None, 3])
def test_only_plain_ascii_digits_within_bounds_are_numbers(raw):
    assert parse_int(raw, low=0, high=1000) is None


def test_plain_digits_are_read_and_bounded():
    assert parse_int("0") == 0
    assert parse_int("0042") == 42
    assert parse_int("7", low=1, high=7) == 7
    assert parse_int("8", low=1, high=7) is None
    assert parse_int("0", low=1) is None
    assert parse_ints(["1", "22"]) == [1, 22]
    assert parse_ints(["1", "²"]) is None


BAD = ["²", "٣", "\uff14", "9" * 30, "9" * 5000, "-1", "1\x00"]


@pytest.fixture
def plan(sari, aino):
    case = open_path(aino, sari)
    return plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )


@pytest.mark.django_db
@pytest.mark.parametrize("raw", BAD)
def test_the_worklist_shows_the_first_page_for_a_bad_page_number(client, aino, raw):
    login(client, aino)
    response = client.get(reverse("cases:worklist"), {"sivu": raw}, follow=False)
    assert response.status_code == 200
    assert "Sivunumero ei kelpaa" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", BAD)
@pytest.mark.parametrize("name", ["plans:detail", "plans:pdf"])
def test_a_bad_plan_version_number_is_a_400(client, aino, plan, raw, name):
    login(client, aino)
    response = client.get(reverse(name, kwargs={"plan_id": plan.id}), {"versio": raw})
    assert response.status_code == 400
    assert "Versionumero ei kelpaa" in response.content.decode()


@pytest.mark.django_db
def test_a_plan_version_that_does_not_exist_is_a_404(client, aino, plan):
    login(client, aino)
    response = client.get(reverse("plans:detail", kwargs={"plan_id": plan.id}), {"versio": "7"})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("raw", BAD)
def test_a_plan_save_with_a_bad_base_version_is_a_conflict_and_keeps_the_input(
    client, aino, plan, raw
):
    from tyollisyystalo.plans.tests.test_plan_pages import editor_post

    login(client, aino)
    response = client.post(
        reverse("plans:edit", kwargs={"plan_id": plan.id}),
        editor_post(GOOD["goals"], GOOD["actions"], summary="Uusi teksti", base_number=raw),
    )
    assert response.status_code == 409
    assert "Uusi teksti" in response.content.decode()
    assert plan.versions.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("raw", BAD)
def test_a_bad_emergency_access_id_is_refused_without_a_500(client, mikko, raw):
    login(client, mikko)
    response = client.post(
        reverse("consents:emergency_reviews"), {"access_id": raw, "outcome": "justified"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Valitse tarkastuksen tulos." in page


@pytest.mark.django_db
@pytest.mark.parametrize("raw", BAD)
def test_bad_attendee_ids_are_refused_without_a_500(client, aino, raw):
    consultation = consultation_create(actor=aino, held_on=TODAY, title="Työkykytiimi")
    before = set(consultation.attendees.values_list("pk", flat=True))
    login(client, aino)
    url = reverse("cases:consultation", kwargs={"consultation_id": consultation.pk})
    response = client.post(url, {"attendees": [raw]})
    assert response.status_code == 400
    assert set(consultation.attendees.values_list("pk", flat=True)) == before


@pytest.mark.django_db
@pytest.mark.parametrize("raw", BAD)
def test_a_bad_consultation_id_on_an_item_form_leads_back_to_the_list(client, aino, raw):
    login(client, aino)
    url = reverse("cases:item_task", kwargs={"item_id": 1})
    response = client.post(url, {"consultation": raw})
    assert response.status_code == 400
    assert reverse("cases:consultations") in response.content.decode()


@pytest.mark.django_db
def test_a_huge_id_in_the_address_is_a_404(client, aino):
    login(client, aino)
    response = client.get(
        reverse("cases:consultation", kwargs={"consultation_id": 1}).replace(
            "/1/", "/" + "9" * 25 + "/"
        )
    )
    assert response.status_code == 404
