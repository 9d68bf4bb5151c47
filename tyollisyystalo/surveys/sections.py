"""The surveys' part of the client card: which surveys the client (or their employer) has been
asked, whether answered, and a button for an SMS-ready link. Never what was answered: the
answers are not linked to the client at all."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.surveys.definitions import survey_version
from tyollisyystalo.surveys.models import Invitation

OBJECT_TYPE = "survey_invitations"


@card_section("surveys", order=95)
def surveys_section(access: ClientAccess) -> Section | None:
    readable = access.records_q()
    invitations = list(
        Invitation.objects.filter(readable).select_related("owner_organisation").order_by("-pk")
    )
    if not invitations:
        return None
    now = timezone.now()
    language = get_language() or "fi"
    staff = access.staff
    rows = [
        {
            "invitation": i,
            "name": survey_version(i.survey, i.version).name.get(language),
            "state": i.state(now),
            "may_link": i.state(now) == "open"
            and staff.can(Capability.CLIENT_RECORD_WRITE)
            and i.owner_organisation_id == staff.organisation_id
            and access.may_write(i.category).allowed,
        }
        for i in invitations
    ]
    pairs = {(i.owner_organisation_id, i.category) for i in invitations}
    return Section(
        "surveys",
        "surveys/_card_surveys.html",
        {"rows": rows},
        reads=tuple(
            read_of(access, owner=owner, category=category, object_type=OBJECT_TYPE)
            for owner, category in sorted(pairs)
        ),
    )
