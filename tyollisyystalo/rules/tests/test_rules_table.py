"""Table-driven cases at every boundary the law draws (issue 4 part 7)."""

import datetime as dt

import pytest

from tyollisyystalo.rules import evaluate
from tyollisyystalo.rules.calendar import add_months, easter_sunday, finnish_holidays
from tyollisyystalo.rules.facts import age_on

D = dt.date
BASE_YOUNG = {"birth_date": "2001-06-15", "has_employment_plan": True}
EXCLUSIONS_NO = {"has_integration_plan": False, "in_multisector_service": False}


def decide(rule, facts, on):
    return evaluate(rule, facts, on).decision


@pytest.mark.parametrize(
    ("days", "expected"),
    [(179, "unknown"), (180, "yes"), (181, "yes")],
)
def test_activation_plan_young_subsidy_days_boundary(days, expected):
    facts = {**BASE_YOUNG, "labour_market_subsidy_days_last_12_months": days, **EXCLUSIONS_NO}
    # 179 days: the other alternatives (maximum period, social assistance) are still unknown.
    assert decide("activation_plan_target_group", facts, D(2024, 6, 1)) == expected


def test_activation_plan_179_days_is_no_when_other_alternatives_are_known_false():
    facts = {
        **BASE_YOUNG,
        "labour_market_subsidy_days_last_12_months": 179,
        "earnings_related_max_period_reached": False,
        "job_search_interview_held": True,
        "social_assistance_main_income_months": 3,
    }
    evaluation = evaluate("activation_plan_target_group", facts, D(2024, 6, 1))
    assert evaluation.decision == "no"
    assert evaluation.missing_facts == ()


@pytest.mark.parametrize(
    ("on", "young"),
    [
        (D(2024, 6, 14), True),  # the day before the 25th birthday
        (D(2024, 6, 15), False),  # 25 on the evaluation date
    ],
)
def test_age_24_and_25_on_the_evaluation_date_choose_the_alternatives(on, young):
    # 400 days in total: enough for neither age group by itself; 180 in 12 months is enough
    # for the young only.
    facts = {
        **BASE_YOUNG,
        "birth_date": "1999-06-15",
        "labour_market_subsidy_days_last_12_months": 200,
        "labour_market_subsidy_days_total": 400,
        "labour_market_subsidy_days_after_max_period": 0,
        "social_assistance_main_income_months": 0,
        **EXCLUSIONS_NO,
    }
    evaluation = evaluate("activation_plan_target_group", facts, on)
    assert evaluation.decision == ("yes" if young else "no")
    assert evaluation.reasons[0].met is young


@pytest.mark.parametrize(
    ("months", "expected"),
    [(11, "no"), (12, "yes")],
)
def test_activation_plan_adult_social_assistance_11_and_12_months(months, expected):
    facts = {
        "birth_date": "1980-01-01",
        "has_employment_plan": True,
        "labour_market_subsidy_days_total": 0,
        "labour_market_subsidy_days_after_max_period": 0,
        "social_assistance_main_income_months": months,
    }
    assert decide("activation_plan_target_group", facts, D(2024, 12, 31)) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [(D(2024, 12, 31), "yes"), (D(2025, 1, 1), "no")],
)
def test_activation_plan_multisector_exclusion_starts_1_1_2025(on, expected):
    facts = {
        "birth_date": "1980-01-01",
        "has_employment_plan": True,
        "labour_market_subsidy_days_total": 600,
        "in_multisector_service": True,
        "has_integration_plan": False,
    }
    assert decide("activation_plan_target_group", facts, on) == expected


def test_activation_plan_integration_plan_excludes_from_2025():
    facts = {
        "birth_date": "1980-01-01",
        "has_employment_plan": True,
        "labour_market_subsidy_days_total": 600,
        "has_integration_plan": True,
    }
    assert decide("activation_plan_target_group", facts, D(2024, 12, 31)) == "yes"
    evaluation = evaluate("activation_plan_target_group", facts, D(2025, 1, 1))
    assert evaluation.decision == "no"
    assert any(s.amended_by == "399/2023" for s in evaluation.sources)


def test_activation_plan_employment_plan_is_a_precondition():
    facts = {
        "birth_date": "1980-01-01",
        "has_employment_plan": False,
        "labour_market_subsidy_days_total": 900,
        "labour_market_subsidy_days_after_max_period": 400,
        "social_assistance_main_income_months": 30,
    }
    assert decide("activation_plan_target_group", facts, D(2024, 3, 1)) == "no"


def test_activation_plan_young_social_assistance_needs_the_interview_not_the_plan():
    facts = {
        "birth_date": "2004-01-01",
        "has_employment_plan": False,
        "job_search_interview_held": True,
        "social_assistance_main_income_months": 4,
        **EXCLUSIONS_NO,
    }
    assert decide("activation_plan_target_group", facts, D(2025, 3, 1)) == "yes"


def test_unknown_names_only_the_deciding_missing_facts():
    evaluation = evaluate(
        "activation_plan_target_group",
        {**BASE_YOUNG, "labour_market_subsidy_days_last_12_months": 181},
        D(2025, 2, 1),
    )
    assert evaluation.decision == "unknown"
    assert evaluation.missing_facts == ("has_integration_plan", "in_multisector_service")


def test_unknown_age_does_not_matter_when_both_age_groups_qualify():
    facts = {
        "has_employment_plan": True,
        "labour_market_subsidy_days_last_12_months": 200,
        "labour_market_subsidy_days_total": 600,
    }
    assert decide("activation_plan_target_group", facts, D(2024, 1, 1)) == "yes"


@pytest.mark.parametrize(
    ("on", "expected"),
    [(D(2024, 12, 31), "yes"), (D(2025, 1, 1), "no")],
)
def test_multisector_time_thresholds_end_31_12_2024(on, expected):
    # 300 days of subsidy meets the old threshold; from 2025 the need alone decides, so a
    # person without any unemployment history qualifies only from 1.1.2025.
    facts: dict[str, object] = {
        "labour_market_subsidy_days_total": 300,
        "needs_coordinated_services": True,
    }
    assert decide("multisector_service_target_group", facts, on) == "yes"
    facts = {
        "labour_market_subsidy_days_total": 0,
        "continuous_unemployment_months": 0,
        "birth_date": "1990-01-01",
        "needs_coordinated_services": True,
    }
    assert decide("multisector_service_target_group", facts, on) == (
        "no" if expected == "yes" else "yes"
    )


@pytest.mark.parametrize(("days", "expected"), [(299, "no"), (300, "yes"), (301, "yes")])
def test_multisector_300_days(days, expected):
    facts = {
        "labour_market_subsidy_days_total": days,
        "continuous_unemployment_months": 0,
        "birth_date": "1990-01-01",
        "needs_coordinated_services": True,
    }
    assert decide("multisector_service_target_group", facts, D(2024, 6, 1)) == expected


@pytest.mark.parametrize(
    ("birth", "months", "expected"),
    [
        ("2000-06-02", 6, "yes"),  # 23: six months is enough
        ("2000-06-02", 5, "no"),
        ("1990-06-02", 11, "no"),  # 34: twelve months needed
        ("1990-06-02", 12, "yes"),
    ],
)
def test_multisector_continuous_unemployment_by_age(birth, months, expected):
    facts = {
        "labour_market_subsidy_days_total": 0,
        "continuous_unemployment_months": months,
        "birth_date": birth,
        "needs_coordinated_services": True,
    }
    assert decide("multisector_service_target_group", facts, D(2024, 6, 1)) == expected


def test_multisector_needs_coordination_even_with_thresholds():
    facts = {"labour_market_subsidy_days_total": 900, "needs_coordinated_services": False}
    assert decide("multisector_service_target_group", facts, D(2024, 6, 1)) == "no"


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # no 31 February: the last day of the month
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2024, 8, 31), 3, D(2024, 11, 30)),
        (D(2024, 10, 15), 3, D(2025, 1, 15)),  # across the year
    ],
)
def test_month_arithmetic_follows_150_1930(start, months, end):
    assert add_months(start, months) == end


def test_plan_deadlines_values_and_weekend_notice():
    evaluation = evaluate(
        "plan_deadlines",
        {
            "last_review_date": "2024-11-30",
            "work_or_studies_start_date": "2025-01-31",
            "mapping_start_date": "2024-12-30",
        },
        D(2025, 2, 1),
    )
    values = evaluation.as_dict()["values"]
    assert values["activation_plan_review_due"] == "2025-02-28"
    assert values["multisector_plan_review_due"] == "2025-02-28"
    assert values["earliest_interruption"] == "2025-02-28"
    assert values["mapping_period_end"] == "2025-03-30"
    assert values["mapping_period_end_falls_on"] == "sunnuntai"
    assert values["mapping_period_end_next_working_day"] == "2025-03-31"
    assert evaluation.decision == "yes"


def test_plan_deadlines_only_keys_whose_inputs_are_given_and_overdue_is_no():
    evaluation = evaluate("plan_deadlines", {"mapping_start_date": "2024-09-02"}, D(2025, 1, 1))
    assert set(evaluation.values) == {"mapping_period_end"}  # 2.12.2024 is a Monday
    assert evaluation.decision == "no"


def test_plan_deadlines_without_inputs_is_unknown():
    evaluation = evaluate("plan_deadlines", {}, D(2025, 1, 1))
    assert evaluation.decision == "unknown"
    assert set(evaluation.missing_facts) == {
        "last_review_date",
        "work_or_studies_start_date",
        "mapping_start_date",
    }


def test_deadline_on_a_public_holiday_is_named():
    evaluation = evaluate("plan_deadlines", {"last_review_date": "2024-09-06"}, D(2024, 9, 6))
    assert evaluation.values["activation_plan_review_due"] == D(2024, 12, 6)
    assert evaluation.values["activation_plan_review_due_falls_on"] == "itsenäisyyspäivä"
    assert evaluation.values["activation_plan_review_due_next_working_day"] == D(2024, 12, 9)


@pytest.mark.parametrize(
    ("year", "easter", "midsummer", "all_saints"),
    [
        (2024, D(2024, 3, 31), D(2024, 6, 22), D(2024, 11, 2)),
        (2025, D(2025, 4, 20), D(2025, 6, 21), D(2025, 11, 1)),
        (2026, D(2026, 4, 5), D(2026, 6, 20), D(2026, 10, 31)),
    ],
)
def test_holidays_are_computed(year, easter, midsummer, all_saints):
    assert easter_sunday(year) == easter
    holidays = finnish_holidays(year)
    assert holidays[midsummer] == "juhannuspäivä"
    assert holidays[all_saints] == "pyhäinpäivä"
    assert holidays[easter + dt.timedelta(days=39)] == "helatorstai"


@pytest.mark.parametrize(
    ("on", "rate", "months"),
    [
        (D(2023, 6, 30), 30, 6),
        (D(2023, 7, 1), 50, 5),
        (D(2025, 1, 1), 50, 5),
    ],
)
def test_pay_subsidy_skills_before_and_after_1_7_2023(on, rate, months):
    evaluation = evaluate(
        "pay_subsidy",
        {
            "pay_subsidy_ground": "skills",
            "unemployed_months_last_14": 11,
            "unemployed_months_last_15": 11,
        },
        on,
    )
    assert evaluation.decision == "yes"
    assert evaluation.values["rate_percent"] == rate
    assert evaluation.values["max_months"] == months


@pytest.mark.parametrize(("months", "max_months"), [(11, 5), (12, 10)])
def test_pay_subsidy_skills_11_and_12_of_14_months(months, max_months):
    evaluation = evaluate(
        "pay_subsidy",
        {"pay_subsidy_ground": "skills", "unemployed_months_last_14": months},
        D(2024, 3, 1),
    )
    assert evaluation.values["max_months"] == max_months


def test_pay_subsidy_reduced_work_ability_70_percent_with_extension():
    evaluation = evaluate(
        "pay_subsidy", {"pay_subsidy_ground": "reduced_work_ability"}, D(2025, 5, 1)
    )
    assert evaluation.values["rate_percent"] == 70
    assert evaluation.values["max_months"] == 10
    assert evaluation.values["extension_max_months"] == 24
    assert "monthly_cap_eur" in evaluation.values


@pytest.mark.parametrize(
    ("employer", "business", "expected"),
    [
        ("association", False, "yes"),
        ("association", True, "no"),
        ("company", False, "no"),
        ("foundation", None, "unknown"),
    ],
)
def test_pay_subsidy_100_percent_for_associations_non_business_work(employer, business, expected):
    facts = {"pay_subsidy_ground": "association_100", "employer_type": employer}
    if business is not None:
        facts["work_is_business_activity"] = business
    evaluation = evaluate("pay_subsidy", facts, D(2024, 3, 1))
    assert evaluation.decision == expected
    if expected == "yes":
        assert evaluation.values["rate_percent"] == 100


@pytest.mark.parametrize(("on", "expected"), [(D(2023, 6, 30), "yes"), (D(2023, 7, 1), "no")])
def test_pay_subsidy_age_60_ends_30_6_2023(on, expected):
    facts = {
        "pay_subsidy_ground": "age_60",
        "birth_date": "1961-01-01",
        "unemployed_months_last_15": 12,
    }
    assert decide("pay_subsidy", facts, on) == expected


@pytest.mark.parametrize(
    ("on", "birth", "months", "expected"),
    [
        (D(2023, 6, 30), "1960-01-01", 28, "no"),  # not in force yet
        (D(2023, 7, 1), "1960-01-01", 24, "yes"),
        (D(2023, 7, 1), "1960-01-01", 23, "no"),
        (D(2025, 3, 1), "1970-03-01", 24, "yes"),  # 55 on the evaluation date
        (D(2025, 2, 28), "1970-03-01", 24, "no"),  # 54 the day before
    ],
)
def test_employment_support_55(on, birth, months, expected):
    evaluation = evaluate(
        "employment_support_55",
        {"birth_date": birth, "unemployed_months_last_28": months},
        on,
    )
    assert evaluation.decision == expected
    if expected == "yes":
        assert evaluation.values == {"rate_percent": 70, "max_months": 10, "monthly_cap_eur": 1800}


@pytest.mark.parametrize(
    ("provider", "content", "on", "expected", "organiser"),
    [
        ("company", "activity", D(2023, 1, 1), "no", "wellbeing_county"),
        ("company", "support_and_guidance", D(2023, 1, 1), "yes", "wellbeing_county"),
        ("association", "activity", D(2022, 12, 31), "yes", "municipality"),
        ("company", None, D(2024, 1, 1), "unknown", "wellbeing_county"),
    ],
)
def test_rehabilitative_work_activity_provider(provider, content, on, expected, organiser):
    facts = {"employer_type": provider}
    if content:
        facts["purchased_content"] = content
    evaluation = evaluate("rehabilitative_work_activity_provider", facts, on)
    assert evaluation.decision == expected
    assert evaluation.values["organiser"] == organiser


@pytest.mark.parametrize(
    ("arose", "expected"),
    [("2024-09-01", "yes"), ("2024-09-02", "no")],
)
def test_obligation_employment_only_obligations_arisen_by_1_9_2024(arose, expected):
    assert (
        decide("obligation_employment", {"obligation_arose_on": arose}, D(2025, 1, 1)) == expected
    )


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (
            D(2000, 2, 29),
            D(2025, 2, 28),
            25,
        ),  # common year: the birthday is the last day of February
        (D(2000, 2, 29), D(2025, 2, 27), 24),
        (D(2000, 2, 29), D(2024, 2, 28), 23),  # leap year: 29 February exists
        (D(2000, 2, 29), D(2024, 2, 29), 24),
        (D(2000, 1, 31), D(2025, 1, 30), 24),
    ],
)
def test_age_on_29_february(birth, on, age):
    assert age_on(birth, on) == age
