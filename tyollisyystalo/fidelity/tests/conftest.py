from tyollisyystalo.employers.tests.team_fixtures import (  # noqa: F401 - fixtures
    askel,
    coach,
    coach2,
    klubi,
    leader,
    muu,
    other_coach,
    other_team,
    team,
)
