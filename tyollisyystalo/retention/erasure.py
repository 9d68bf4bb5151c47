"""Find what has passed its time under the record class table, and erase it (or only count it).

The unit of erasure is a *bundle*: one client's records of one class held by one organisation
(``relationship_ended``) or by any organisation of the class (``client_born``). Each bundle is
erased in its own transaction, with the client's row locked and the legal hold checked under
that lock, so a hold placed while a run is going either comes first and stops the bundle or
comes after it. A bundle that a PROTECT foreign key still holds is rolled back and counted as
blocked; nothing is half erased. Candidates are read in batches of ``RETENTION_BATCH_SIZE``, at
most ``RETENTION_MAX_BATCHES`` per class and run; what is left waits for the next run.
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

from tyollisyystalo.clients.models import Client, ClientIdentity, ClientRelationship
from tyollisyystalo.retention.models import ErasureRecord, LegalHold
from tyollisyystalo.retention.registry import ERASE_ORDER, PARENT, ROOT_MODELS
from tyollisyystalo.retention.table import Period, RecordClass, Table, load_table

SHELL_CLASSES = ("client_basic_data", "relationships_and_consents")
CONSULTATION_CLASS = "team_consultations"


@dataclass
class ClassResult:
    """One class in one run or report. Counts and dates only: no client, no organisation."""

    record_class: RecordClass
    period: Period | None
    counts: Counter[str] = field(default_factory=Counter)
    bundles: int = 0
    held: int = 0
    blocked: int = 0
    first_start: dt.date | None = None
    last_start: dt.date | None = None
    next_due: dt.date | None = None

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
    table: Table,
    record_class: RecordClass,
    label: str,
    client_id: uuid.UUID,
    organisation_id: int | None,
) -> QuerySet:
    path = PARENT.get(label, "")
    filters: dict[str, object] = {f"{path}client": client_id}
    if organisation_id is not None:
        filters[f"{path}owner_organisation"] = organisation_id
    model = _label_model(label)
    return model._default_manager.filter(class_filter(table, record_class, label), **filters)


def _active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True)


def _held(client_id: uuid.UUID) -> bool:
    return _active_holds().filter(client_id=client_id).exists()


def _lock_client(client_id: uuid.UUID) -> None:
    list(Client.objects.select_for_update().filter(pk=client_id).values_list("pk", flat=True))


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


def _after(keys: tuple[str, ...], last: tuple[object, ...]) -> Q:
    """Keyset pagination: rows strictly after ``last`` in the order of ``keys``."""
    q = Q(pk__in=[])
    for i, key in enumerate(keys):
        step = Q(**{f"{key}__gt": last[i]})
        for j in range(i):
            step &= Q(**{keys[j]: last[j]})
        q |= step
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


def _bundles(
    candidates: QuerySet,
    keys: tuple[str, ...],
) -> Iterator[Bundle]:
    size, max_batches = _batches()
    held = Exists(_active_holds().filter(client=OuterRef("client")))
    free = candidates.exclude(held).order_by(*keys)
    last: tuple[object, ...] | None = None
    for _ in range(max_batches):
        page = free if last is None else free.filter(_after(keys, last))
        rows = list(page[:size])
        for row in rows:
            yield Bundle(row["client_id"], row.get("organisation_id"), row[keys[0]])
        if len(rows) < size:
            return
        last = tuple(rows[-1][k] for k in keys)


def _next_due(record_class: RecordClass, period: Period, cutoff: dt.date) -> dt.date | None:
    if record_class.start == "relationship_ended":
        first = _relationship_groups(record_class).filter(last_end__gt=cutoff)
        start = first.aggregate(first=Min("last_end"))["first"]
    elif record_class.start == "client_born":
        start = ClientIdentity.objects.filter(birth_date__gt=cutoff).aggregate(
            first=Min("birth_date")
        )["first"]
    else:
        return None
    return None if start is None else period.last_kept_day(start) + dt.timedelta(days=1)


# --- bundles of organisation records ---------------------------------------------------------


def _bundle_counts(table: Table, record_class: RecordClass, bundle: Bundle) -> Counter[str]:
    counts: Counter[str] = Counter()
    for label in ERASE_ORDER:
        if label in record_class.models:
            n = bundle_rows(
                table, record_class, label, bundle.client_id, bundle.organisation_id
            ).count()
            if n:
                counts[label] = n
    return counts


def _erase_bundle(
    table: Table, record_class: RecordClass, bundle: Bundle, consultations: ClassResult | None
) -> Counter[str]:
    counts: Counter[str] = Counter()
    emptied: set[int] = set()
    for label in ERASE_ORDER:
        if label not in record_class.models:
            continue
        rows = bundle_rows(table, record_class, label, bundle.client_id, bundle.organisation_id)
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
    result.next_due = _next_due(record_class, period, cutoff)
    candidates, keys = _timed_candidates(table, record_class, cutoff)
    result.held = candidates.filter(
        Exists(_active_holds().filter(client=OuterRef("client")))
    ).count()
    for bundle in _bundles(candidates, keys):
        if not erase or not record_class.erases:
            result.bundles += 1
            result.counts.update(_bundle_counts(table, record_class, bundle))
            result.saw_start(bundle.start)
            continue
        try:
            with transaction.atomic():
                _lock_client(bundle.client_id)
                if _held(bundle.client_id):
                    result.held += 1
                    continue
                erased = _erase_bundle(table, record_class, bundle, consultations)
        except ProtectedError:
            result.blocked += 1
            continue
        result.bundles += 1
        result.counts.update(erased)
        result.saw_start(bundle.start)


# --- the client's own shell: identity, relationships, consents, account -------------------------


def _has_records(client_id: uuid.UUID) -> bool:
    return any(
        _label_model(label)._default_manager.filter(client=client_id).exists()
        for label in ROOT_MODELS
    )


def _shell_start(table: Table, client_id: uuid.UUID, today: dt.date) -> dt.date | None:
    """The day the client's shell became due, or None while any relationship's class keeps it."""
    ends = (
        ClientRelationship.objects.filter(client=client_id)
        .values("organisation_id", "organisation__type")
        .annotate(open=Count("id", filter=Q(ended_on__isnull=True)), last_end=Max("ended_on"))
    )
    due: dt.date | None = None
    for row in ends:
        record_class = table.relationship_class(row["organisation__type"])
        period = None if record_class is None else effective_period(record_class)
        if row["open"] or record_class is None or not record_class.erases or period is None:
            return None
        expired = period.last_kept_day(row["last_end"]) + dt.timedelta(days=1)
        if expired > today:
            return None
        due = expired if due is None else max(due, expired)
    return due


def _shell_candidates() -> Iterator[uuid.UUID]:
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
    identities = identities.order_by("client_id")
    last: uuid.UUID | None = None
    for _ in range(max_batches):
        page = identities if last is None else identities.filter(client_id__gt=last)
        rows = list(page.values_list("client_id", flat=True)[:size])
        yield from rows
        if len(rows) < size:
            return
        last = rows[-1]


def _shell_counts(client_id: uuid.UUID) -> tuple[Counter[str], Counter[str]]:
    from tyollisyystalo.consents.models import Consent, ConsentVersion, EmergencyAccess
    from tyollisyystalo.selfservice.models import ClientAccount

    basic: Counter[str] = Counter({"clients.Client": 1, "clients.ClientIdentity": 1})
    linked: Counter[str] = Counter()
    for label, n in (
        ("clients.ClientRelationship", ClientRelationship.objects.filter(client=client_id).count()),
        (
            "clients.TeamMembership",
            _label_model("clients.TeamMembership")
            ._default_manager.filter(client=client_id)
            .count(),
        ),
        ("consents.Consent", Consent.objects.filter(client=client_id).count()),
        (
            "consents.ConsentVersion",
            ConsentVersion.objects.filter(consent__client=client_id).count(),
        ),
        ("consents.EmergencyAccess", EmergencyAccess.objects.filter(client=client_id).count()),
        ("selfservice.ClientAccount", ClientAccount.objects.filter(client=client_id).count()),
        (
            "retention.LegalHold",
            LegalHold.objects.filter(client=client_id, released_at__isnull=False).count(),
        ),
    ):
        if n:
            linked[label] = n
    return basic, linked


def _erase_shell(client_id: uuid.UUID, at: dt.datetime) -> Counter[str]:
    from tyollisyystalo.consents.models import Consent, ConsentVersion, EmergencyAccess
    from tyollisyystalo.selfservice.models import ClientAccount

    counts: Counter[str] = Counter()
    user_ids = list(
        ClientAccount.objects.filter(client=client_id).values_list("user_id", flat=True)
    )
    for queryset in (
        get_user_model().objects.filter(pk__in=user_ids),  # the account goes with its user
        _label_model("clients.TeamMembership")._default_manager.filter(client=client_id),
        EmergencyAccess.objects.filter(client=client_id),
        ConsentVersion.objects.filter(consent__client=client_id),
        Consent.objects.filter(client=client_id),
        ClientRelationship.objects.filter(client=client_id),
        LegalHold.objects.filter(client=client_id, released_at__isnull=False),
    ):
        _, per_model = queryset.delete()
        counts.update({k: v for k, v in per_model.items() if v})
    identity = ClientIdentity.objects.get(client=client_id)
    identity.anonymize()
    ClientIdentity.objects.filter(pk=identity.pk).update(anonymized_at=at)
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
    for client_id in _shell_candidates():
        if _has_records(client_id):
            continue
        start = _shell_start(table, client_id, today)
        if start is None:
            continue
        if _held(client_id):
            basic.held += 1
            continue
        do_erase = erase and basic.record_class.erases and linked.record_class.erases
        if not do_erase:
            basic_counts, linked_counts = _shell_counts(client_id)
        else:
            try:
                with transaction.atomic():
                    _lock_client(client_id)
                    if _held(client_id) or _has_records(client_id):
                        basic.held += 1
                        continue
                    linked_counts = _erase_shell(client_id, at)
                    basic_counts = Counter({"clients.Client": 1, "clients.ClientIdentity": 1})
            except ProtectedError:
                basic.blocked += 1
                continue
        basic.bundles += 1
        basic.counts.update(basic_counts)
        basic.saw_start(start)
        if linked_counts:
            linked.bundles += 1
            linked.counts.update(linked_counts)
            linked.saw_start(start)


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


def _run_access_log(result: ClassResult, today: dt.date) -> None:
    """Counted only: the log is not erased automatically yet (ADR 0022)."""
    from tyollisyystalo.audit.models import AccessLogEntry

    period = result.period
    if period is None:
        return
    cutoff = period.cutoff(today)
    limit = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min))
    result.counts["audit.AccessLogEntry"] = AccessLogEntry.objects.filter(at__lt=limit).count()
    first = AccessLogEntry.objects.filter(at__gte=limit).aggregate(first=Min("at"))["first"]
    if first is not None:
        result.next_due = period.last_kept_day(timezone.localdate(first)) + dt.timedelta(days=1)


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
            _run_access_log(result, today)
    if all(c in results for c in SHELL_CLASSES):
        _run_shell(
            table, results[SHELL_CLASSES[0]], results[SHELL_CLASSES[1]], today, at, erase=erase
        )
    if erase:
        _record(table, results.values(), at)
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
