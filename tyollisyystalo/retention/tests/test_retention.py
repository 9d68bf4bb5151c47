"""Retention by record class: boundaries per class, legal holds, dry run, erasure records.

Personas: coordinator Tuuli of the multi-sector joint service (TYP), social worker Sonja and
nurse Bertta of the wellbeing county, coordinator Aino of employment services, manager Mikko.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from conftest import (
    PASSWORD,
    OrganisationFactory,
    StaffFactory,
    add_entry,
    add_to_team,
    login,
    make_client,
    make_consent,
)
from tyollisyystalo.audit.checkpoints import FILE_NAME, access_log_checkpoints_write
from tyollisyystalo.audit.models import (
    AccessLogEntry,
    Action,
    ChainHead,
    LogErasureAnchor,
    Outcome,
)
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.audit.verification import access_log_verify
from tyollisyystalo.cases.models import Case, CaseEvent, Consultation, ConsultationItem
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import (
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.consents.models import Consent
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.retention.erasure import RetentionRunError, retention_pass
from tyollisyystalo.retention.models import ErasureRecord, LegalHold
from tyollisyystalo.retention.registry import NOT_CLIENT_DATA, RECORD_APPS
from tyollisyystalo.retention.services import (
    legal_hold_place,
    legal_hold_release,
    retention_erase,
    retention_report,
)
from tyollisyystalo.retention.table import (
    TABLE_PATH,
    Period,
    RetentionTableError,
    load_table,
    parse_table,
)
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

ENDED = dt.date(2020, 2, 29)  # a leap day: the calendar arithmetic is at its most awkward


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def boundary(start: dt.date, period: Period) -> dict[str, dt.datetime]:
    last = period.last_kept_day(start)
    return {
        "day_before": noon(last - dt.timedelta(days=1)),
        "day_of": noon(last),
        "day_after": noon(last + dt.timedelta(days=1)),
    }


@pytest.fixture
def typ(db):
    return OrganisationFactory.create(code="org-typ", name_fi="TYP", type=OrganisationType.TYP)


@pytest.fixture
def tuuli(typ):
    return StaffFactory.create(user__username="tuuli", organisation=typ, role=Role.COORDINATOR)


@pytest.fixture
def sonja(county):
    return StaffFactory.create(user__username="sonja", organisation=county, role=Role.SOCIAL_WORKER)


def end_relationships(client, on: dt.date = ENDED) -> None:
    ClientRelationship.objects.filter(client=client).update(
        started_on=on - dt.timedelta(days=400), ended_on=on
    )


def typ_client(typ, tuuli):
    """A TYP client with an entry, a path with events, a plan with a version and a consultation."""
    client = make_client(organisation=typ)
    add_to_team(client, tuuli)
    add_entry(client, typ, tuuli, DataCategory.EMPLOYMENT_SERVICES, "TYP-kartoitus")
    case = Case.objects.create(
        client=client,
        owner_organisation=typ,
        category=DataCategory.PLAN,
        entry_route="employment_services",
        coordinator=tuuli,
        referred_on=ENDED - dt.timedelta(days=300),
    )
    CaseEvent.objects.create(case=case, kind="opened", effective_on=case.referred_on, actor=tuuli)
    TeamMembership.objects.filter(client=client, staff_member=tuuli).update(case=case)
    plan = Plan.objects.create(
        client=client,
        owner_organisation=typ,
        category=DataCategory.PLAN,
        case=case,
        plan_type="multisector",
        started_on=case.referred_on,
    )
    PlanVersion.objects.create(plan=plan, number=1, content_json="{}", created_by=tuuli)
    meeting = Consultation.objects.create(
        organisation=typ, held_on=case.referred_on, title="Viikkopalaveri", facilitator=tuuli
    )
    ConsultationItem.objects.create(consultation=meeting, case=case, question="Mitä seuraavaksi?")
    end_relationships(client)
    return client


# --- the table ---------------------------------------------------------------------------------


def test_table_covers_every_model_holding_client_data():
    covered = {m for c in load_table().classes for m in c.models}
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in RECORD_APPS and m._meta.label not in covered | NOT_CLIENT_DATA
    ]
    assert missing == []
    assert "audit.AccessLogEntry" in covered


def test_table_has_classes_for_later_records():
    planned = {c.id for c in load_table().classes if c.start == "planned"}
    assert planned == {
        "survey_answers",
        "invoices",
        "employer_contact_persons",
        "peer_coach_fees",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('"clients.ClientEntry", "cases.Case"', '"clients.ClientEntry", "cases.NoSuchThing"'),
            "unknown model",
        ),
        (('source = { act = "381/2023", section = "12 §" }', ""), "no legal source"),
        (
            ('source = { act = "381/2023", section = "12 §" }', 'source = { act = "381/2023" }'),
            "no legal source",
        ),
        (('start = "relationship_ended"', 'start = "whenever"'), "unknown start event"),
        (('action = "delete"', 'action = "shred"'), "unknown action"),
        (('owner_types = ["typ"]', 'owner_types = ["bank"]'), "unknown organisation type"),
        (("period = { years = 4 }", ""), "erases but has no period"),
    ],
)
def test_table_check_refuses_a_broken_table(change, message):
    text = TABLE_PATH.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    known = frozenset(m._meta.label for m in apps.get_models())
    with pytest.raises(RetentionTableError, match=message):
        parse_table(text.replace(old, new, 1), known_models=known)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'action = "erase_prefix"',
            'action = "delete"',
            "can only be kept or erased as a chain prefix",
        ),
        (
            'models = ["audit.AccessLogEntry"]',
            'models = ["audit.AccessLogEntry", "contact_requests.ContactRequest"]',
            "is not a log chain",
        ),
        (
            'period = { years = 4 }\naction = "delete"',
            'period = { years = 4 }\naction = "erase_prefix"',
            "erase_prefix erases log chains from 'created'",
        ),
    ],
)
def test_table_check_keeps_the_log_to_its_own_eraser(old, new, message):
    text = TABLE_PATH.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(RetentionTableError, match=message):
        parse_table(text.replace(old, new, 1))


def test_table_check_refuses_anonymising_what_cannot_be_anonymised():
    text = TABLE_PATH.read_text(encoding="utf-8").replace(
        'models = ["clients.Client", "clients.ClientIdentity"]',
        'models = ["clients.Client", "clients.ClientIdentity", "consents.Consent"]',
    )
    with pytest.raises(RetentionTableError, match="cannot be anonymised"):
        parse_table(text)


# --- boundaries per class ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "erased"), [("day_before", False), ("day_of", False), ("day_after", True)]
)
def test_typ_data_go_four_years_after_the_relationship_ended(typ, tuuli, when, erased):
    client = typ_client(typ, tuuli)
    at = boundary(ENDED, Period(years=4))[when]
    assert (
        at.date()
        == {
            "day_before": dt.date(2024, 2, 28),
            "day_of": dt.date(2024, 2, 29),
            "day_after": dt.date(2024, 3, 1),
        }[when]
    )
    retention_erase(at=at)
    remaining = {
        "entries": ClientEntry.objects.filter(client=client).count(),
        "cases": Case.objects.filter(client=client).count(),
        "events": CaseEvent.objects.filter(case__client=client).count(),
        "plans": Plan.objects.filter(client=client).count(),
        "versions": PlanVersion.objects.filter(plan__client=client).count(),
        "items": ConsultationItem.objects.filter(case__client=client).count(),
        "meetings": Consultation.objects.count(),
        "team": TeamMembership.objects.filter(client=client, case__isnull=False).count(),
    }
    expected = 0 if erased else 1
    assert remaining == dict.fromkeys(remaining, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "erased"), [("day_before", False), ("day_of", False), ("day_after", True)]
)
def test_social_welfare_data_go_ten_years_after_the_relationship_ended(county, sonja, when, erased):
    client = make_client(organisation=county)
    add_entry(client, county, sonja, DataCategory.SOCIAL, "Sosiaalityön arvio")
    end_relationships(client)
    retention_erase(at=boundary(ENDED, Period(years=10))[when])
    assert ClientEntry.objects.filter(client=client).exists() is not erased


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "erased"), [("day_before", False), ("day_of", False), ("day_after", True)]
)
def test_health_entries_are_kept_120_years_from_birth_not_from_the_relationship(
    county, sonja, bertta, when, erased
):
    client = make_client(organisation=county)
    add_entry(client, county, bertta, DataCategory.HEALTH, "Terveystarkastus")
    add_entry(client, county, sonja, DataCategory.SOCIAL, "Sosiaalityön arvio")
    end_relationships(client)
    born = ClientIdentity.objects.get(client=client).birth_date
    assert born is not None
    retention_erase(at=boundary(born, Period(years=120))[when])
    assert ClientEntry.objects.filter(client=client, category="social").count() == 0
    assert ClientEntry.objects.filter(client=client, category="health").exists() is not erased


@pytest.mark.django_db
def test_health_entries_outlive_the_social_welfare_period(county, sonja, bertta):
    client = make_client(organisation=county)
    add_entry(client, county, bertta, DataCategory.HEALTH, "Terveystarkastus")
    add_entry(client, county, sonja, DataCategory.SOCIAL, "Sosiaalityön arvio")
    end_relationships(client)
    retention_erase(at=noon(dt.date(2031, 1, 1)))
    assert list(ClientEntry.objects.filter(client=client).values_list("category", flat=True)) == [
        "health"
    ]
    # the identity stays while any record is kept
    assert ClientIdentity.objects.get(client=client).anonymized_at is None


@pytest.mark.django_db
def test_employment_services_records_are_kept_until_the_controller_sets_a_period(employment, aino):
    client = make_client(organisation=employment)
    add_entry(client, employment, aino, DataCategory.EMPLOYMENT_SERVICES)
    end_relationships(client)
    assert retention_erase(at=noon(dt.date(2090, 1, 1))) == 0
    assert ClientEntry.objects.filter(client=client).count() == 1
    assert ClientIdentity.objects.get(client=client).anonymized_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "erased"), [("day_before", False), ("day_of", False), ("day_after", True)]
)
def test_identity_consents_and_account_go_with_the_last_record(typ, tuuli, when, erased):
    client = typ_client(typ, tuuli)
    make_consent(client, disclosing=[typ], receiving=[typ], categories=["plan"], recorder=tuuli)
    user = StaffFactory.build().user
    user.username = "sari-omat"
    user.save()
    ClientAccount.objects.create(user=user, client=client)
    retention_erase(at=boundary(ENDED, Period(years=4))[when])
    identity = ClientIdentity.objects.get(client=client)
    assert (identity.anonymized_at is not None) is erased
    assert (identity.last_name == "-") is erased
    assert (identity.hetu_hash is None) is erased
    assert Consent.objects.filter(client=client).exists() is not erased
    assert ClientRelationship.objects.filter(client=client).exists() is not erased
    assert ClientAccount.objects.filter(client=client).exists() is not erased


def make_request(municipality, *, handled_at, client=None):
    from tyollisyystalo.contact_requests.models import ContactRequest

    return ContactRequest.objects.create(
        receipt=f"YP-{ContactRequest.objects.count():04d}-TEST",
        municipality=municipality,
        name="Sari Esimerkki",
        phone="+358401234567",
        message="Haluaisin apua työnhakuun.",
        consent_version="1",
        source_hash="x" * 64,
        status="became_client" if client else "closed",
        close_reason="" if client else "helped",
        client=client,
        handled_at=handled_at,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offset", "erased"),
    [(dt.timedelta(seconds=1), False), (dt.timedelta(0), False), (-dt.timedelta(seconds=1), True)],
)
def test_contact_requests_are_anonymised_a_year_after_handling(employment, offset, erased):
    from tyollisyystalo.organisations.models import Municipality

    municipality = Municipality.objects.create(code="999", name_fi="Esimerkkilä")
    at = noon(dt.date(2026, 6, 1))
    request = make_request(municipality, handled_at=at - dt.timedelta(days=365) + offset)
    retention_erase(at=at)
    request.refresh_from_db()
    assert (request.purged_at is not None) is erased
    assert (request.name == "-") is erased


LOG_PERIOD = Period(years=12)
WRITTEN = dt.date(2012, 2, 29)  # twelve years on is again a leap day


def _log(actor, when, client_id=None, n=1):
    access_log_append(
        actor=actor,
        events=[
            LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=client_id, purpose="t")
            for _ in range(n)
        ],
        at=when,
    )


def _chain(actor):
    return f"org-{actor.organisation_id}"


@pytest.fixture
def keeper(db):
    """A staff member of an organisation whose chain holds only what a test writes."""
    return StaffFactory.create(user__username="loki", organisation=OrganisationFactory.create())


@pytest.mark.django_db
@pytest.mark.parametrize(("when", "erased"), [("day_of", False), ("day_after", True)])
def test_access_log_entries_go_the_day_after_their_twelve_years(keeper, when, erased):
    _log(keeper, noon(WRITTEN), n=2)
    run_at = boundary(WRITTEN, LOG_PERIOD)[when]
    assert run_at.date() == (dt.date(2024, 2, 29) if when == "day_of" else dt.date(2024, 3, 1))
    report = {r.record_class.id: r for r in retention_report(at=run_at)}["access_log"]
    assert report.log_chains[_chain(keeper)].count == (2 if erased else 0)
    retention_erase(at=run_at)
    left = AccessLogEntry.objects.filter(chain=_chain(keeper)).count()
    assert left == (0 if erased else 2)
    anchors = LogErasureAnchor.objects.filter(chain=_chain(keeper))
    assert anchors.exists() is erased
    assert access_log_verify().intact


@pytest.mark.django_db
def test_the_prefix_stops_at_the_first_entry_still_in_its_period_and_the_log_verifies(keeper):
    _log(keeper, noon(WRITTEN), n=3)
    _log(keeper, noon(dt.date(2014, 6, 1)), n=2)
    head = ChainHead.objects.get(chain=_chain(keeper))
    run_at = noon(dt.date(2025, 1, 1))
    assert retention_erase(at=run_at) >= 3
    remaining = list(
        AccessLogEntry.objects.filter(chain=_chain(keeper)).order_by("seq").values_list("seq")
    )
    assert remaining == [(4,), (5,)]
    anchor = LogErasureAnchor.objects.get(chain=_chain(keeper))
    assert (anchor.seq, anchor.erased_count) == (3, 3)
    assert anchor.newest_erased_at == noon(WRITTEN)
    assert AccessLogEntry.objects.get(chain=_chain(keeper), seq=4).prev_hash == anchor.hash
    assert ChainHead.objects.get(chain=_chain(keeper)).hash == head.hash  # the head is unmoved
    _log(keeper, timezone.now(), n=2)  # later appends link on as before
    result = access_log_verify()
    assert result.intact, result.breaks
    assert result.anchors[_chain(keeper)] == (3, anchor.hash)
    record = ErasureRecord.objects.get(class_id="access_log")
    assert record.action == "erase_prefix"
    assert record.counts == {"audit.AccessLogEntry": 3}
    assert _chain(keeper) not in json.dumps(
        {f.name: str(getattr(record, f.name)) for f in ErasureRecord._meta.fields}
    )
    assert retention_erase(at=run_at) == 0  # nothing more is due: idempotent
    assert LogErasureAnchor.objects.filter(chain=_chain(keeper)).count() == 1


@pytest.mark.django_db
def test_a_legal_hold_stops_the_chains_erasure_at_the_first_entry_about_the_held_client(
    typ, tuuli, mikko_typ
):
    held = typ_client(typ, tuuli)
    other = make_client(organisation=typ)
    name = _chain(tuuli)
    assert name not in _heads()  # the fixtures wrote nothing to the TYP's chain
    _log(tuuli, noon(WRITTEN), client_id=other.id)
    _log(tuuli, noon(WRITTEN), client_id=held.id)
    _log(tuuli, noon(WRITTEN), client_id=other.id)
    hold = legal_hold_place(
        actor=mikko_typ, client_id=held.id, reason="Valitus vireillä", at=noon(WRITTEN)
    )
    run_at = noon(dt.date(2025, 1, 1))
    report = {r.record_class.id: r for r in retention_report(at=run_at)}["access_log"]
    plan = report.log_chains[name]
    # Entry 4 is the manager's placing of the hold, also about the held client.
    assert (plan.count, plan.through_seq, plan.held_back) == (1, 1, 3)
    assert plan.stopped_by_hold
    assert report.held == 1
    retention_erase(at=run_at)
    seqs = sorted(AccessLogEntry.objects.filter(chain=name).values_list("seq", flat=True))
    assert seqs == [2, 3, 4]  # the held client's entry and everything after it stay
    assert access_log_verify().intact
    legal_hold_release(actor=mikko_typ, hold_id=hold.pk, at=noon(WRITTEN))
    retention_erase(at=run_at)
    assert not AccessLogEntry.objects.filter(chain=name, client_id=held.id).exists()
    assert access_log_verify().intact


@pytest.mark.django_db
def test_the_log_dry_run_counts_per_chain_and_changes_nothing(keeper, aino):
    _log(keeper, noon(WRITTEN), n=4)
    _log(keeper, timezone.now())
    before = AccessLogEntry.objects.count()
    results = {r.record_class.id: r for r in retention_report(at=noon(dt.date(2025, 1, 1)))}
    log = results["access_log"]
    assert log.log_chains[_chain(keeper)].count == 4
    assert log.log_chains[_chain(keeper)].through_seq == 4
    assert log.counts["audit.AccessLogEntry"] >= 4
    assert AccessLogEntry.objects.count() == before
    assert not LogErasureAnchor.objects.exists()
    assert not ErasureRecord.objects.exists()


@pytest.mark.django_db
def test_the_report_command_names_each_chain_and_what_is_due(keeper):
    _log(keeper, timezone.now() - dt.timedelta(days=365 * 12 + 10), n=2)
    out = StringIO()
    call_command("retention_report", stdout=out)
    text = out.getvalue()
    assert "access_log: erase_prefix, 12 y after created" in text
    assert f"chain {_chain(keeper)}: 2 entry(s) due, entries 1..2" in text


@pytest.mark.django_db
def test_run_scheduled_erases_the_log_prefix_and_witnesses_the_anchor(keeper, settings, tmp_path):
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{tmp_path}"
    _log(keeper, timezone.now() - dt.timedelta(days=365 * 12 + 10), n=3)
    access_log_checkpoints_write(force=True)  # a checkpoint at entry 3, before the erasure
    _log(keeper, timezone.now(), n=1)
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    assert "retention:" in out.getvalue()
    assert not AccessLogEntry.objects.filter(chain=_chain(keeper), seq__lte=3).exists()
    lines = [json.loads(line) for line in (tmp_path / FILE_NAME).read_text().splitlines()]
    anchor = LogErasureAnchor.objects.get(chain=_chain(keeper))
    assert {"chain": _chain(keeper), "seq": 3, "hash": anchor.hash}.items() <= lines[1].items()
    out = StringIO()
    call_command("verify_access_log", "--checkpoints", str(tmp_path), stdout=out)
    assert "covered by erasure anchors" in out.getvalue()
    assert "(1–3 erased after their retention period)" in out.getvalue()
    assert "(3 erased after their retention period), " in out.getvalue()


@pytest.mark.django_db
def test_a_failing_sink_erases_nothing_of_the_log_and_fails_the_run(keeper, settings, tmp_path):
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{tmp_path / 'missing'}"
    _log(keeper, noon(WRITTEN), n=2)
    with pytest.raises(RetentionRunError, match=_chain(keeper)):
        retention_erase(at=noon(dt.date(2025, 1, 1)))
    assert AccessLogEntry.objects.filter(chain=_chain(keeper)).count() == 2
    assert not LogErasureAnchor.objects.exists()


def _heads():
    return set(ChainHead.objects.values_list("chain", flat=True))


# --- legal hold, dry run, erasure record, idempotence ------------------------------------------


@pytest.fixture
def mikko_typ(typ):
    return StaffFactory.create(user__username="mikko-typ", organisation=typ, role=Role.MANAGER)


@pytest.mark.django_db
def test_legal_hold_stops_erasure_until_released(typ, tuuli, mikko_typ):
    client = typ_client(typ, tuuli)
    hold = legal_hold_place(actor=mikko_typ, client_id=client.id, reason="Valitus vireillä")
    late = noon(dt.date(2030, 1, 1))
    assert retention_erase(at=late) == 0
    assert ClientEntry.objects.filter(client=client).count() == 1
    assert ClientIdentity.objects.get(client=client).anonymized_at is None
    held = {r.record_class.id: r.held for r in retention_report(at=late)}
    assert held["multisector_joint_service"] == 1
    legal_hold_release(actor=mikko_typ, hold_id=hold.pk)
    assert retention_erase(at=late) > 0
    assert ClientEntry.objects.filter(client=client).count() == 0


@pytest.mark.django_db
def test_placing_and_releasing_a_hold_is_logged(typ, tuuli, mikko_typ):
    client = typ_client(typ, tuuli)
    hold = legal_hold_place(actor=mikko_typ, client_id=client.id, reason="Oikeudenkäynti")
    legal_hold_release(actor=mikko_typ, hold_id=hold.pk)
    rows = AccessLogEntry.objects.filter(object_type="legal_hold", client_id=client.id)
    assert sorted(rows.values_list("action", flat=True)) == ["create", "update"]


@pytest.mark.django_db
def test_dry_run_reports_and_changes_nothing(typ, tuuli):
    client = typ_client(typ, tuuli)
    late = noon(dt.date(2030, 1, 1))
    before = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    results = {r.record_class.id: r for r in retention_report(at=late)}
    after = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    assert after == before
    typ_result = results["multisector_joint_service"]
    assert typ_result.counts["clients.ClientEntry"] == 1
    assert typ_result.counts["cases.Case"] == 1
    assert results["client_basic_data"].total == 0  # its contents are still there
    assert ClientIdentity.objects.get(client=client).anonymized_at is None


@pytest.mark.django_db
def test_report_says_when_the_next_records_fall_due(typ, tuuli):
    typ_client(typ, tuuli)
    results = {r.record_class.id: r for r in retention_report(at=noon(dt.date(2022, 1, 1)))}
    assert results["multisector_joint_service"].total == 0
    assert results["multisector_joint_service"].next_due == dt.date(2024, 3, 1)


@pytest.mark.django_db
def test_report_command_prints_counts_and_no_personal_data(typ, tuuli):
    client = typ_client(typ, tuuli)
    out = StringIO()
    call_command("retention_report", stdout=out)
    text = out.getvalue()
    assert "multisector_joint_service" in text
    assert "next due: 2024-03-01" in text or "due now" in text
    for secret in (str(client.id), "Esimerkki", "Sari"):
        assert secret not in text


@pytest.mark.django_db
def test_erasure_record_keeps_counts_and_no_personal_data(typ, tuuli):
    client = typ_client(typ, tuuli)
    identity = ClientIdentity.objects.get(client=client)
    secrets = [
        str(client.id),
        identity.first_names,
        identity.last_name,
        identity.hetu,
        "TYP-kartoitus",
    ]
    retention_erase(at=noon(dt.date(2030, 1, 1)))
    records = {r.class_id: r for r in ErasureRecord.objects.all()}
    typ_record = records["multisector_joint_service"]
    assert typ_record.counts["clients.ClientEntry"] == 1
    assert typ_record.first_start_on == typ_record.last_start_on == ENDED
    assert typ_record.rule_version == load_table().version
    assert records["client_basic_data"].record_count == 2
    dumped = json.dumps(
        [
            {f.name: str(getattr(r, f.name)) for f in ErasureRecord._meta.fields}
            for r in ErasureRecord.objects.all()
        ]
    )
    for secret in secrets:
        assert secret not in dumped


@pytest.mark.django_db
def test_a_second_run_erases_nothing_and_records_nothing(typ, tuuli):
    typ_client(typ, tuuli)
    late = noon(dt.date(2030, 1, 1))
    assert retention_erase(at=late) > 0
    records = ErasureRecord.objects.count()
    assert retention_erase(at=late) == 0
    assert ErasureRecord.objects.count() == records


@pytest.mark.django_db
def test_run_scheduled_runs_retention(typ, tuuli):
    typ_client(typ, tuuli)
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    assert "retention:" in out.getvalue()


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_manager_places_a_hold_on_the_page(client, typ, tuuli, mikko_typ):
    person = typ_client(typ, tuuli)
    login(client, mikko_typ)
    response = client.post(
        "/sailytysvelvoitteet/", {"client_id": str(person.id), "reason": "Valitus vireillä"}
    )
    assert response.status_code == 302
    assert LegalHold.objects.get(client=person).is_active
    page = client.get("/sailytysvelvoitteet/")
    assert 'href="/sailytysvelvoitteet/"' in page.text  # in the manager's navigation
    assert "Valitus vireillä" in page.text
    assert "Esimerkki" not in page.text  # the manager sees the id, never the name


@pytest.mark.django_db
def test_hold_on_a_client_of_another_organisation_is_refused_as_missing(
    client, typ, tuuli, employment, mikko
):
    person = typ_client(typ, tuuli)
    login(client, mikko)
    response = client.post("/sailytysvelvoitteet/", {"client_id": str(person.id), "reason": "X"})
    assert response.status_code == 400
    assert "Sari" not in response.text[response.text.index("<main") :]  # header: a fake name
    assert LegalHold.objects.count() == 0
    rows = AccessLogEntry.objects.filter(client_id=person.id, actor_user_id=mikko.user_id)
    assert list(rows.values_list("outcome", flat=True)) == ["denied"]


@pytest.mark.django_db
def test_a_manager_cannot_release_another_organisations_hold(client, typ, tuuli, mikko_typ, mikko):
    person = typ_client(typ, tuuli)
    hold = legal_hold_place(actor=mikko_typ, client_id=person.id, reason="Valitus")
    login(client, mikko)
    response = client.post(f"/sailytysvelvoitteet/{hold.pk}/pura/")
    assert response.status_code == 404
    hold.refresh_from_db()
    assert hold.is_active


@pytest.mark.django_db
def test_coordinator_may_not_place_holds(client, typ, tuuli):
    person = typ_client(typ, tuuli)
    login(client, tuuli)
    response = client.post("/sailytysvelvoitteet/", {"client_id": str(person.id), "reason": "X"})
    assert response.status_code == 403
    assert LegalHold.objects.count() == 0
    assert not AccessLogEntry.objects.filter(object_type="legal_hold").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "neljä vuotta"),
        ("sv", "fyra år"),
        ("en", "four years"),
    ],
)
def test_client_sees_how_long_each_kind_of_data_is_kept(client, typ, language, text):
    from django.contrib.auth import get_user_model

    person = make_client(organisation=typ)
    user = get_user_model().objects.create_user(username="sari", password=PASSWORD)
    ClientAccount.objects.create(user=user, client=person)
    client.force_login(user)
    client.cookies["tt_language"] = language
    response = client.get("/omat/sailytysajat/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert text in response.text
    assert "to verify" not in response.text
    home = client.get("/omat/")
    assert "/omat/sailytysajat/" in home.text


@pytest.mark.django_db
def test_a_record_that_still_points_at_a_path_blocks_only_its_own_client(
    typ, tuuli, employment, aino
):
    from tyollisyystalo.referrals.models import Referral

    blocked = typ_client(typ, tuuli)
    free = typ_client(typ, tuuli)
    # Another organisation's record (kept by its own class) still points at the TYP path.
    Referral.objects.create(
        client=blocked,
        owner_organisation=employment,
        category=DataCategory.PLAN,
        case=Case.objects.get(client=blocked),
        receiving_organisation=typ,
        reason="Ohjaus",
        shared_categories="identity",
        sent_by=aino,
        answer_due_on=ENDED,
    )
    results = {
        r.record_class.id: r for r in retention_pass(at=noon(dt.date(2030, 1, 1)), erase=True)
    }
    assert results["multisector_joint_service"].blocked == 1
    assert ClientEntry.objects.filter(client=free).count() == 0
    # nothing of the blocked client's bundle was half erased
    assert ClientEntry.objects.filter(client=blocked).count() == 1
    assert CaseEvent.objects.filter(case__client=blocked).count() == 1
    assert PlanVersion.objects.filter(plan__client=blocked).count() == 1


@pytest.mark.django_db
def test_batch_anonymisation_leaves_what_the_identitys_own_anonymise_leaves(typ, tuuli):
    from tyollisyystalo.retention.erasure import ANONYMOUS_IDENTITY

    one = ClientIdentity.objects.get(client=make_client(organisation=typ))
    one.anonymize()
    one.refresh_from_db()
    skipped = {"id", "client", "anonymized_at"}
    fields = [f.name for f in ClientIdentity._meta.fields if f.name not in skipped]
    changed = {
        name
        for name in fields
        if getattr(one, name)
        != getattr(ClientIdentity.objects.get(client=typ_client(typ, tuuli)), name)
    }
    assert changed <= set(ANONYMOUS_IDENTITY)
    assert {name: getattr(one, name) for name in ANONYMOUS_IDENTITY} == ANONYMOUS_IDENTITY


@pytest.mark.django_db
def test_report_names_no_next_date_for_a_relationship_without_records(typ, tuuli):
    client = make_client(organisation=typ)
    end_relationships(client)
    results = {r.record_class.id: r for r in retention_report(at=noon(dt.date(2022, 1, 1)))}
    assert results["multisector_joint_service"].next_due is None
