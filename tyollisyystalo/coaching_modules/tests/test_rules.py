import pytest

from tyollisyystalo.coaching_modules.rules import choice_allowed, missing_parties


@pytest.mark.parametrize(
    ("present", "reason", "allowed"),
    [
        ({"client", "provider", "purchaser"}, "", True),
        ({"client", "provider", "purchaser"}, "ei tarvita", True),
        ({"client", "provider"}, "", False),
        ({"client", "provider"}, "   ", False),
        ({"client", "provider"}, "Tuottaja ei vastannut.", True),
        (set(), "", False),
        (set(), "Asiakas muutti.", True),
    ],
)
def test_choice_needs_three_assessments_or_a_reason(present, reason, allowed):
    assert choice_allowed(present, reason) is allowed


def test_missing_parties_in_fixed_order():
    assert missing_parties({"provider"}) == ["client", "purchaser"]
    assert missing_parties(["client", "provider", "purchaser"]) == []
