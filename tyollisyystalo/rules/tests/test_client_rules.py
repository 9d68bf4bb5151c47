"""The rules on the client's case: answers with "why?", the facts form, and who gets nothing."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_to_team, login, make_consent
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.rules.facts import FACT_SPECS
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.rules.presentation import FACT_GROUPS
from tyollisyystalo.rules.services import client_rule_facts_record
from tyollisyystalo.staff.roles import Role


def rules_url(client_obj, on=""):
    url = reverse("rules:client_rules", kwargs={"client_id": client_obj.id})
    return f"{url}?on={on}" if on else url


def card_url(client_obj):
    return reverse("casefile:card", kwargs={"client_id": client_obj.id})


# An activation-plan client in 2025: over 25, with 520 days of labour market subsidy.
ACTIVATION = {
    "has_employment_plan": "yes",
    "labour_market_subsidy_days_total": "520",
    "labour_market_subsidy_days_last_12_months": "200",
    "earnings_related_max_period_reached": "no",
    "has_integration_plan": "no",
    "in_multisector_service": "no",
}


def allowed_reads(since: int):
    return AccessLogEntry.objects.filter(id__gt=since, outcome="allowed", action="read")


def last_seq() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_fact_is_in_exactly_one_group_of_the_form():
    names = [name for _, group in FACT_GROUPS for name in group]
    assert sorted(names) == sorted(FACT_SPECS)


@pytest.mark.django_db
def test_card_shows_the_answers_and_what_is_missing_before_any_facts(client, sari, aino):
    login(client, aino)
    response = client.get(card_url(sari))
    assert response.status_code == 200
    text = response.text
    assert "Lakisääteiset arviot" in text
    assert "Aktivointisuunnitelma" in text
    assert "Ei voida päätellä: tietoja puuttuu" in text
    assert "Vastaukseen tarvitaan vielä:" in text
    assert "Työllistymissuunnitelma laadittu" in text  # a missing fact, by its label
    assert "Tietoja ei ole vielä kirjattu." in text


@pytest.mark.django_db
def test_coordinator_records_facts_and_sees_an_explained_yes(client, sari, aino):
    login(client, aino)
    before = last_seq()
    response = client.post(rules_url(sari), ACTIVATION)
    assert response.status_code == 302

    record = ClientRuleFacts.objects.get(client=sari)
    assert record.owner_organisation_id == aino.organisation_id
    assert record.category == "employment_services"
    assert record.author == aino
    assert record.facts["labour_market_subsidy_days_total"] == 520
    assert record.facts["has_employment_plan"] is True
    assert "birth_date" not in record.facts  # the henkilötunnus stays its source
    created = AccessLogEntry.objects.get(id__gt=before, action="create")
    assert (created.object_type, created.object_id) == ("rule_facts", str(record.pk))

    # On 1.6.2025 the labour-market-subsidy alternatives were still in force (HE 109/2025).
    page = client.get(rules_url(sari, "2025-06-01")).text
    answer = page.split('id="rule-activation_plan_target_group"')[1].split('class="rule-answer"')[0]
    assert "status-yes" in answer
    assert "Miksi?" in answer
    assert "189/2001" in answer
    assert "Työmarkkinatukipäivät työttömyyden perusteella yhteensä: 520" in answer
    card = client.get(card_url(sari)).text
    assert 'id="rule-activation_plan_target_group"' in card
    assert "Tiedot päivitetty" in card


@pytest.mark.django_db
def test_saving_the_same_facts_again_makes_no_new_version(client, sari, aino):
    login(client, aino)
    client.post(rules_url(sari), ACTIVATION)
    response = client.post(rules_url(sari), ACTIVATION, follow=True)
    assert "Tiedot eivät muuttuneet." in response.text
    assert ClientRuleFacts.objects.filter(client=sari).count() == 1
    changed = dict(ACTIVATION, labour_market_subsidy_days_total="530")
    client.post(rules_url(sari), changed)
    assert ClientRuleFacts.objects.filter(client=sari).count() == 2
    assert "Tietojen versiot" in client.get(rules_url(sari)).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("labour_market_subsidy_days_total", "abc", "Enter a whole number."),
        ("labour_market_subsidy_days_total", "-1", "Ensure this value is greater than"),
        ("unemployed_months_last_14", "15", "Ensure this value is less than"),
        ("birth_date", "2999-01-01", "The date cannot be in the future."),
        ("birth_date", "1.1.1980", "Enter a valid date."),
        ("pay_subsidy_ground", "lottery", "Select a valid choice."),
        ("has_employment_plan", "maybe", "Select a valid choice."),
    ],
)
def test_bad_facts_are_refused_with_a_message_and_nothing_is_saved(
    client, sari, aino, field, value, message
):
    login(client, aino)
    client.cookies["tt_language"] = "en"
    response = client.post(rules_url(sari), dict(ACTIVATION, **{field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert "Check the details" in response.text
    assert not ClientRuleFacts.objects.exists()


@pytest.mark.django_db
def test_errors_and_answers_are_in_swedish_when_chosen(client, sari, aino):
    login(client, aino)
    client.cookies["tt_language"] = "sv"
    response = client.post(rules_url(sari), dict(ACTIVATION, birth_date="2999-01-01"))
    assert response.status_code == 400
    assert "Datumet kan inte ligga i framtiden." in response.text
    page = client.get(rules_url(sari)).text
    assert "Aktiveringsplan" in page
    assert "Varför?" in page


@pytest.mark.django_db
def test_a_bad_evaluation_date_is_a_400_and_an_early_one_says_what_is_modelled(client, sari, aino):
    login(client, aino)
    response = client.get(rules_url(sari, "2025-02-30"))
    assert response.status_code == 400
    assert "Anna päivämäärä muodossa VVVV-KK-PP." in response.text
    early = client.get(rules_url(sari, "2020-06-01"))
    assert early.status_code == 200
    assert "Sääntö on mallinnettu 1.1.2022 alkaen." in early.text


@pytest.mark.django_db
def test_a_review_deadline_on_a_holiday_is_named_with_the_next_working_day(client, sari, aino):
    login(client, aino)
    # 6.10.2025 + 3 months = 6.1.2026, Epiphany (a Tuesday): next working day 7.1.2026.
    client.post(rules_url(sari), {"last_review_date": "2025-10-06"})
    page = client.get(rules_url(sari, "2025-11-01")).text
    assert "6.1.2026 (loppiainen; seuraava arkipäivä 7.1.2026)" in page


@pytest.mark.django_db
def test_the_age_comes_from_the_henkilotunnus(client, sari, aino):
    login(client, aino)
    birth = ClientIdentity.objects.get(client=sari).birth_date
    assert birth is not None
    page = client.get(rules_url(sari)).text
    assert f"Syntymäaika: {birth.day}.{birth.month}.{birth.year}" in page


@pytest.mark.django_db
def test_reading_the_rules_page_is_logged_as_a_read_of_rule_facts(client, sari, aino):
    login(client, aino)
    client.post(rules_url(sari), ACTIVATION)
    before = last_seq()
    client.get(rules_url(sari))
    entry = allowed_reads(before).get()
    assert entry.object_type == "rule_facts"
    assert set(entry.category_list) == {"identity", "employment_services"}
    assert entry.basis in {"team", "duty"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["nurse_in_team", "kela_outside", "manager", "anonymous"])
def test_denied_staff_get_nothing_change_nothing_and_nothing_is_logged_as_read(
    client, sari, aino, bertta, cecilia, mikko, who
):
    client_rule_facts_record(
        actor=aino,
        client_id=sari.id,
        facts={"labour_market_subsidy_days_total": 777, "has_employment_plan": True},
    )
    staff = {"nurse_in_team": bertta, "kela_outside": cecilia, "manager": mikko}.get(who)
    if staff is not None:
        login(client, staff)
    before = last_seq()

    page = client.get(rules_url(sari))
    posted = client.post(rules_url(sari), {"labour_market_subsidy_days_total": "1"})

    assert page.status_code in (302, 404)
    assert posted.status_code in (302, 403, 404)
    for response in (page, posted):
        # As a number of its own: a random UUID in a link may hold the digits ("…-a777-…").
        assert not re.search(r"\b777\b", response.text)
        assert "Lakisääteiset arviot" not in response.text
    assert ClientRuleFacts.objects.count() == 1
    assert not allowed_reads(before).exists()
    assert not AccessLogEntry.objects.filter(
        id__gt=before, action="create", outcome="allowed"
    ).exists()
    if who == "nurse_in_team":
        # The nurse sees Sari's card, but not the employment services' rule facts.
        card = client.get(card_url(sari))
        assert card.status_code == 200
        assert "Lakisääteiset arviot" not in card.text
        assert not re.search(r"\b777\b", card.text)
        assert not allowed_reads(before).filter(object_type="rule_facts").exists()


@pytest.mark.django_db
def test_another_organisation_sees_the_facts_only_with_consent(client, sari, aino, county):
    worker = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    add_to_team(sari, worker)
    client_rule_facts_record(
        actor=aino, client_id=sari.id, facts={"labour_market_subsidy_days_total": 777}
    )
    login(client, worker)

    without = client.get(rules_url(sari)).text
    assert not re.search(r"\b777\b", without)
    assert "Tietoja ei ole vielä kirjattu." in without

    make_consent(
        sari,
        disclosing=[aino.organisation],
        receiving=[county],
        categories=["employment_services"],
        recorder=aino,
    )
    before = last_seq()
    with_consent = client.get(rules_url(sari)).text
    assert "777" in with_consent
    bases = set(allowed_reads(before).values_list("basis", flat=True))
    assert "consent" in bases


@pytest.mark.django_db
def test_rules_page_queries_do_not_grow_with_versions(client, sari, aino):
    login(client, aino)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(rules_url(sari)).status_code == 200
            assert client.get(card_url(sari)).status_code == 200
        return len(ctx.captured_queries)

    client_rule_facts_record(actor=aino, client_id=sari.id, facts={"has_employment_plan": True})
    count()
    one = count()
    now = timezone.now()
    for n in range(30):
        client_rule_facts_record(
            actor=aino,
            client_id=sari.id,
            facts={"labour_market_subsidy_days_total": n},
            at=now + dt.timedelta(seconds=n),
        )
    assert count() == one
