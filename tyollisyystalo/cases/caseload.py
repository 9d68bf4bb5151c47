"""My clients (*asiakkaani*, issue 16 part 1): the staff member's caseload.

Every open path where the staff member is the coordinator, the deputy or in the client's team,
with the path's status, the next open deadline, the last contact, the plan's state and the open
referrals; filtered by role, status, municipality and overdue, sorted and paged in SQL (a fixed
number of queries whatever the caseload's size). Names are decided by the gatekeeper in one
batch and every client listed is logged as read, as on the worklist; the CSV/XLSX export lists
the same rows for every page and logs them the same way.

The last contact is the newest of a record entry about the client by the staff member's
organisation and a review done on the path (appointments will count once they exist).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tyollisyystalo.access.gatekeeper import identity_decisions
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.cases.models import OPEN, Case, CaseDeadline, CaseStatus
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientEntry, ClientIdentity, TeamMembership
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.plans.models import Plan
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.shared.links import uuid_links
from tyollisyystalo.staff.models import StaffMember

PAGE = 50
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


def _team_clients(staff: StaffMember) -> Any:
    """The clients in whose team the staff member works now (a subquery)."""
    return TeamMembership.objects.filter(
        staff_member=staff, started_at__isnull=False, ended_at__isnull=True
    ).values("client_id")


def caseload_paths(staff: StaffMember, f: CaseloadFilter, today: dt.date) -> QuerySet[Case]:
    """The open paths of the caseload, filtered and sorted, with what a row shows annotated."""
    team = _team_clients(staff)
    roles = {
        "vastuu": Q(coordinator=staff),
        "vara": Q(deputy=staff),
        # In the client's team only (the coordinator is in the team too).
        "tiimi": Q(client_id__in=team) & ~Q(coordinator=staff) & ~Q(deputy=staff),
    }
    mine = roles.get(f.role) or (roles["vastuu"] | roles["vara"] | roles["tiimi"])
    paths = Case.objects.filter(mine, status__in=OPEN)
    if f.status in OPEN:
        paths = paths.filter(status=f.status)
    if f.municipality:
        paths = paths.filter(client__identity__municipality__code=f.municipality)
    open_deadlines = CaseDeadline.objects.filter(
        case=OuterRef("pk"), done_on__isnull=True, cancelled_at__isnull=True
    )
    paths = paths.annotate(
        next_due=Subquery(
            open_deadlines.order_by().values("case").annotate(first=Min("due_on")).values("first")
        ),
        last_entry=Subquery(
            ClientEntry.objects.filter(
                client=OuterRef("client_id"), owner_organisation=staff.organisation_id
            )
            .order_by("-entry_date")
            .values("entry_date")[:1]
        ),
        last_review=Subquery(
            CaseDeadline.objects.filter(case=OuterRef("pk"), done_on__isnull=False)
            .order_by("-done_on")
            .values("done_on")[:1]
        ),
        plan_version=Subquery(
            Plan.objects.filter(case=OuterRef("pk"))
            .order_by("-started_on")
            .values("current_number")[:1]
        ),
        plan_started=Subquery(
            Plan.objects.filter(case=OuterRef("pk"))
            .order_by("-started_on")
            .values("started_on")[:1]
        ),
        open_referrals=Subquery(
            Referral.objects.filter(case=OuterRef("pk"), status__in=OPEN_REFERRAL)
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        in_team=Q(client_id__in=team),
    )
    if f.overdue:
        paths = paths.filter(next_due__lt=today)
    orders = {
        "seuraava": ("next_due", "referred_on"),
        "nimi": ("sort_name", "referred_on"),
        "tila": ("status", "next_due"),
        "ohjattu": ("-referred_on",),
    }
    if f.sort == "nimi":  # the name kept for search: plain, sortable in SQL
        paths = paths.annotate(
            sort_name=Subquery(
                ClientIdentity.objects.filter(client=OuterRef("client_id")).values("search_name")[
                    :1
                ]
            )
        )
    ordering = []
    for field in orders.get(f.sort, orders["seuraava"]):
        column = F(field.lstrip("-"))
        descending = field.startswith("-")
        ordering.append(column.desc(nulls_last=True) if descending else column.asc(nulls_last=True))
    return paths.order_by(*ordering, "id")


def _roles(path: Case, staff: StaffMember) -> str:
    labels = []
    if path.coordinator_id == staff.pk:
        labels.append(_("vastuuhenkilö"))
    if path.deputy_id == staff.pk:
        labels.append(_("varahenkilö"))
    if getattr(path, "in_team", False) and not labels:
        labels.append(_("tiimin jäsen"))
    return ", ".join(labels)


def _rows(
    paths: list[Case],
    staff: StaffMember,
    names: Mapping[uuid.UUID, ClientIdentity],
    today: dt.date,
) -> list[CaseloadRow]:
    status_labels = {status: str(label) for status, label in CaseStatus.choices}
    client_url = uuid_links("casefile:card")
    case_url = uuid_links("cases:detail")
    rows = []
    for path in paths:
        identity = names.get(path.client_id)
        if identity is None:
            # The gatekeeper does not show this client to the reader: nothing of the path either.
            rows.append(
                CaseloadRow(
                    client_id=path.client_id,
                    name="",
                    client_url="",
                    case_url="",
                    roles=_roles(path, staff),
                    status="",
                    next_due=None,
                    overdue=False,
                    last_contact=None,
                    plan="",
                    open_referrals=None,
                )
            )
            continue
        next_due: dt.date | None = path.next_due  # type: ignore[attr-defined]
        contacts = [d for d in (path.last_entry, path.last_review) if d]  # type: ignore[attr-defined]
        version = path.plan_version  # type: ignore[attr-defined]
        plan = (
            _("Versio %(n)s, laadittu %(day)s") % {"n": version, "day": _day(path.plan_started)}  # type: ignore[attr-defined]
            if version
            else _("Ei suunnitelmaa")
        )
        rows.append(
            CaseloadRow(
                client_id=path.client_id,
                name=identity.full_name,
                client_url=client_url(path.client_id),
                case_url=case_url(path.pk),
                roles=_roles(path, staff),
                status=status_labels.get(path.status, path.status),
                next_due=next_due,
                overdue=next_due is not None and next_due < today,
                last_contact=max(contacts) if contacts else None,
                plan=plan,
                open_referrals=path.open_referrals or 0,  # type: ignore[attr-defined]
            )
        )
    return rows


def _day(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _listed(
    staff: StaffMember, paths: list[Case], today: dt.date, at: dt.datetime, purpose: str
) -> list[CaseloadRow]:
    """The rows of these paths with the names the gatekeeper shows, each name logged as read."""
    decisions = identity_decisions(staff, {p.client_id for p in paths}, at=at)
    visible = [cid for cid, d in decisions.items() if d.allowed]
    access_log_list_reads(
        actor=staff,
        bases={cid: (decisions[cid].basis, decisions[cid].consent_id) for cid in visible},
        categories=[DataCategory.IDENTITY, DataCategory.PLAN],
        object_type="caseload",
        object_id=str(staff.pk),
        purpose=purpose,
        at=at,
    )
    return _rows(paths, staff, names_of(visible), today)


def caseload_get(
    *, staff: StaffMember, f: CaseloadFilter, page: int = 1, at: dt.datetime | None = None
) -> Caseload:
    """One page of the caseload (``PAGE`` rows)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    paths = caseload_paths(staff, f, today)
    total = paths.count()
    page = min(max(1, page), max(1, -(-total // PAGE)))
    shown = list(paths[(page - 1) * PAGE : page * PAGE])
    return Caseload(_listed(staff, shown, today, at, "caseload"), page, total)


def caseload_export(
    *, staff: StaffMember, f: CaseloadFilter, at: dt.datetime | None = None
) -> list[CaseloadRow]:
    """Every row of the filtered caseload, for CSV/XLSX: each client listed is logged as read."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    return _listed(staff, list(caseload_paths(staff, f, today)), today, at, "caseload export")


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


def _text(value: str) -> str:
    """A cell a spreadsheet never runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _cells(row: CaseloadRow) -> list[str | int]:
    return [
        _text(row.name or _("(nimi ei näytettävissä)")),
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
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Asiakkaani")
    sheet.append(_headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_cells(row))
    sheet.column_dimensions["A"].width = 32
    body = io.BytesIO()
    workbook.save(body)
    return body.getvalue()
