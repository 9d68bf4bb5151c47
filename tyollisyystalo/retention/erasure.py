"""Find what has passed its time under the record class table, and erase it (or only count it).

The unit of erasure is a *bundle*: one client's records of one class held by one organisation
(``relationship_ended``) or by any organisation of the class (``client_born``). Candidates are
read once per class and run, at most ``RETENTION_BATCH_SIZE`` × ``RETENTION_MAX_BATCHES``
(what is left waits for the next run), and erased a batch per transaction: the clients' rows
are locked and legal holds checked under that lock, so a hold placed while a run is going
either comes first and stops its bundle or comes after it. When a PROTECT reference from a
record of another class blocks a batch, the batch is rolled back and redone bundle by bundle;
the blocked bundle stays whole and is counted, nothing is half erased.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, Model, OuterRef, Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from tyollisyystalo.audit.checkpoints import SinkError
from tyollisyystalo.audit.erasure import (
    PrefixPlan,
    access_log_prefix_clients,
    access_log_prefix_erase,
    access_log_prefix_plan,
)
from tyollisyystalo.audit.models import AccessLogEntry, ChainHead
from tyollisyystalo.clients.models import (
    Client,
    ClientIdentity,
    ClientRelationship,
    RelationshipStart,
)
from tyollisyystalo.retention.models import ErasureRecord, LegalHold
from tyollisyystalo.retention.registry import ERASE_ORDER, PARENT, ROOT_MODELS
from tyollisyystalo.retention.table import Period, RecordClass, Table, load_table

# What ClientIdentity.anonymize() leaves, as one UPDATE for a batch (a test keeps them equal).
ANONYMOUS_IDENTITY: dict[str, object] = {
    "hetu": "",
    "hetu_hash": None,
    "first_names": "-",
    "last_name": "-",
    "search_name": "",
    "phone": "",
    "email": "",
    "address": "",
    "birth_date": None,
}
SHELL_CLASSES = ("client_basic_data", "relationships_and_consents")
CONSULTATION_CLASS = "team_consultations"


class RetentionRunError(RuntimeError):
    """Part of a run could not be done (what was done is erased and recorded)."""


@dataclass
class ClassResult:
    """One class in one run or report. Counts and dates only: no client, no organisation.

    The access log's class also has its chains (``org-<id>``, ``system``): what is due or was
    erased of each, for the dry-run report; they are never stored in an erasure record.
    """

    record_class: RecordClass
    period: Period | None
    counts: Counter[str] = field(default_factory=Counter)
    bundles: int = 0
    held: int = 0
    blocked: int = 0
    first_start: dt.date | None = None
    last_start: dt.date | None = None
    next_due: dt.date | None = None
    log_chains: dict[str, PrefixPlan] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # no personal data: chain names only

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def saw_start(self, day: dt.date | None) -> None:
        if day is None:
            return
        self.first_start = day if self.first_start is None else min(self.first_start, day)
        self.last_start = day if self.last_start is None else max(self.last_start, day)


def effective_period(record_class: RecordClass) -> Period | None:
    """The table's period, or a deployment's override in days (``period_setting``)."""
    if record_class.period_setting:
        days = getattr(settings, record_class.period_setting, None)
        if isinstance(days, int) and days >= 0:
            return Period(days=days)
    return record_class.period


def _label_model(label: str) -> type[Model]:
    return apps.get_model(label)


def _match(record_class: RecordClass, label: str) -> Q:
    path = PARENT.get(label, "")
    q = Q(**{f"{path[:-2]}__isnull": False}) if path else Q()
    if record_class.owner_types:
        q &= Q(**{f"{path}owner_organisation__type__in": record_class.owner_types})
    if record_class.categories:
        q &= Q(**{f"{path}category__in": record_class.categories})
    return q


def class_filter(table: Table, record_class: RecordClass, label: str) -> Q:
    """Rows of ``label`` that belong to ``record_class``: it matches and no earlier class does."""
    q = _match(record_class, label)
    for earlier in table.classes_for(label):
        if earlier.id == record_class.id:
            break
        q &= ~_match(earlier, label)
    return q


def bundle_rows(
    table: Table, record_class: RecordClass, label: str, bundles: list[Bundle]
) -> QuerySet:
    """Rows of ``label`` in ``record_class`` that belong to any of ``bundles``."""
    path = PARENT.get(label, "")
    by_organisation: dict[int | None, list[uuid.UUID]] = {}
    for bundle in bundles:
        by_organisation.setdefault(bundle.organisation_id, []).append(bundle.client_id)
    which = Q(pk__in=[])
    for organisation_id, clients in by_organisation.items():
        part = Q(**{f"{path}client__in": clients})
        if organisation_id is not None:
            part &= Q(**{f"{path}owner_organisation": organisation_id})
        which |= part
    model = _label_model(label)
    return model._default_manager.filter(which, class_filter(table, record_class, label))


def _active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True)


# --- candidates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    client_id: uuid.UUID
    organisation_id: int | None
    start: dt.date


def _batches() -> tuple[int, int]:
    return settings.RETENTION_BATCH_SIZE, settings.RETENTION_MAX_BATCHES


def _relationship_groups(record_class: RecordClass) -> QuerySet:
    relationships = ClientRelationship.objects.all()
    if record_class.owner_types:
        relationships = relationships.filter(organisation__type__in=record_class.owner_types)
    return (
        relationships.values("client_id", "organisation_id")
        .annotate(open=Count("id", filter=Q(ended_on__isnull=True)), last_end=Max("ended_on"))
        .filter(open=0)
    )


def _has_rows(table: Table, record_class: RecordClass, *, by_organisation: bool) -> Q:
    """The candidate still has records of this class (its root records; children follow)."""
    q = Q(pk__in=[])
    for label in ROOT_MODELS:
        if label not in record_class.models:
            continue
        rows = _label_model(label)._default_manager.filter(
            class_filter(table, record_class, label), client=OuterRef("client")
        )
        if by_organisation:
            rows = rows.filter(owner_organisation=OuterRef("organisation"))
        q |= Q(Exists(rows))
    return q


def _timed_candidates(
    table: Table, record_class: RecordClass, cutoff: dt.date
) -> tuple[QuerySet, tuple[str, ...]]:
    if record_class.start == "relationship_ended":
        groups = _relationship_groups(record_class).filter(last_end__lte=cutoff)
        groups = groups.filter(_has_rows(table, record_class, by_organisation=True))
        return groups, ("last_end", "client_id", "organisation_id")
    identities = ClientIdentity.objects.filter(birth_date__lte=cutoff).filter(
        _has_rows(table, record_class, by_organisation=False)
    )
    return identities.values("client_id", "birth_date"), ("birth_date", "client_id")


def _bundle_batches(candidates: QuerySet, keys: tuple[str, ...]) -> Iterator[list[Bundle]]:
    """Candidates not under a legal hold, in batches: one read of at most the run's bound."""
    size, max_batches = _batches()
    held = Exists(_active_holds().filter(client=OuterRef("client")))
    rows = list(candidates.exclude(held).order_by(*keys)[: size * max_batches])
    for first in range(0, len(rows), size):
        yield [
            Bundle(r["client_id"], r.get("organisation_id"), r[keys[0]])
            for r in rows[first : first + size]
        ]


def _next_due(
    table: Table, record_class: RecordClass, period: Period, cutoff: dt.date
) -> dt.date | None:
    """The first day a record of this class not yet due will be (only candidates with records)."""
    if record_class.start == "relationship_ended":
        first = _relationship_groups(record_class).filter(
            _has_rows(table, record_class, by_organisation=True), last_end__gt=cutoff
        )
        start = first.aggregate(first=Min("last_end"))["first"]
    elif record_class.start == "client_born":
        identities = ClientIdentity.objects.filter(
            _has_rows(table, record_class, by_organisation=False), birth_date__gt=cutoff
        )
        start = identities.aggregate(first=Min("birth_date"))["first"]
    else:
        return None
    return None if start is None else period.last_kept_day(start) + dt.timedelta(days=1)


# --- bundles of organisation records ---------------------------------------------------------


def _batch_counts(table: Table, record_class: RecordClass, bundles: list[Bundle]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for label in ERASE_ORDER:
        if label in record_class.models:
            n = bundle_rows(table, record_class, label, bundles).count()
            if n:
                counts[label] = n
    return counts


def _erase_batch(
    table: Table,
    record_class: RecordClass,
    bundles: list[Bundle],
    consultations: ClassResult | None,
) -> Counter[str]:
    """Delete the bundles' rows, children first (call inside a transaction)."""
    counts: Counter[str] = Counter()
    emptied: set[int] = set()
    for label in ERASE_ORDER:
        if label not in record_class.models:
            continue
        rows = bundle_rows(table, record_class, label, bundles)
        if label == "cases.ConsultationItem":
            emptied.update(rows.values_list("consultation_id", flat=True))
        _, per_model = rows.delete()
        counts.update({k: v for k, v in per_model.items() if v})
    if emptied and consultations is not None and consultations.record_class.erases:
        model = _label_model("cases.Consultation")
        left = model._default_manager.filter(pk__in=emptied, items__isnull=True)
        _, per_model = left.delete()
        consultations.counts.update({k: v for k, v in per_model.items() if v})
    return counts


def _lock_and_drop_held(bundles: list[Bundle]) -> tuple[list[Bundle], int]:
    """Lock the clients' rows, then drop bundles whose client got a hold meanwhile."""
    clients = {b.client_id for b in bundles}
    list(Client.objects.select_for_update().filter(pk__in=clients).values_list("pk", flat=True))
    held = set(_active_holds().filter(client__in=clients).values_list("client_id", flat=True))
    kept = [b for b in bundles if b.client_id not in held]
    return kept, len(bundles) - len(kept)


def _erase_bundles(
    table: Table,
    result: ClassResult,
    bundles: list[Bundle],
    consultations: ClassResult | None,
) -> None:
    """Erase a batch in one transaction; if a PROTECT reference blocks it, bundle by bundle."""
    record_class = result.record_class
    try:
        with transaction.atomic():
            kept, held = _lock_and_drop_held(bundles)
            erased = _erase_batch(table, record_class, kept, consultations)
    except ProtectedError:
        for bundle in bundles:
            _erase_bundles_one(table, result, bundle, consultations)
        return
    result.held += held
    result.bundles += len(kept)
    result.counts.update(erased)
    for bundle in kept:
        result.saw_start(bundle.start)


def _erase_bundles_one(
    table: Table, result: ClassResult, bundle: Bundle, consultations: ClassResult | None
) -> None:
    try:
        with transaction.atomic():
            kept, held = _lock_and_drop_held([bundle])
            erased = _erase_batch(table, result.record_class, kept, consultations)
    except ProtectedError:
        result.blocked += 1
        return
    result.held += held
    if kept:
        result.bundles += 1
        result.counts.update(erased)
        result.saw_start(bundle.start)


def _run_timed_class(
    table: Table,
    result: ClassResult,
    today: dt.date,
    *,
    erase: bool,
    consultations: ClassResult | None,
) -> None:
    record_class, period = result.record_class, result.period
    if period is None:
        return
    cutoff = period.cutoff(today)
    result.next_due = _next_due(table, record_class, period, cutoff)
    candidates, keys = _timed_candidates(table, record_class, cutoff)
    result.held = candidates.filter(
        Exists(_active_holds().filter(client=OuterRef("client")))
    ).count()
    for bundles in _bundle_batches(candidates, keys):
        if erase and record_class.erases:
            _erase_bundles(table, result, bundles, consultations)
            continue
        result.bundles += len(bundles)
        result.counts.update(_batch_counts(table, record_class, bundles))
        for bundle in bundles:
            result.saw_start(bundle.start)


# --- the client's own shell: identity, relationships, consents, account -------------------------


def _with_records(clients: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for label in ROOT_MODELS:
        rows = _label_model(label)._default_manager.filter(client__in=clients)
        found.update(rows.values_list("client_id", flat=True).distinct())
    return found


def _shell_starts(
    table: Table, clients: list[uuid.UUID], today: dt.date
) -> dict[uuid.UUID, dt.date]:
    """The day each client's shell became due; absent while any relationship's class keeps it."""
    ends = (
        ClientRelationship.objects.filter(client__in=clients)
        .values("client_id", "organisation_id", "organisation__type")
        .annotate(open=Count("id", filter=Q(ended_on__isnull=True)), last_end=Max("ended_on"))
    )
    due: dict[uuid.UUID, dt.date] = {}
    never: set[uuid.UUID] = set()
    for row in ends:
        client_id = row["client_id"]
        record_class = table.relationship_class(row["organisation__type"])
        period = None if record_class is None else effective_period(record_class)
        if row["open"] or record_class is None or not record_class.erases or period is None:
            never.add(client_id)
            continue
        expired = period.last_kept_day(row["last_end"]) + dt.timedelta(days=1)
        if expired > today:
            never.add(client_id)
            continue
        due[client_id] = max(due.get(client_id, expired), expired)
    return {c: d for c, d in due.items() if c not in never}


def _shell_candidates() -> Iterator[list[uuid.UUID]]:
    size, max_batches = _batches()
    open_relationship = ClientRelationship.objects.filter(
        client=OuterRef("client"), ended_on__isnull=True
    )
    any_relationship = ClientRelationship.objects.filter(client=OuterRef("client"))
    identities = ClientIdentity.objects.filter(anonymized_at__isnull=True).filter(
        Exists(any_relationship), ~Exists(open_relationship)
    )
    for label in ROOT_MODELS:
        identities = identities.exclude(
            Exists(_label_model(label)._default_manager.filter(client=OuterRef("client")))
        )
    rows = list(
        identities.order_by("client_id").values_list("client_id", flat=True)[: size * max_batches]
    )
    for first in range(0, len(rows), size):
        yield rows[first : first + size]


def _shell_querysets(clients: list[uuid.UUID]) -> list[tuple[str, QuerySet]]:
    """The shell's linked rows, each before what it points to with PROTECT."""
    from tyollisyystalo.consents.models import Consent, ConsentVersion, EmergencyAccess
    from tyollisyystalo.selfservice.models import ClientAccount

    team = _label_model("clients.TeamMembership")._default_manager
    accounts = ClientAccount.objects.filter(client__in=clients)
    return [
        ("selfservice.ClientAccount", accounts),
        ("clients.TeamMembership", team.filter(client__in=clients)),
        ("consents.EmergencyAccess", EmergencyAccess.objects.filter(client__in=clients)),
        ("consents.ConsentVersion", ConsentVersion.objects.filter(consent__client__in=clients)),
        ("consents.Consent", Consent.objects.filter(client__in=clients)),
        ("clients.RelationshipStart", RelationshipStart.objects.filter(client__in=clients)),
        ("clients.ClientRelationship", ClientRelationship.objects.filter(client__in=clients)),
        (
            "retention.LegalHold",
            LegalHold.objects.filter(client__in=clients, released_at__isnull=False),
        ),
    ]


def _erase_shells(clients: list[uuid.UUID], at: dt.datetime) -> Counter[str]:
    """Delete the linked rows and anonymise the identities (call inside a transaction)."""
    from tyollisyystalo.selfservice.models import ClientAccount

    counts: Counter[str] = Counter()
    users = ClientAccount.objects.filter(client__in=clients).values_list("user_id", flat=True)
    # An own-pages account goes with its user (the account cascades from it).
    _, per_model = get_user_model().objects.filter(pk__in=list(users)).delete()
    counts.update({k: v for k, v in per_model.items() if v})
    for _, queryset in _shell_querysets(clients)[1:]:
        _, per_model = queryset.delete()
        counts.update({k: v for k, v in per_model.items() if v})
    ClientIdentity.objects.filter(client__in=clients).update(**ANONYMOUS_IDENTITY, anonymized_at=at)
    return counts


def _run_shell(
    table: Table,
    basic: ClassResult,
    linked: ClassResult,
    today: dt.date,
    at: dt.datetime,
    *,
    erase: bool,
) -> None:
    do_erase = erase and basic.record_class.erases and linked.record_class.erases
    for candidates in _shell_candidates():
        starts = _shell_starts(table, candidates, today)
        if not starts:
            continue
        due = list(starts)
        if not do_erase:
            held = set(_active_holds().filter(client__in=due).values_list("client_id", flat=True))
            due = [c for c in due if c not in held]
            basic.held += len(held)
            counts = Counter({label: q.count() for label, q in _shell_querysets(due)})
        else:
            try:
                with transaction.atomic():
                    list(Client.objects.select_for_update().filter(pk__in=due).values("pk"))
                    held = set(
                        _active_holds().filter(client__in=due).values_list("client_id", flat=True)
                    )
                    basic.held += len(held)
                    busy = held | _with_records(due)  # a record written since the read
                    due = [c for c in due if c not in busy]
                    counts = _erase_shells(due, at)
            except ProtectedError:
                basic.blocked += len(due)
                continue
        if not due:
            continue
        basic.bundles += len(due)
        basic.counts.update({"clients.Client": len(due), "clients.ClientIdentity": len(due)})
        linked.bundles += len(due)
        linked.counts.update({k: v for k, v in counts.items() if v})
        for client_id in due:
            basic.saw_start(starts[client_id])
            linked.saw_start(starts[client_id])


# --- contact requests and the log --------------------------------------------------------------


def _run_contact_requests(result: ClassResult, at: dt.datetime, *, erase: bool) -> None:
    from tyollisyystalo.contact_requests.models import ContactRequest, Status
    from tyollisyystalo.contact_requests.services import contact_requests_anonymise

    period = result.period
    if period is None:
        return
    # The same cutoff as before the table existed: handled more than the period ago (ADR 0008).
    if period.years or period.months:
        first_kept = period.cutoff(timezone.localdate(at)) + dt.timedelta(days=1)
        cutoff = timezone.make_aware(dt.datetime.combine(first_kept, dt.time.min))
    else:
        cutoff = at - dt.timedelta(days=period.days)
    handled = ContactRequest.objects.filter(
        purged_at__isnull=True, status__in=[Status.CLOSED, Status.BECAME_CLIENT]
    )
    held = Exists(_active_holds().filter(client=OuterRef("client")))
    due = handled.filter(handled_at__lt=cutoff)
    result.held = due.filter(held).count()
    nxt = handled.filter(handled_at__gte=cutoff).aggregate(first=Min("handled_at"))["first"]
    if nxt is not None:
        result.next_due = timezone.localdate(nxt + (at - cutoff))
    free = due.exclude(held)
    if not erase:
        span = free.aggregate(n=Count("id"), first=Min("handled_at"), last=Max("handled_at"))
        if span["n"]:
            result.bundles = result.counts["contact_requests.ContactRequest"] = span["n"]
            result.saw_start(timezone.localdate(span["first"]))
            result.saw_start(timezone.localdate(span["last"]))
        return
    size, max_batches = _batches()
    for _ in range(max_batches):
        with transaction.atomic():
            rows = list(
                free.select_for_update()
                .order_by("handled_at", "id")
                .values_list("id", "handled_at")[:size]
            )
            if not rows:
                return
            contact_requests_anonymise(ids=[r[0] for r in rows], at=at)
        result.bundles += len(rows)
        result.counts["contact_requests.ContactRequest"] += len(rows)
        for _, handled_at in rows:
            result.saw_start(timezone.localdate(handled_at))
        if len(rows) < size:
            return


def _erase_log_prefix(
    name: str, plan: PrefixPlan, before: dt.datetime, at: dt.datetime, max_entries: int
) -> PrefixPlan:
    """Lock the prefix's clients, then the chain's head; erase what is still due and free."""
    with transaction.atomic():
        clients = access_log_prefix_clients(
            chain_name=name, through_seq=min(plan.through_seq, plan.anchored_seq + max_entries)
        )
        list(Client.objects.select_for_update().filter(pk__in=clients).values_list("pk"))
        plan = access_log_prefix_plan(
            chain_name=name,
            before=before,
            held_clients=_active_holds().values("client_id"),
            max_entries=max_entries,
            upto=plan.through_seq,
            lock=True,
        )
        access_log_prefix_erase(plan=plan, at=at)
    return plan


def _run_access_log(result: ClassResult, at: dt.datetime, *, erase: bool) -> None:
    """Each chain's oldest entries past their period, as one prefix per chain (ADR 0024).

    The prefix stops at the first entry still in its period and at the first entry about a
    client under an active legal hold (of any organisation). Erasing a chain locks the clients
    of its prefix, then its head, and checks the holds again under those locks; at most
    ``RETENTION_BATCH_SIZE`` × ``RETENTION_MAX_BATCHES`` entries per chain and run.
    """
    period = result.period
    if period is None:
        return
    cutoff = period.cutoff(timezone.localdate(at))
    before = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min))
    first = AccessLogEntry.objects.filter(at__gte=before).aggregate(first=Min("at"))["first"]
    if first is not None:
        result.next_due = period.last_kept_day(timezone.localdate(first)) + dt.timedelta(days=1)
    size, max_batches = _batches()
    held = _active_holds().values("client_id")
    chains = ChainHead.objects.filter(seq__gt=0).order_by("chain").values_list("chain", flat=True)
    for name in chains:
        plan = access_log_prefix_plan(chain_name=name, before=before, held_clients=held)
        if erase and plan.count:
            try:
                plan = _erase_log_prefix(name, plan, before, at, size * max_batches)
            except SinkError as exc:  # rolled back: nothing is erased without its witness
                result.blocked += 1
                result.failures.append(f"access log chain {name}: {exc}")
                continue
        result.log_chains[name] = plan
        result.held += plan.stopped_by_hold
        if plan.count:
            result.bundles += 1
            result.counts["audit.AccessLogEntry"] += plan.count
            if plan.oldest_at is not None and plan.newest_at is not None:
                result.saw_start(timezone.localdate(plan.oldest_at))
                result.saw_start(timezone.localdate(plan.newest_at))


# --- the run -----------------------------------------------------------------------------------


def retention_pass(
    *, at: dt.datetime | None = None, erase: bool, only: tuple[str, ...] = ()
) -> list[ClassResult]:
    """Count (``erase=False``) or erase what has passed its time, class by class.

    With ``erase`` every class that erased something gets one ``ErasureRecord``.
    """
    at = at or timezone.now()
    today = timezone.localdate(at)
    table = load_table()
    results = {
        c.id: ClassResult(record_class=c, period=effective_period(c))
        for c in table.classes
        if not only or c.id in only
    }
    consultations = results.get(CONSULTATION_CLASS)
    for result in results.values():
        start = result.record_class.start
        if start in ("relationship_ended", "client_born"):
            _run_timed_class(table, result, today, erase=erase, consultations=consultations)
        elif start == "handled":
            _run_contact_requests(result, at, erase=erase and result.record_class.erases)
        elif start == "created":
            _run_access_log(result, at, erase=erase and result.record_class.erases)
    if all(c in results for c in SHELL_CLASSES):
        _run_shell(
            table, results[SHELL_CLASSES[0]], results[SHELL_CLASSES[1]], today, at, erase=erase
        )
    if erase:
        _record(table, results.values(), at)
        failures = [f for r in results.values() for f in r.failures]
        if failures:
            raise RetentionRunError("; ".join(failures))
    return list(results.values())


def _record(table: Table, results: object, at: dt.datetime) -> None:
    rows = []
    for result in results:  # type: ignore[attr-defined]
        record_class: RecordClass = result.record_class
        if not record_class.erases or not result.total:
            continue
        period = result.period
        rows.append(
            ErasureRecord(
                class_id=record_class.id,
                action=record_class.action,
                rule_version=table.version,
                rule=f"{period or '-'} / {record_class.start} / {record_class.source}"[:200],
                record_count=result.total,
                counts=dict(sorted(result.counts.items())),
                first_start_on=result.first_start,
                last_start_on=result.last_start,
                erased_at=at,
            )
        )
    ErasureRecord.objects.bulk_create(rows)
