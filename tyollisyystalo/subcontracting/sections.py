"""The work-group part of the client card (issue 17 part 6): the client's employment in a group
and its hours, shown to readers the gatekeeper lets read the group's organisation's work data
(education_work), e.g. the client's coordinator in the county or one with the client's consent.
Nothing of it — not even that the client is in a group — to anyone else."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.subcontracting.models import HourEntry, Member

CARD = "client_card"


@card_section("work_groups", order=72)
def work_groups_section(access: ClientAccess) -> Section | None:
    members = Member.objects.filter(access.client_q())
    shown = list(
        members.filter(access.records_q()).select_related("group").order_by("-contract_start")
    )
    hidden = members.exclude(access.records_q()).exists()
    if not shown:
        return Section("work_groups", "", more_exists=hidden)
    today = timezone.localdate()
    totals = dict(
        HourEntry.objects.filter(member__in=shown)
        .values_list("member_id")
        .annotate(total=Sum("hours"))
    )
    month = dict(
        HourEntry.objects.filter(member__in=shown, day__gte=today.replace(day=1))
        .values_list("member_id")
        .annotate(total=Sum("hours"))
    )
    rows = [
        {
            "member": m,
            "hours": totals.get(m.pk, Decimal(0)),
            "month": month.get(m.pk, Decimal(0)),
            "current": m.contract_start <= today
            and (m.contract_end is None or today <= m.contract_end),
        }
        for m in shown
    ]
    current = [r for r in rows if r["current"]]
    facts: tuple[tuple[str, str, str], ...] = ()
    if current:
        m = current[0]["member"]
        facts = (
            (
                _("Työryhmä"),
                _("%(group)s, työsuhde %(start)s alkaen")
                % {"group": m.group.name, "start": f"{m.contract_start:%-d.%-m.%Y}"},
                "#osio-work_groups",
            ),
        )
    return Section(
        "work_groups",
        "subcontracting/_card_work_groups.html",
        {"rows": rows},
        reads=tuple(
            read_of(access, owner=m.owner_organisation_id, category=m.category, object_type=CARD)
            for m in shown
        ),
        more_exists=hidden,
        data={
            "work_groups": [
                {
                    "group": r["member"].group.name,
                    "contract_start": r["member"].contract_start,
                    "contract_end": r["member"].contract_end,
                    "hours": str(r["hours"]),
                }
                for r in rows
            ]
        },
        facts=facts,
    )
