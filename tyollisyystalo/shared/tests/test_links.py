import uuid

import pytest
from django.urls import NoReverseMatch, reverse

from tyollisyystalo.shared.links import int_links, uuid_links


@pytest.mark.parametrize(
    "viewname",
    [
        "cases:detail",
        "plans:detail",
        "referrals:detail",
        "casefile:card",
        "coaching_modules:period",
    ],
)
def test_uuid_links_are_what_reverse_gives(viewname):
    link = uuid_links(viewname)
    for pk in (uuid.uuid4(), uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)):
        assert link(pk) == reverse(viewname, args=[pk])


@pytest.mark.parametrize("viewname", ["employers:detail", "employers:team"])
def test_int_links_are_what_reverse_gives(viewname):
    link = int_links(viewname)
    for pk in (1, 7, 10, 2_147_483_647):
        assert link(pk) == reverse(viewname, args=[pk])


@pytest.mark.parametrize("links", [uuid_links, int_links])
def test_a_view_without_an_argument_of_the_kind_is_refused(links):
    with pytest.raises(NoReverseMatch):
        links("cases:worklist")
    with pytest.raises(NoReverseMatch):
        links("casefile:card" if links is int_links else "employers:detail")
