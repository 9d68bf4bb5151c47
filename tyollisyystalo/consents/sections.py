"""The consents' part of the client card."""

from __future__ import annotations

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.consents.models import Consent, ConsentVersion


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
    return Section(
        "consents",
        "consents/_card_consents.html",
        {"consents": consents},
        more_exists=hidden,
        data={"consents": consents},
    )
