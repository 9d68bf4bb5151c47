"""The reporting store (ADR 0026): what a page shows from it is what counting shows, it is
served only while fresh, and run_scheduled keeps the figures in use fresh.

The expected figures come from counting the same records with the store turned off
(``REPORTING_MAX_AGE`` 0), the path every other management test takes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from conftest import login, make_person
from tyollisyystalo.cases.models import Case
from tyollisyystalo.demo.history import Coaching, Keeper, history_build
from tyollisyystalo.indicators import selectors as indicator_selectors
from tyollisyystalo.indicators.definitions import indicators_all
from tyollisyystalo.indicators.periods import Period, PeriodKind, period_of, trend
from tyollisyystalo.indicators.selectors import indicator_figures
from tyollisyystalo.management.models import ReportSnapshot
from tyollisyystalo.management.refresh import report_snapshots_refresh
from tyollisyystalo.organisations.models import Municipality, Organisation, OrganisationType
from tyollisyystalo.situation import selectors as situation_selectors
from tyollisyystalo.situation.scope import period_default
from tyollisyystalo.situation.selectors import situation_counted, situation_figures
from tyollisyystalo.staff.roles import Role

HOUR = 3600


def _staff(username: str, organisation: Organisation, role: Role = Role.COORDINATOR):
    return make_person(username, "Testi Henkilö", organisation, role)


@pytest.fixture
def region(db):
    """Two organisations over two municipalities with eighteen months of history."""
    x01 = Municipality.objects.create(code="X01", name_fi="Esimerkkilä")
    x02 = Municipality.objects.create(code="X02", name_fi="Pohjala")
    a = Organisation.objects.create(
        code="org-a", name_fi="A", type=OrganisationType.EMPLOYMENT_AUTHORITY
    )
    a.municipalities.set([x01, x02])
    b = Organisation.objects.create(
        code="org-b", name_fi="B", type=OrganisationType.WELLBEING_COUNTY
    )
    b.municipalities.set([x02])
    coaches = Organisation.objects.create(code="org-c", name_fi="C", type=OrganisationType.NGO)
    history_build(
        [
            (Keeper(a, [_staff("a1", a), _staff("a2", a)], [x01, x02]), 90),
            (Keeper(b, [_staff("b1", b)], [x02], (10, 70, 10, 10)), 40),
        ],
        coaching=Coaching(coaches=[_staff("c1", coaches, Role.JOB_COACH)]),
    )
    return {"a": a, "b": b, "manager": _staff("manager-a", a, Role.MANAGER)}


def _counting_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("counted again instead of reading the store")

    monkeypatch.setattr(indicator_selectors, "_count", refuse)
    monkeypatch.setattr(situation_selectors, "situation_figures", refuse)


def _table(organisation: Organisation | None, periods: list[Period]):
    return indicator_figures(
        list(indicators_all()),
        organisation_id=None if organisation is None else organisation.pk,
        municipality_codes=["X01", "X02"],
        periods=periods,
        using="default",
    ).table


def test_stored_indicators_are_the_counted_figures(region, settings, monkeypatch):
    today = timezone.localdate()
    quarters = trend(period_of(PeriodKind.QUARTER, today), 5)
    months = trend(period_of(PeriodKind.MONTH, today), 7)
    year = [period_of(PeriodKind.YEAR, today).previous()]
    cases = [(o, p) for o in (region["a"], None) for p in (quarters, months, year)]
    counted = {i: _table(o, p) for i, (o, p) in enumerate(cases)}
    assert ReportSnapshot.objects.filter(report="indicator").exists()  # written while off
    settings.REPORTING_MAX_AGE = HOUR
    for i, (organisation, periods) in enumerate(cases):  # kept afresh, then read
        assert _table(organisation, periods) == counted[i]
    _counting_forbidden(monkeypatch)
    for i, (organisation, periods) in enumerate(cases):
        assert _table(organisation, periods) == counted[i]
    shown = [v for scopes in counted[0].values() for vs in scopes.values() for v in vs]
    assert any(v.value is not None and not v.suppressed for v in shown)
    assert any(v.suppressed for v in shown)  # the rule applies to what is read back


def test_stored_situation_is_the_counted_figures_in_the_asked_order(region, settings, monkeypatch):
    settings.REPORTING_MAX_AGE = HOUR
    period = period_default(timezone.localdate())
    for organisation_ids in ([region["a"].pk], None):
        counted = situation_figures(
            organisation_ids=organisation_ids,
            municipality_codes=["X01", "X02"],
            period=period,
            using="default",
        )
        situation_counted(
            organisation_ids=organisation_ids,
            municipality_codes=["X01", "X02"],
            period=period,
            using="default",
        )
        with monkeypatch.context() as patched:
            _counting_forbidden(patched)
            stored, _at = situation_counted(
                organisation_ids=organisation_ids,
                municipality_codes=["X01", "X02"],
                period=period,
                using="default",
            )
            reordered, _at = situation_counted(
                organisation_ids=organisation_ids,
                municipality_codes=["X02", "X01"],
                period=period,
                using="default",
            )
        assert stored == counted
        for table, rows in counted.current.counts.items():
            assert list(stored.current.counts[table]) == list(rows)  # rows in their order
        assert reordered.columns == ("X02", "X01", situation_selectors.OTHER)
        assert reordered.current.counts == counted.current.counts
        assert list(reordered.current.counts["state"]["active"]) == ["X02", "X01", "_other"]
        assert sum(counted.current.counts["state"]["active"].values()) > 0


def test_only_fresh_figures_are_served(region, settings):
    settings.REPORTING_MAX_AGE = HOUR
    quarter = period_of(PeriodKind.QUARTER, timezone.localdate()).previous()

    def placed() -> int | None:
        counts, _at = indicator_selectors.indicator_counts(
            ["placed_in_working_life"],
            organisation_id=region["a"].pk,
            periods=[quarter],
            using="default",
            today=timezone.localdate(),
        )
        [counted] = counts["placed_in_working_life"] or []
        return counted.of(None).numerator  # raw: a count of 1-4 is as counted here

    before = placed()
    closed = Case.objects.filter(
        owner_organisation=region["a"], closed_on__range=(quarter.start, quarter.end)
    ).exclude(outcome="job_or_study")
    case = closed.first()
    assert case is not None
    assert before is not None
    outcome = case.outcome
    Case.objects.filter(pk=case.pk).update(outcome="job_or_study")
    assert placed() == before  # within the hour the kept figures are shown
    snapshots = ReportSnapshot.objects.filter(report="indicator")
    snapshots.update(computed_at=F("computed_at") - dt.timedelta(seconds=HOUR + 1))
    assert placed() == before + 1  # older than the hour: counted again
    Case.objects.filter(pk=case.pk).update(outcome=outcome)
    snapshots.update(computed_for=timezone.localdate() - dt.timedelta(days=1))
    assert placed() == before  # counted on another day: counted again


def test_scheduled_refresh_warms_the_first_views_and_recounts_those_in_use(region, settings):
    settings.REPORTING_MAX_AGE = HOUR
    today = timezone.localdate()
    report_snapshots_refresh(today)
    keys = [k for k, i in indicators_all().items() if i.kind != "public"]
    warmed = ReportSnapshot.objects.filter(report="indicator")
    # Five quarters of the manager's organisation and of the region (a manager reads both);
    # nobody reads B's own figures. Warmed, not yet read: not in use.
    assert warmed.count() == len(keys) * 5 * 2
    assert {p["organisation"] for p in warmed.values_list("params", flat=True)} == {
        region["a"].pk,
        None,
    }
    situation = ReportSnapshot.objects.filter(report="situation")
    assert [p["period"] for p in situation.values_list("params", flat=True)] == [
        period_default(today).code
    ] * 2
    assert not ReportSnapshot.objects.filter(read_on=today).exists()
    assert report_snapshots_refresh(today) == 0  # nothing due yet
    # The manager opens the organisation's trend: those are read, so in use.
    quarters = trend(period_of(PeriodKind.QUARTER, today), 5)
    _table(region["a"], quarters)
    assert ReportSnapshot.objects.filter(read_on=today).count() == len(keys) * 5
    # Half the hour later the ones in use are recounted, the others left as they were.
    ReportSnapshot.objects.update(computed_at=F("computed_at") - dt.timedelta(seconds=HOUR // 2))
    assert report_snapshots_refresh(today) == len(keys) * 5
    recent = timezone.now() - dt.timedelta(seconds=HOUR // 4)
    assert ReportSnapshot.objects.filter(computed_at__gte=recent).count() == len(keys) * 5
    assert set(
        ReportSnapshot.objects.filter(computed_at__gte=recent).values_list("read_on", flat=True)
    ) == {today}
    # A month unread, they are deleted (the first views are warmed again, not in use).
    ReportSnapshot.objects.update(read_on=today - dt.timedelta(days=31))
    report_snapshots_refresh(today)
    assert not ReportSnapshot.objects.filter(read_on__lt=today - dt.timedelta(days=30)).exists()


def test_recounting_does_not_keep_a_snapshot_in_use(region, settings):
    """A view nobody opens again is recounted while it is in use (a week), then left, then
    deleted: the job's own recounts never count as reading it."""
    settings.REPORTING_MAX_AGE = HOUR
    today = timezone.localdate()
    month = [period_of(PeriodKind.MONTH, today)]  # not one of the first views
    _table(region["a"], month)
    asked = [
        pk
        for pk, params in ReportSnapshot.objects.values_list("pk", "params")
        if params.get("period") == month[0].code
    ]
    assert asked
    for days in (1, 10, 20):
        report_snapshots_refresh(today + dt.timedelta(days=days))
        kept = ReportSnapshot.objects.filter(pk__in=asked)
        assert set(kept.values_list("read_on", flat=True)) == {today}
    day_one = today + dt.timedelta(days=1)
    assert set(kept.values_list("computed_for", flat=True)) == {day_one}  # not after the week
    report_snapshots_refresh(today + dt.timedelta(days=31))
    assert not ReportSnapshot.objects.filter(pk__in=asked).exists()


def test_page_from_the_store_counts_nothing_and_says_when_counted(
    region, settings, monkeypatch, client, django_assert_max_num_queries
):
    settings.REPORTING_MAX_AGE = HOUR
    login(client, region["manager"])
    first = client.get("/johtaminen/mittarit/")
    assert first.status_code == 200
    assert "Luvut on laskettu" in first.content.decode()
    situation = client.get("/johtaminen/tilannekuva/")
    assert situation.status_code == 200
    _counting_forbidden(monkeypatch)
    with django_assert_max_num_queries(20):
        again = client.get("/johtaminen/mittarit/")
    assert _main(again) == _main(first)
    assert _main(client.get("/johtaminen/tilannekuva/")) == _main(situation)


def _main(response) -> str:
    """The page's own content (the frame carries a fresh nonce and token each time)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_stored_survey_results_are_the_counted_ones(region, settings, monkeypatch):
    from tyollisyystalo.demo.history import survey_answers_build
    from tyollisyystalo.surveys import results
    from tyollisyystalo.surveys.definitions import surveys_current

    survey_answers_build([region["a"], region["b"]], count=400)
    today = timezone.localdate()
    periods = [results.quarter_of(today), results.period_parse(str(today.year))]
    asked = [
        (survey, organisations, place, period)
        for survey in surveys_current()
        for organisations in ([region["a"].pk], None)
        for place in (None, "X02")
        for period in periods
    ]

    def shown(survey, organisations, place, period):
        return _survey_results(survey, organisations, place, period, texts=True)

    counted = [shown(*a) for a in asked]
    assert sum(r.shown for r in counted) >= len(asked) // 2
    settings.REPORTING_MAX_AGE = HOUR
    assert [shown(*a) for a in asked] == counted  # counted and kept
    monkeypatch.setattr(results, "_count", _refuse)
    assert [shown(*a) for a in asked] == counted  # read from the store


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("counted again instead of reading the store")


def test_scheduled_refresh_recounts_survey_results_in_use(region, settings):
    from tyollisyystalo.demo.history import survey_answers_build
    from tyollisyystalo.surveys import results
    from tyollisyystalo.surveys.definitions import survey_current

    settings.REPORTING_MAX_AGE = HOUR
    survey_answers_build([region["a"]], count=100)
    survey = survey_current("client_satisfaction")
    year = results.period_parse(str(timezone.localdate().year))

    def answers() -> float | None:
        return _survey_results(survey, None, None, year, texts=False).answers.value

    before = answers()
    assert before
    survey_answers_build([region["a"]], count=50, seed=7)
    assert answers() == before  # kept
    ReportSnapshot.objects.update(computed_at=F("computed_at") - dt.timedelta(seconds=HOUR // 2))
    report_snapshots_refresh()
    after = answers()
    assert after is not None
    assert after > before  # recounted by the scheduled job, read from the store


def _survey_results(survey, organisations, place, period, *, texts: bool):
    from tyollisyystalo.surveys import results

    return results.survey_results(
        survey=survey,
        organisation_ids=organisations,
        municipality_code=place,
        period=period,
        language="fi",
        texts_allowed=texts,
        using="default",
    )
