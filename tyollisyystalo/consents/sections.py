"""The consents' part of the client card."""

from __future__ import annotations

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.consents.models import Consent


@card_section("consents", order=40)
def consents_section(access: ClientAccess) -> Section | None:
    """The client's consents, shown with the identity (whose read the card logs)."""
    if not access.identity.allowed:
        return None
    consents = list(
        Consent.objects.filter(client_id=access.client_id)
        .order_by("pk")
        .prefetch_related(
            "versions__disclosing_organisations",
            "versions__receiving_organisations",
            "versions__categories",
        )
    )
    return Section(
        "consents",
        "consents/_card_consents.html",
        {"consents": consents},
        data={"consents": consents},
    )
