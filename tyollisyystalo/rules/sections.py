"""The rules' part of the client card: the statutory answers over the stored facts."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import reads_from
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.audit.models import Basis
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.rules.selectors import (
    CATEGORY,
    OBJECT_TYPE,
    client_rules_build,
    rules_object_id,
)


@card_section("rules", order=70)
def rules_section(access: ClientAccess) -> Section | None:
    owners = access.owners_for(CATEGORY)
    if not owners:
        return None
    birth_date = None
    if access.identity.allowed:
        # Part of the identity, which the card's identity section reads and logs.
        birth_date = (
            ClientIdentity.objects.filter(client_id=access.client_id)
            .values_list("birth_date", flat=True)
            .first()
        )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    rules = client_rules_build(
        client_id=access.client_id,
        owners=owners,
        on=timezone.localdate(access.at),
        birth_date=birth_date,
        can_write=access.may_write(CATEGORY).allowed,
        history=False,
        read=read,
    )
    return Section(
        "rules",
        "rules/_card_rules.html",
        {"rules": rules},
        reads=reads_from(read, object_type=OBJECT_TYPE, object_id=rules_object_id(rules)),
    )
