"""Reads of the subcontracting model. A group, its orders and invoices are shown only to the
group's supervisor and peer instructor (anyone else: 404, nothing logged as read). Members'
names and work data are client data: decided by the gatekeeper in one batch and logged."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import identity_decisions, record_decisions
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.subcontracting import billing, economics
from tyollisyystalo.subcontracting.models import (
    Customer,
    CustomerKind,
    HourEntry,
    Invoice,
    InvoiceLine,
    LineKind,
    Member,
    Order,
    OrderStatus,
    Training,
    WorkGroup,
)

CATEGORY = DataCategory.EDUCATION_WORK
WARN_DAYS = 30  # the supervisor's worklist warns this long before a training expires


def _mine(staff: StaffMember) -> Q:
    return Q(supervisor=staff) | Q(peer_instructor=staff)


def groups_for(staff: StaffMember) -> QuerySet[WorkGroup]:
    return WorkGroup.objects.filter(_mine(staff), organisation_id=staff.organisation_id)


def group_for(staff: StaffMember, group_id: int) -> WorkGroup:
    group = groups_for(staff).filter(pk=group_id).select_related("municipality").first()
    if group is None:
        raise Http404(_("Työryhmää ei löytynyt."))
    return group


def member_for(staff: StaffMember, member_id: uuid.UUID) -> Member:
    member = (
        Member.objects.filter(
            pk=member_id,
            group__in=groups_for(staff),
        )
        .select_related("group")
        .prefetch_related("trainings")
        .first()
    )
    if member is None:
        raise Http404(_("Työntekijää ei löytynyt."))
    return member


def order_for(staff: StaffMember, order_id: uuid.UUID) -> Order:
    order = (
        Order.objects.filter(pk=order_id, group__in=groups_for(staff))
        .select_related("group", "customer")
        .first()
    )
    if order is None:
        raise Http404(_("Tilausta ei löytynyt."))
    return order


def invoice_for(staff: StaffMember, invoice_id: uuid.UUID) -> Invoice:
    invoice = (
        Invoice.objects.filter(pk=invoice_id, order__group__in=groups_for(staff))
        .select_related("order__group", "customer", "credit_for", "issuer")
        .first()
    )
    if invoice is None:
        raise Http404(_("Laskua ei löytynyt."))
    return invoice


def customers_for(staff: StaffMember) -> QuerySet[Customer]:
    """The organisation's customers: organisations to all its supervisors; a private person only
    to the supervisor who recorded them and to the supervisors of groups that worked for them."""
    person = Q(kind=CustomerKind.PERSON)
    mine = Q(created_by=staff) | Q(orders__group__in=groups_for(staff))
    return Customer.objects.filter(
        Q(organisation_id=staff.organisation_id) & (~person | (person & mine))
    ).distinct()


def customer_for(staff: StaffMember, customer_id: int) -> Customer:
    customer = customers_for(staff).filter(pk=customer_id).first()
    if customer is None:
        raise Http404(_("Tilaajaa ei löytynyt."))
    return customer


@dataclass(frozen=True)
class MemberRow:
    member: Member
    name: str  # "" when the gatekeeper shows the work data but not the name
    hours_this_month: Decimal
    warnings: tuple[str, ...]


def _training_warnings(member: Member, today: dt.date) -> tuple[str, ...]:
    """The group's required training: missing, expired, or expiring within 30 days."""
    required = member.group.required_training
    if not required:
        return ()
    cards = [t for t in member.trainings.all() if t.kind == required]
    valid = [t for t in cards if t.expires_on is None or t.expires_on >= today]
    label = Training(kind=required).get_kind_display()
    if not valid:
        return (_("%(training)s puuttuu tai on vanhentunut.") % {"training": label},)
    longest = max(valid, key=lambda t: t.expires_on or dt.date.max)
    if longest.expires_on and longest.expires_on <= today + dt.timedelta(days=WARN_DAYS):
        day = longest.expires_on
        return (
            _("%(training)s vanhenee %(day)s.")
            % {"training": label, "day": f"{day.day}.{day.month}.{day.year}"},
        )
    return ()


def members_list(
    staff: StaffMember,
    members: list[Member],
    *,
    purpose: str,
    at: dt.datetime | None = None,
    keep: Callable[[MemberRow], bool] | None = None,
    log: bool = True,
) -> list[MemberRow]:
    """The members whose work data (education_work) the gatekeeper lets the reader see, with
    their names where those may be shown; the others are left out, so no row, count or choice
    says they exist. ``keep`` narrows the rows further (e.g. to those with warnings). Exactly
    what is returned is logged as read, with one append (``log=False``: only decided)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    keys = [(m.client_id, m.owner_organisation_id, m.category) for m in members]
    decisions = record_decisions(staff, keys, at=at) if keys else {}
    shown = [m for m, key in zip(members, keys, strict=True) if decisions[key][0].allowed]
    named = {
        m.client_id
        for m, key in zip(members, keys, strict=True)
        if decisions[key][0].allowed and decisions[key][1].allowed
    }
    names = {cid: i.full_name for cid, i in names_of(named).items()} if named else {}
    month_start = today.replace(day=1)
    hours: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for member_id, total in (
        HourEntry.objects.filter(
            member_id__in=[m.pk for m in shown], day__gte=month_start, day__lte=today
        )
        .values_list("member_id")
        .annotate(total=Sum("hours"))
    ):
        hours[member_id] = total
    rows = [
        MemberRow(
            member=m,
            name=names.get(m.client_id, ""),
            hours_this_month=hours.get(m.pk, Decimal(0)),
            warnings=_training_warnings(m, today),
        )
        for m in shown
    ]
    if keep is not None:
        rows = [row for row in rows if keep(row)]
    if log and rows:
        key_of = {m.client_id: (m.client_id, m.owner_organisation_id, m.category) for m in shown}
        for categories, which in ((CATEGORY, 0), (DataCategory.IDENTITY, 1)):
            bases = {
                row.member.client_id: (
                    decisions[key_of[row.member.client_id]][which].basis,
                    decisions[key_of[row.member.client_id]][which].consent_id,
                )
                for row in rows
                if which == 0 or row.name
            }
            if bases:
                access_log_list_reads(
                    actor=staff,
                    bases=bases,
                    categories=[categories],
                    object_type="work_group",
                    object_id=str(rows[0].member.group_id),
                    purpose=purpose,
                    at=at,
                )
    return rows


def current_members(group: WorkGroup, day: dt.date) -> list[Member]:
    return list(
        Member.objects.filter(group=group, contract_start__lte=day)
        .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=day))
        .select_related("group")
        .prefetch_related(
            Prefetch("trainings", queryset=Training.objects.order_by("-completed_on"))
        )
        .order_by("contract_start", "pk")
    )


@dataclass
class GroupPage:
    group: WorkGroup
    members: list[MemberRow]
    orders: list[Order]
    open_orders: int


def group_page(staff: StaffMember, group_id: int, *, at: dt.datetime | None = None) -> GroupPage:
    at = at or timezone.now()
    group = group_for(staff, group_id)
    members = current_members(group, timezone.localdate(at))
    rows = members_list(staff, members, purpose="work group", at=at) if members else []
    orders = list(
        Order.objects.filter(group=group).select_related("customer").order_by("-created_at")[:100]
    )
    open_orders = sum(
        1 for o in orders if o.status not in (OrderStatus.INVOICED, OrderStatus.CANCELLED)
    )
    return GroupPage(group, rows, orders, open_orders)


def training_warnings_for(
    staff: StaffMember, *, at: dt.datetime | None = None
) -> list[tuple[WorkGroup, MemberRow]]:
    """The supervisor's worklist: members of their groups whose required training is missing or
    expires within 30 days."""
    at = at or timezone.now()
    found: list[tuple[WorkGroup, MemberRow]] = []
    for group in groups_for(staff).filter(~Q(required_training="")):
        members = current_members(group, timezone.localdate(at))
        if not members:
            continue
        for row in members_list(
            staff, members, purpose="training warnings", at=at, keep=lambda r: bool(r.warnings)
        ):
            found.append((group, row))
    return found


@dataclass
class OrderPage:
    order: Order
    members: list[MemberRow]
    hours: list[tuple[HourEntry, str]]  # each entry with its member's name as shown
    total_hours: Decimal
    invoices: list[Invoice] = field(default_factory=list)
    agreement: object | None = None


def order_page(
    staff: StaffMember, order_id: uuid.UUID, *, at: dt.datetime | None = None, log: bool = True
) -> OrderPage:
    at = at or timezone.now()
    order = order_for(staff, order_id)
    members = current_members(order.group, timezone.localdate(at))
    entries = list(
        HourEntry.objects.filter(order=order).select_related("member__group").order_by("day", "pk")
    )
    everyone = {m.pk: m for m in members}
    for entry in entries:
        everyone.setdefault(entry.member_id, entry.member)
    rows = (
        members_list(staff, list(everyone.values()), purpose="work order", at=at, log=log)
        if everyone
        else []
    )
    by_member = {row.member.pk: row for row in rows}
    shown = [(e, by_member[e.member_id].name) for e in entries if e.member_id in by_member]
    total = sum((e.hours for e, _name in shown), Decimal(0))
    invoices = list(Invoice.objects.filter(order=order).order_by("issued_at"))
    current = [row for row in rows if row.member.pk in {m.pk for m in members}]
    return OrderPage(order, current, shown, total, invoices)


def deduction_estimate(customer: Customer, year: int) -> billing.DeductionEstimate | None:
    """The household deduction's estimate for a private customer's year, over every invoice of
    the year that carries the deduction (credit notes subtract)."""
    if not customer.household_deduction or year < 2025:
        return None
    labour = (
        Invoice.objects.filter(
            customer=customer, household_deduction=True, issued_on__year=year
        ).aggregate(total=Sum("labour_gross_cents"))["total"]
        or 0
    )
    return billing.household_deduction_estimate(max(0, int(labour)), year)


def team_clients_for(
    staff: StaffMember, *, at: dt.datetime | None = None
) -> list[tuple[uuid.UUID, str]]:
    """The clients in whose team the staff member is, by the names the gatekeeper shows (each
    listed name logged as read): those they may employ in a group."""
    at = at or timezone.now()
    ids = set(
        TeamMembership.objects.filter(staff_member=staff, started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .values_list("client_id", flat=True)
    )
    decisions = identity_decisions(staff, ids, at=at) if ids else {}
    allowed = {cid: (d.basis, d.consent_id) for cid, d in decisions.items() if d.allowed}
    if not allowed:
        return []
    names = names_of(allowed)
    access_log_list_reads(
        actor=staff,
        bases=allowed,
        categories=[DataCategory.IDENTITY],
        object_type="work_group_candidates",
        object_id=str(staff.pk),
        purpose="work group member choice",
        at=at,
    )
    return sorted(((cid, i.full_name) for cid, i in names.items()), key=lambda pair: pair[1])


@dataclass
class MemberPage:
    member: Member
    row: MemberRow
    trainings: list[Training]
    hours: list[HourEntry]
    subsidy: SubsidyCheck | None = None


def member_page(
    staff: StaffMember, member_id: uuid.UUID, *, at: dt.datetime | None = None
) -> MemberPage:
    """A member of the staff member's group: the name and work data as the gatekeeper allows
    (logged); nothing of a member whose work data may not be read."""
    at = at or timezone.now()
    member = member_for(staff, member_id)
    rows = members_list(staff, [member], purpose="work group member", at=at)
    if not rows:
        raise deny_and_log(
            staff=staff,
            client_id=member.client_id,
            action=Action.READ,
            at=at,
            purpose="work group member",
        )
    row = rows[0]
    trainings = list(member.trainings.order_by("kind", "-completed_on"))
    hours = list(
        HourEntry.objects.filter(member=member).select_related("order").order_by("-day", "-pk")[:60]
    )
    return MemberPage(member, row, trainings, hours, subsidy_check(member))


@dataclass(frozen=True)
class PayrollRow:
    name: str
    member_id: uuid.UUID
    days: int
    hours: Decimal
    orders: str  # the orders' titles, for the payroll clerk's check


def payroll_rows(
    staff: StaffMember,
    group_id: int,
    start: dt.date,
    end: dt.date,
    *,
    at: dt.datetime | None = None,
) -> list[PayrollRow]:
    """The pay period's hours per member for payroll: days worked, hours and orders — no health
    or case data. Only members whose work data the reader may see; names logged as read."""
    at = at or timezone.now()
    group = group_for(staff, group_id)
    entries = list(
        HourEntry.objects.filter(order__group=group, day__gte=start, day__lte=end)
        .select_related("order", "member__group")
        .order_by("member_id", "day")
    )
    members = {e.member_id: e.member for e in entries}
    if not members:
        return []
    rows = members_list(staff, list(members.values()), purpose="payroll export", at=at)
    shown = {row.member.pk: row for row in rows}
    by_member: dict[uuid.UUID, list[HourEntry]] = defaultdict(list)
    for entry in entries:
        if entry.member_id in shown:
            by_member[entry.member_id].append(entry)
    return sorted(
        (
            PayrollRow(
                name=shown[member_id].name,
                member_id=member_id,
                days=len({e.day for e in found}),
                hours=sum((e.hours for e in found), Decimal(0)),
                orders="; ".join(sorted({e.order.title for e in found})),
            )
            for member_id, found in by_member.items()
        ),
        key=lambda row: row.name,
    )


def group_for_economics(staff: StaffMember, group_id: int) -> WorkGroup:
    """The group's supervisors, and the organisation's managers (the cost centre's owner and
    controller): figures only, no person."""
    from tyollisyystalo.access.policy import Capability

    if staff.can(Capability.MANAGEMENT_READ):
        found = (
            WorkGroup.objects.filter(pk=group_id, organisation_id=staff.organisation_id)
            .select_related("municipality")
            .first()
        )
        if found is None:
            raise Http404(_("Työryhmää ei löytynyt."))
        return found
    if not staff.can(Capability.WORK_GROUP_MANAGE):
        raise Http404(_("Työryhmää ei löytynyt."))
    return group_for(staff, group_id)


def groups_for_economics(staff: StaffMember) -> QuerySet[WorkGroup]:
    from tyollisyystalo.access.policy import Capability

    if staff.can(Capability.MANAGEMENT_READ):
        return WorkGroup.objects.filter(organisation_id=staff.organisation_id)
    return groups_for(staff)


def group_economics(group: WorkGroup, year: int) -> list[economics.Month]:
    """The year's twelve months of the group's cost centre, in a fixed number of queries."""
    months = {m: economics.Month(year, m) for m in range(1, 13)}
    # The group's orders first, then their invoices and hours by the orders' indexed keys: joins
    # through the orders let PostgreSQL pick scans of whole tables while their statistics were
    # stale after a month-end invoice run (docs/BENCHMARKS.md, subcontracting).
    orders = list(Order.objects.filter(group=group).values_list("pk", flat=True))
    for month, kind, net in (
        Invoice.objects.filter(order_id__in=orders, issued_on__year=year)
        .annotate(m=ExtractMonth("issued_on"))
        .values_list("m", "customer__kind")
        .annotate(total=Sum("net_cents"))
    ):
        months[month].revenue_by_kind[kind] = months[month].revenue_by_kind.get(kind, 0) + net
    for month, net in (
        InvoiceLine.objects.filter(
            invoice__order_id__in=orders, invoice__issued_on__year=year, kind=LineKind.MATERIALS
        )
        .annotate(m=ExtractMonth("invoice__issued_on"))
        .values_list("m")
        .annotate(total=Sum("net_cents"))
    ):
        months[month].materials_cents += net
    by_month: dict[int, list[tuple[Decimal, int]]] = defaultdict(list)
    for month, wage, hours in (
        HourEntry.objects.filter(order_id__in=orders, day__year=year)
        .annotate(m=ExtractMonth("day"))
        .values_list("m", "member__hourly_wage_cents")
        .annotate(total=Sum("hours"))
    ):
        by_month[month].append((Decimal(hours), wage))
        months[month].hours += Decimal(hours)
    members = list(Member.objects.filter(group=group))
    today = timezone.localdate()
    for number, month in months.items():
        first = dt.date(year, number, 1)
        last = dt.date(year, number, calendar.monthrange(year, number)[1])
        month.wages_cents = economics.wages(by_month.get(number, []), first)
        if first > today:
            continue  # a month to come has no costs or support yet: the scenarios project them
        active = group.active_from <= last and (
            group.active_until is None or group.active_until >= first
        )
        month.supervisor_cents = group.supervisor_monthly_cents if active else 0
        for m in members:
            if m.subsidy_monthly_cents and m.subsidy_from:
                month.subsidy_cents += economics.subsidy_for_month(
                    economics.Subsidy(
                        m.subsidy_monthly_cents,
                        m.subsidy_from,
                        min(
                            (d for d in (m.subsidy_until, m.contract_end) if d is not None),
                            default=None,
                        ),
                    ),
                    year,
                    number,
                )
            if m.arrangement_support_monthly_cents:
                month.arrangement_cents += economics.subsidy_for_month(
                    economics.Subsidy(
                        m.arrangement_support_monthly_cents, m.contract_start, m.contract_end
                    ),
                    year,
                    number,
                )
    return [months[m] for m in range(1, 13)]


@dataclass(frozen=True)
class SubsidyCheck:
    """The pay subsidy decision beside the rules module's answer for its first day."""

    on: dt.date
    rate_percent: int | None
    monthly_cap_cents: int | None
    max_months: int | None
    sources: str
    problems: tuple[str, ...]


def subsidy_check(member: Member) -> SubsidyCheck | None:
    """The rules' pay subsidy for a person with reduced work ability employed by a wellbeing
    county (916/2012 ch. 7, as dated in the rules' parameters), on the decision's first day."""
    from tyollisyystalo.rules import DateOutOfRange, evaluate

    if member.subsidy_from is None:
        return None
    try:
        answer = evaluate(
            "pay_subsidy",
            {"pay_subsidy_ground": "reduced_work_ability", "employer_type": "wellbeing_county"},
            member.subsidy_from,
        )
    except DateOutOfRange:
        return None
    rate = answer.values.get("rate_percent")
    cap_eur = answer.values.get("monthly_cap_eur")
    cap = int(Decimal(str(cap_eur)) * 100) if cap_eur is not None else None
    # The longest a decision may run, extensions included (the rules' values for the ground).
    months = answer.values.get("extension_max_months") or answer.values.get("max_months")
    problems: list[str] = []
    if rate is not None and member.subsidy_percent and member.subsidy_percent > rate:
        problems.append(
            _("Päätöksen %(given)s %% on enemmän kuin säännön %(rate)s %%.")
            % {"given": member.subsidy_percent, "rate": rate}
        )
    if cap is not None and member.subsidy_monthly_cents and member.subsidy_monthly_cents > cap:
        problems.append(_("Päätöksen kuukausimäärä ylittää säännön enimmäismäärän."))
    if months and member.subsidy_until:
        longest = member.subsidy_from + dt.timedelta(days=round(int(months) * 30.44))
        if member.subsidy_until > longest:
            problems.append(
                _("Päätös on pidempi kuin säännön enimmäiskesto (%(months)s kk).")
                % {"months": months}
            )
    return SubsidyCheck(
        on=member.subsidy_from,
        rate_percent=int(rate) if rate is not None else None,
        monthly_cap_cents=cap,
        max_months=int(months) if months else None,
        sources="; ".join(dict.fromkeys(source.label() for source in answer.sources)),
        problems=tuple(problems),
    )
