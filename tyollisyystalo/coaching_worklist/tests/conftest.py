from tyollisyystalo.coaching_modules.tests.conftest import (  # noqa: F401
    askel,
    coach,
    klaus,
    muu,
    other_coach,
    other_team,
    period,
    provider,
    team,
)
