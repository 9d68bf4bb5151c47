"""The instruments' part of the client card: latest answers and open suggestions."""

from __future__ import annotations

from collections import defaultdict

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import reads_from
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.audit.models import Basis
from tyollisyystalo.instruments.registry import instruments_current
from tyollisyystalo.instruments.selectors import OBJECT_TYPE, client_instruments_build


@card_section("instruments", order=60)
def instruments_section(access: ClientAccess) -> Section | None:
    instruments = instruments_current()
    categories = {i.category for i in instruments}
    pairs = {pair: d for pair, d in access.pairs.items() if pair[1] in categories}
    writable = [i for i in instruments if access.may_write(i.category).allowed]
    if not pairs and not writable:
        return None
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    data = client_instruments_build(
        client_id=access.client_id, pairs=pairs, writable=writable, read=read
    )
    return Section(
        "instruments",
        "instruments/_card_instruments.html",
        {"instruments": data},
        reads=reads_from(read, object_type=OBJECT_TYPE, object_id=str(access.client_id)),
        more_exists=data.more_exists,
    )
