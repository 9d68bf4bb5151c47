"""The consents' part of the client card."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.consents.models import Consent, ConsentVersion

EXPIRING = dt.timedelta(days=30)  # a consent ending within this is a thing to ask about


@card_section("consents", order=40)
def consents_section(access: ClientAccess) -> Section | None:
    """The client's consents under which the reader's organisation discloses or receives (R3),
    shown with the identity (whose read the card logs); others only make the card say that
    more exists."""
    if not access.identity.allowed:
        return None
    all_consents = Consent.objects.filter(client_id=access.client_id)
    visible = ConsentVersion.objects.filter(
        consent__client_id=access.client_id, is_current=True
    ).filter(access.consent_version_q())
    consents = list(
        all_consents.filter(pk__in=visible.values("consent_id"))
        .order_by("pk")
        .prefetch_related(
            "versions__disclosing_organisations",
            "versions__receiving_organisations",
            "versions__categories",
        )
    )
    hidden = all_consents.count() > len(consents)
    soon = timezone.localdate(access.at) + EXPIRING
    todo = tuple(
        (
            _("Suostumus päättyy %(day)s: kysy asiakkaalta, jatketaanko.")
            % {"day": f"{v.valid_until.day}.{v.valid_until.month}.{v.valid_until.year}"},
            reverse("consents:detail", kwargs={"consent_id": c.pk}),
        )
        for c in consents
        if (v := c.current_version).valid_until is not None
        and c.status == "valid"
        and v.valid_until <= soon
    )
    valid = sum(1 for c in consents if c.status == "valid")
    return Section(
        "consents",
        "consents/_card_consents.html",
        {"consents": consents},
        more_exists=hidden,
        data={"consents": consents},
        facts=((_("Voimassa olevat suostumukset"), str(valid), ""),),
        todo=todo,
    )
