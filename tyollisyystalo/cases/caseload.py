"""My clients (*asiakkaani*, issue 16 part 1): the staff member's caseload.

Every open path where the staff member is the coordinator, the deputy or in the client's team,
with the path's status, the next open deadline, the last contact, the plan's state and the open
referrals; filtered by role, status, municipality and overdue, sorted and paged in SQL (a fixed
number of queries whatever the caseload's size). The order and the page's facts are plain SQL,
one query each: compiling them with the ORM cost more than running them. Names are decided by
the gatekeeper in one batch and every client listed is logged as read, as on the worklist; the
CSV/XLSX export lists the same rows for every page and logs them the same way.

The last contact is the newest of a record entry about the client by the staff member's
organisation, a review done on the path and an appointment on the path that took place.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_contexts_load, decide_read, identity_decisions
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.cases.models import OPEN, Case, CaseDeadline, CaseStatus
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientEntry, ClientIdentity, TeamMembership
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.plans.models import Plan
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.shared.exports import xlsx_table
from tyollisyystalo.shared.links import uuid_links
from tyollisyystalo.shared.text import spreadsheet_safe
from tyollisyystalo.staff.models import StaffMember

PAGE = 25
ROLES = ("vastuu", "vara", "tiimi")  # coordinator, deputy, team member
SORTS = ("seuraava", "nimi", "tila", "ohjattu")  # next deadline, name, status, referred
OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


@dataclass(frozen=True)
class CaseloadFilter:
    role: str = ""  # one of ROLES, or every role
    status: str = ""  # an open status, or every one
    municipality: str = ""  # a municipality code, or every one
    overdue: bool = False
    sort: str = "seuraava"


@dataclass(frozen=True)
class CaseloadRow:
    client_id: uuid.UUID
    name: str  # empty when the gatekeeper does not show it
    client_url: str
    case_url: str
    roles: str
    status: str
    next_due: dt.date | None
    overdue: bool
    last_contact: dt.date | None
    plan: str
    open_referrals: int | None  # None: not shown


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _tables() -> dict[str, str]:
    # Appointments sit above this app: their table is looked up, not imported.
    appointment = apps.get_model("appointments", "Appointment")
    return {
        model.__name__: connection.ops.quote_name(model._meta.db_table)
        for model in (
            appointment,
            Case,
            CaseDeadline,
            ClientEntry,
            ClientIdentity,
            Municipality,
            Plan,
            Referral,
            TeamMembership,
        )
    }


def _prep_many(values: Iterable[uuid.UUID]) -> list[Any]:
    """UUIDs as query parameters (SQLite: hex text), the connection looked up once."""
    field, database = Case._meta.pk, connections[DEFAULT_DB_ALIAS]
    return [field.get_db_prep_value(value, database) for value in values]


def _in(column: str, subquery: str) -> str:
    """``column IN (subquery)``; on PostgreSQL ``= ANY(ARRAY(subquery))``: the few ids are found
    first and then looked up in the index, where a semi-join of the estimated rows chose to scan
    every path."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({subquery}))"
    return f"{column} IN ({subquery})"


ORDERS = {
    "seuraava": ("next_due", "c.referred_on"),
    "nimi": ("sort_name", "c.referred_on"),
    "tila": ("c.status", "next_due"),
    "ohjattu": ("-c.referred_on",),
}


def _team(t: Mapping[str, str]) -> str:
    """The clients in whose team the staff member (a parameter) is."""
    return (
        f"SELECT m.client_id FROM {t['TeamMembership']} m WHERE m.staff_member_id = %s"
        " AND m.started_at IS NOT NULL AND m.ended_at IS NULL"
    )


def _mine(staff: StaffMember, role: str, t: Mapping[str, str]) -> tuple[str, list[Any]]:
    """The condition on path ``c`` of being in the staff member's caseload in this role (or in
    any), with its parameters."""
    team = _team(t)
    roles: dict[str, tuple[str, list[Any]]] = {
        "vastuu": ("c.coordinator_id = %s", [staff.pk]),
        "vara": ("c.deputy_id = %s", [staff.pk]),
        # In the client's team only (the coordinator is in the team too).
        "tiimi": (
            f"({_in('c.client_id', team)} AND c.coordinator_id <> %s"
            " AND (c.deputy_id IS NULL OR c.deputy_id <> %s))",
            [staff.pk, staff.pk, staff.pk],
        ),
    }
    if role in roles:
        return roles[role]
    if connection.vendor != "postgresql":
        # SQLite: the same union of row ids, found in the three indexes alone (each holds the
        # row id) and then read once each; by path ids it looked each id up in the primary
        # key's index too. An OR was as fast until the tables were analysed, then a scan.
        mine = (
            f"c.rowid IN (SELECT x.rowid FROM {t['Case']} x WHERE x.coordinator_id = %s"
            f" UNION SELECT x.rowid FROM {t['Case']} x WHERE x.deputy_id = %s"
            f" UNION SELECT x.rowid FROM {t['Case']} x WHERE x.client_id IN ({team}))"
        )
        return mine, [staff.pk, staff.pk, staff.pk]
    # A union of three indexed lookups: PostgreSQL cannot use an index for an OR whose
    # branch is a subquery, and scanned every path (docs/BENCHMARKS.md, My clients).
    mine = _in(
        "c.id",
        f"SELECT x.id FROM {t['Case']} x WHERE x.coordinator_id = %s"
        f" UNION SELECT x.id FROM {t['Case']} x WHERE x.deputy_id = %s"
        f" UNION SELECT x.id FROM {t['Case']} x WHERE {_in('x.client_id', team)}",
    )
    return mine, [staff.pk, staff.pk, staff.pk]


def _reads_identity(f: CaseloadFilter) -> bool:
    """Whether the list's filter or order reads the clients' identity."""
    return bool(f.municipality) or f.sort == "nimi"


def _hidden_paths(staff: StaffMember, f: CaseloadFilter, at: dt.datetime) -> frozenset[uuid.UUID]:
    """The open paths of the caseload that the list may not say anything about, left out before
    filtering, sorting, paging and counting so that no filter, order or total reveals them:
    another organisation's path the gatekeeper does not let the reader read (a path is its
    organisation's plan data, R3), and — when the list is filtered by municipality or sorted by
    name, which read the identity — a path of a client whose identity the reader is not shown.
    """
    t = _tables()
    by_identity = _reads_identity(f)
    if by_identity:
        mine, params = _mine(staff, "", t)
    else:
        # Another organisation's path is in the caseload only through the team: its
        # coordinator and deputy are of its own organisation (``cases.services._check_staff``).
        mine = f"{_in('c.client_id', _team(t))} AND c.owner_organisation_id <> %s"
        params = [staff.pk, staff.organisation_id]
    sql = (
        f"SELECT c.id, c.client_id, c.owner_organisation_id FROM {t['Case']} c WHERE {mine}"
        f" AND c.status IN ({', '.join(['%s'] * len(OPEN))})"
    )
    params = [*params, *OPEN]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        paths = [(_uuid(pk), _uuid(client), owner) for pk, client, owner in cursor.fetchall()]
    foreign = [path for path in paths if path[2] != staff.organisation_id]
    contexts = (
        access_contexts_load({client for _pk, client, _o in foreign}, at=at) if foreign else {}
    )
    hidden = {
        pk
        for pk, client, owner in foreign
        if not decide_read(
            staff, contexts[client], owner_organisation_id=owner, category=DataCategory.PLAN
        ).allowed
    }
    if by_identity and paths:
        decisions = identity_decisions(staff, {client for _pk, client, _o in paths}, at=at)
        hidden.update(pk for pk, client, _o in paths if not decisions[client].allowed)
    return frozenset(hidden)


def caseload_ordered(
    staff: StaffMember,
    f: CaseloadFilter,
    today: dt.date,
    *,
    limit: int | None = None,
    offset: int = 0,
    hidden: frozenset[uuid.UUID] = frozenset(),
) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """The open paths of the caseload but ``hidden``, filtered and sorted: (path, client,
    total) per row.

    Plain SQL, the same on SQLite and PostgreSQL: built with the ORM, compiling this query and
    the rows' facts cost more than running them (docs/BENCHMARKS.md, My clients). Only table
    names are formatted in; every value is a parameter. ``cases/tests/test_caseload.py`` checks
    it against the same rules written with the ORM. What a row shows is fetched for the rows of
    one page only (``_facts``).
    """
    rows = _ordered(staff, f, today, limit=limit, offset=offset, hidden=hidden)
    return [(pk, client, total) for pk, client, total, _foreign in rows]


def _ordered(
    staff: StaffMember,
    f: CaseloadFilter,
    today: dt.date,
    *,
    limit: int | None,
    offset: int,
    hidden: frozenset[uuid.UUID],
) -> list[tuple[uuid.UUID, uuid.UUID, int, int]]:
    """``caseload_ordered`` with, last in each row, how many of all the rows filtered (not only
    the page's) are paths of another organisation than the reader's."""
    t = _tables()
    mine, where_params = _mine(staff, f.role, t)
    where = [mine, f"c.status IN ({', '.join(['%s'] * len(OPEN))})"]
    params: list[Any] = [staff.organisation_id, *where_params, *OPEN]
    if hidden:
        where.append(f"c.id NOT IN ({', '.join(['%s'] * len(hidden))})")
        params.extend(_prep_many(sorted(hidden)))
    if f.status in OPEN:
        where.append("c.status = %s")
        params.append(f.status)
    if f.municipality:
        where.append(
            _in(
                "c.client_id",
                f"SELECT i.client_id FROM {t['ClientIdentity']} i"
                f" JOIN {t['Municipality']} mu ON mu.id = i.municipality_id WHERE mu.code = %s",
            )
        )
        params.append(f.municipality)
    next_due = (
        f"(SELECT MIN(d.due_on) FROM {t['CaseDeadline']} d"
        " WHERE d.case_id = c.id AND d.done_on IS NULL AND d.cancelled_at IS NULL)"
    )
    if f.overdue:
        where.append(f"{next_due} < %s")
        params.append(today)
    columns = {
        "next_due": next_due,
        "sort_name": f"(SELECT i.search_name FROM {t['ClientIdentity']} i"
        " WHERE i.client_id = c.client_id)",
    }
    ordering = []
    for key in ORDERS.get(f.sort, ORDERS["seuraava"]):
        name = key.lstrip("-")
        direction = "DESC" if key.startswith("-") else "ASC"
        ordering.append(f"{columns.get(name, name)} {direction} NULLS LAST")
    sql = (
        "SELECT c.id, c.client_id, COUNT(*) OVER (),"
        " SUM(CASE WHEN c.owner_organisation_id <> %s THEN 1 ELSE 0 END) OVER ()"
        f" FROM {t['Case']} c"
        f" WHERE {' AND '.join(where)} ORDER BY {', '.join(ordering)}, c.id ASC"
    )
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (_uuid(pk), _uuid(client), total, foreign)
            for pk, client, total, foreign in cursor.fetchall()
        ]


def _visible(
    staff: StaffMember,
    f: CaseloadFilter,
    today: dt.date,
    at: dt.datetime,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """``caseload_ordered`` without ``_hidden_paths``, deciding them only when they can matter.

    Unless the list reads identities, only another organisation's path can be left out, and
    most caseloads have none: the order is read first, counting such paths among all the rows
    filtered; only when there are any are they decided, and the order is read again when some
    are hidden. The rows are those of ``caseload_ordered(..., hidden=_hidden_paths(...))``.
    """
    rows: list[tuple[uuid.UUID, uuid.UUID, int, int]] = []
    if not _reads_identity(f):
        rows = _ordered(staff, f, today, limit=limit, offset=offset, hidden=frozenset())
        if not rows or rows[0][3] == 0:
            return [(pk, client, total) for pk, client, total, _foreign in rows]
    hidden = _hidden_paths(staff, f, at)
    if rows and not hidden:
        return [(pk, client, total) for pk, client, total, _foreign in rows]
    return caseload_ordered(staff, f, today, limit=limit, offset=offset, hidden=hidden)


def _facts(
    staff: StaffMember, paths: list[tuple[uuid.UUID, uuid.UUID]], named: Collection[uuid.UUID]
) -> list[dict[str, Any]]:
    """What the rows of these paths (id, client) show, in their order, as plain values; the
    name (``name``, else None) only of the clients in ``named``, those the gatekeeper shows.

    One query in plain SQL: the same correlated subqueries written with the ORM cost three times
    as much to compile as to run (docs/BENCHMARKS.md, My clients). Standard SQL, the same on
    SQLite and PostgreSQL; table names from the models. The last appointment that took place
    is looked up by the path alone: given the status too, SQLite walked the index of every
    appointment taken place, newest first, until one was the path's (3 s for a page at 200,000
    such appointments).
    """
    if not paths:
        return []
    t = _tables()
    # Each path by its id as the database gives it back: no id is parsed.
    by_db = dict(zip(_prep_many([pk for pk, _client in paths]), paths, strict=True))
    marks = ", ".join(["%s"] * len(by_db))
    # The identity row is joined only for the clients whose names are shown: nothing else of
    # it is read.
    shown = f"i.client_id IN ({', '.join(['%s'] * len(named))})" if named else "1 = 0"
    sql = f"""
        SELECT c.id, c.status, c.coordinator_id, c.deputy_id, c.owner_organisation_id,
          i.first_names, i.last_name,
          (SELECT MIN(d.due_on) FROM {t["CaseDeadline"]} d
            WHERE d.case_id = c.id AND d.done_on IS NULL AND d.cancelled_at IS NULL),
          (SELECT MAX(e.entry_date) FROM {t["ClientEntry"]} e
            WHERE e.client_id = c.client_id AND e.owner_organisation_id = %s),
          (SELECT MAX(d.done_on) FROM {t["CaseDeadline"]} d WHERE d.case_id = c.id),
          (SELECT MAX(CASE WHEN a.status = 'done' THEN a.starts_at END)
            FROM {t["Appointment"]} a WHERE a.case_id = c.id),
          (SELECT p.current_number FROM {t["Plan"]} p
            WHERE p.case_id = c.id ORDER BY p.started_on DESC, p.id DESC LIMIT 1),
          (SELECT p.started_on FROM {t["Plan"]} p
            WHERE p.case_id = c.id ORDER BY p.started_on DESC, p.id DESC LIMIT 1),
          (SELECT COUNT(*) FROM {t["Referral"]} r WHERE r.case_id = c.id AND r.status IN (%s, %s)),
          (SELECT COUNT(*) FROM {t["TeamMembership"]} m
            WHERE m.client_id = c.client_id AND m.staff_member_id = %s
              AND m.started_at IS NOT NULL AND m.ended_at IS NULL)
        FROM {t["Case"]} c
        LEFT JOIN {t["ClientIdentity"]} i ON i.client_id = c.client_id AND {shown}
        WHERE c.id IN ({marks})
    """
    params = [
        staff.organisation_id,
        *OPEN_REFERRAL,
        staff.pk,
        *_prep_many(sorted(named)),
        *by_db,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    keys = (
        "status",
        "coordinator_id",
        "deputy_id",
        "owner",
        "first_names",
        "last_name",
        "next_due",
        "last_entry",
        "last_review",
        "last_met",
        "plan_version",
        "plan_started",
        "open_referrals",
        "in_team",
    )
    facts = []
    for db_id, (pk, client) in by_db.items():
        if db_id not in found:
            continue
        row = dict(zip(keys, found[db_id], strict=True))
        row["id"] = pk
        row["client_id"] = client
        for key in ("next_due", "last_entry", "last_review", "plan_started"):
            row[key] = _date(row[key])
        row["last_met"] = _local_day(row["last_met"])
        row["in_team"] = bool(row["in_team"])
        first_names, last_name = row.pop("first_names"), row.pop("last_name")
        row["name"] = (
            ClientIdentity.name_of(first_names, last_name) if last_name is not None else None
        )
        facts.append(row)
    return facts


def _date(value: Any) -> dt.date | None:
    """A date as the database driver gives it (SQLite: text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _local_day(value: Any) -> dt.date | None:
    """The local day of a stored moment (SQLite gives text in UTC)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return timezone.localtime(value).date()


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _roles(path: Mapping[str, Any], staff: StaffMember, names: tuple[str, str, str]) -> str:
    """The reader's roles on the path, ``names`` being those of the coordinator, the deputy and
    a team member (translated once per list)."""
    labels = []
    if path["coordinator_id"] == staff.pk:
        labels.append(names[0])
    if path["deputy_id"] == staff.pk:
        labels.append(names[1])
    if path["in_team"] and not labels:
        labels.append(names[2])
    return ", ".join(labels)


def _rows(paths: list[dict[str, Any]], staff: StaffMember, today: dt.date) -> list[CaseloadRow]:
    status_labels = {status: str(label) for status, label in CaseStatus.choices}
    client_url = uuid_links("casefile:card")
    case_url = uuid_links("cases:detail")
    no_plan = _("Ei suunnitelmaa")
    version_of = _("Versio %(n)s, laadittu %(day)s")
    role_names = (_("vastuuhenkilö"), _("varahenkilö"), _("tiimin jäsen"))
    rows = []
    for path in paths:
        if path["name"] is None:
            # The gatekeeper does not show this client to the reader: nothing of the path either.
            rows.append(
                CaseloadRow(
                    client_id=path["client_id"],
                    name="",
                    client_url="",
                    case_url="",
                    roles=_roles(path, staff, role_names),
                    status="",
                    next_due=None,
                    overdue=False,
                    last_contact=None,
                    plan="",
                    open_referrals=None,
                )
            )
            continue
        next_due: dt.date | None = path["next_due"]
        contacts = [d for d in (path["last_entry"], path["last_review"], path["last_met"]) if d]
        version = path["plan_version"]
        plan = (
            version_of % {"n": version, "day": _day(path["plan_started"])} if version else no_plan
        )
        rows.append(
            CaseloadRow(
                client_id=path["client_id"],
                name=path["name"],
                client_url=client_url(path["client_id"]),
                case_url=case_url(path["id"]),
                roles=_roles(path, staff, role_names),
                status=status_labels.get(path["status"], path["status"]),
                next_due=next_due,
                overdue=next_due is not None and next_due < today,
                last_contact=max(contacts) if contacts else None,
                plan=plan,
                open_referrals=path["open_referrals"] or 0,
            )
        )
    return rows


def _day(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _listed(
    staff: StaffMember,
    paths: list[tuple[uuid.UUID, uuid.UUID]],
    today: dt.date,
    at: dt.datetime,
    purpose: str,
) -> list[CaseloadRow]:
    """The rows of these paths (id, client) with the names the gatekeeper shows, each name
    logged as read. The paths are those ``caseload_ordered`` gave without ``_hidden_paths``."""
    decisions = identity_decisions(staff, {client for _pk, client in paths}, at=at)
    visible = {client for client, decision in decisions.items() if decision.allowed}
    facts = _facts(staff, paths, visible)
    # The clients listed (a path gone since the order was read is not) whose names are shown.
    shown = [f["client_id"] for f in facts if f["client_id"] in visible]
    access_log_list_reads(
        actor=staff,
        bases={cid: (decisions[cid].basis, decisions[cid].consent_id) for cid in shown},
        categories=[DataCategory.IDENTITY, DataCategory.PLAN],
        object_type="caseload",
        object_id=str(staff.pk),
        purpose=purpose,
        at=at,
    )
    return _rows(facts, staff, today)


def caseload_get(
    *, staff: StaffMember, f: CaseloadFilter, page: int = 1, at: dt.datetime | None = None
) -> Caseload:
    """One page of the caseload (``PAGE`` rows)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    # The total comes with the page's rows (a window count): one query, not two.
    rows = _visible(staff, f, today, at, limit=PAGE, offset=(page - 1) * PAGE)
    if not rows and page > 1:  # past the end: the last page instead
        total = len(_visible(staff, f, today, at))
        page = max(1, -(-total // PAGE))
        rows = _visible(staff, f, today, at, limit=PAGE, offset=(page - 1) * PAGE)
    total = rows[0][2] if rows else 0
    shown = [(pk, client) for pk, client, _total in rows]
    return Caseload(_listed(staff, shown, today, at, "caseload"), page, total)


def caseload_export(
    *, staff: StaffMember, f: CaseloadFilter, at: dt.datetime | None = None
) -> list[CaseloadRow]:
    """Every row of the filtered caseload, for CSV/XLSX: each client listed is logged as read."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    paths = [(pk, client) for pk, client, _total in _visible(staff, f, today, at)]
    return _listed(staff, paths, today, at, "caseload export")


# The page's rows, written in Python: 50 rows through the template language cost more than
# the page's queries (docs/BENCHMARKS.md, My clients).


def caseload_rows_html(rows: list[CaseloadRow]) -> SafeString:
    # Django's ``escape`` is ``html.escape`` behind a wrapper for lazy strings; the texts here
    # are plain strings.
    escape = html.escape
    hidden = escape(_("(nimi ei näytettävissä)"))
    late = escape(_("myöhässä"))
    parts = []
    for row in rows:
        name = f'<a href="{row.client_url}">{escape(row.name)}</a>' if row.client_url else hidden
        status = f'<a href="{row.case_url}">{escape(row.status)}</a>' if row.case_url else "–"
        due = "–"
        if row.next_due:
            due = _day(row.next_due)
            if row.overdue:
                due += f' <strong class="overdue">{late}</strong>'
        referrals = "–" if row.open_referrals is None else row.open_referrals
        parts.append(
            f'<tr><th scope="row">{name}</th><td>{escape(row.roles)}</td><td>{status}</td>'
            f"<td>{due}</td><td>{_day(row.last_contact) if row.last_contact else '–'}</td>"
            f"<td>{escape(row.plan or '–')}</td><td>{referrals}</td></tr>"
        )
    # Every text is escaped above; the links are reversed URLs of UUIDs.
    return mark_safe("".join(parts))  # noqa: S308


# Exports: the columns of the list, in the reader's language -------------------------------


def _headings() -> list[str]:
    return [
        _("Asiakas"),
        _("Roolisi"),
        _("Tila"),
        _("Seuraava määräaika"),
        _("Viimeisin yhteys"),
        _("Suunnitelma"),
        _("Avoimet lähetteet"),
    ]


def _cells(row: CaseloadRow) -> list[str | int]:
    return [
        spreadsheet_safe(row.name or _("(nimi ei näytettävissä)")),
        row.roles,
        row.status,
        _day(row.next_due) if row.next_due else "",
        _day(row.last_contact) if row.last_contact else "",
        row.plan,
        "" if row.open_referrals is None else row.open_referrals,
    ]


def caseload_csv(rows: list[CaseloadRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_headings())
    writer.writerows(_cells(row) for row in rows)
    return "\ufeff" + out.getvalue()  # a byte-order mark: spreadsheet programs read UTF-8


def caseload_xlsx(rows: list[CaseloadRow]) -> bytes:
    return xlsx_table(_("Asiakkaani"), _headings(), (_cells(row) for row in rows))
