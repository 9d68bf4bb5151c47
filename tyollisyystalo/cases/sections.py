"""The paths' part of the client card: the client's service paths the reader may see."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.cases.models import Case, CaseDeadline
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.plans.models import Plan
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.shared.links import uuid_links

OBJECT_TYPE = "client_cases"
OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


def _day(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _summary(
    open_cases: list[Case], access: ClientAccess
) -> tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...]]:
    """The summary's lines for the open paths the reader may read: who coordinates, the state,
    the next deadline, the plan and the open referrals; overdue deadlines and a missing plan as
    what needs doing. A fixed number of queries."""
    if not open_cases:
        return (), ()
    today = timezone.localdate(access.at)
    ids = [c.pk for c in open_cases]
    path_url = uuid_links("cases:detail")
    deadlines = list(
        CaseDeadline.objects.filter(
            case_id__in=ids, done_on__isnull=True, cancelled_at__isnull=True
        ).order_by("due_on", "id")
    )
    plans: dict[object, Plan] = {}
    for plan in Plan.objects.filter(case_id__in=ids).order_by("started_on", "pk"):
        plans[plan.case_id] = plan
    referrals = Referral.objects.filter(case_id__in=ids, status__in=OPEN_REFERRAL).count()
    facts: list[tuple[str, str, str]] = []
    todo: list[tuple[str, str]] = []
    for case in open_cases:
        url = path_url(case.pk)
        who = case.coordinator.display_name
        if case.deputy_id and case.deputy is not None:
            who += " (" + _("varahenkilö %(name)s") % {"name": case.deputy.display_name} + ")"
        facts.append((_("Vastuuhenkilö"), who, ""))
        facts.append(
            (_("Palvelupolku"), f"{case.get_status_display()}, {case.owner_organisation}", url)
        )
        mine = [d for d in deadlines if d.case_id == case.pk]
        if mine:
            first = mine[0]
            late = _(" (myöhässä)") if first.due_on < today else ""
            facts.append(
                (
                    _("Seuraava määräaika"),
                    f"{first.get_kind_display()} {_day(first.due_on)}{late}",
                    url,
                )
            )
        for deadline in [d for d in mine if d.due_on < today][:5]:
            todo.append(
                (
                    _("Myöhässä: %(what)s %(day)s")
                    % {"what": deadline.get_kind_display(), "day": _day(deadline.due_on)},
                    url,
                )
            )
        latest = plans.get(case.pk)
        if latest is None:
            facts.append((_("Suunnitelma"), _("Ei suunnitelmaa"), url))
            todo.append((_("Laadi suunnitelma palvelupolulle."), url))
        else:
            facts.append(
                (
                    _("Suunnitelma"),
                    _("Versio %(n)s, laadittu %(day)s")
                    % {"n": latest.current_number, "day": _day(latest.started_on)},
                    reverse("plans:detail", kwargs={"plan_id": latest.pk}),
                )
            )
    facts.append((_("Avoimet lähetteet"), str(referrals), ""))
    return tuple(facts), tuple(todo)


@card_section("cases", order=50)
def cases_section(access: ClientAccess) -> Section:
    """Paths are plan data of their organisation (R3): shown where (owner, plan) is readable."""
    readable = access.records_q(category=DataCategory.PLAN)
    cases = list(
        Case.objects.filter(readable)
        .select_related("coordinator__user", "deputy__user", "owner_organisation")
        .order_by("-referred_on", "-created_at")
    )
    hidden = Case.objects.filter(access.client_q()).exclude(readable).exists()
    staff = access.staff
    can_open_case = staff.can(Capability.CASE_MANAGE) and not any(
        c.is_open and c.owner_organisation_id == staff.organisation_id for c in cases
    )
    facts, todo = _summary([c for c in cases if c.is_open], access)
    return Section(
        "cases",
        "cases/_card_cases.html",
        {"cases": cases, "can_open_case": can_open_case},
        facts=facts,
        todo=todo,
        reads=tuple(
            read_of(
                access,
                owner=c.owner_organisation_id,
                category=c.category,
                object_type=OBJECT_TYPE,
            )
            for c in cases
        ),
        more_exists=hidden,
        data={"cases": cases},
    )
