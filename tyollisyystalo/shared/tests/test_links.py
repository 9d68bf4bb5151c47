import uuid

import pytest
from django.urls import NoReverseMatch, reverse

from tyollisyystalo.shared.links import uuid_links


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


def test_a_view_without_a_uuid_argument_is_refused():
    with pytest.raises(NoReverseMatch):
        uuid_links("cases:worklist")
