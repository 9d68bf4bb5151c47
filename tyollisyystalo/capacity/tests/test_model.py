"""The simulation model on its own: what more staff, fewer places, more arrivals and a new
service do, and that a run is repeatable."""

import math
from typing import Any

import numpy as np
import pytest

from tyollisyystalo.capacity.model import (
    DAYS_PER_MONTH,
    Fitted,
    Summary,
    WhatIf,
    replicate,
    simulate,
)


def _fitted(**changes):
    rng = np.random.default_rng(4)
    values: dict[str, Any] = {
        "arrivals": {"employment_services": (12.0,) * 12, "self": (4.0,) * 12},
        "lags": tuple(float(x) for x in rng.integers(5, 30, 200)),
        "durations": tuple(float(x) for x in rng.gamma(2.0, 80.0, 300) + 1),
        "review_interval": 90.0,
        "coordinators": 3,
        "cap": 40,
        "elapsed": tuple(float(x) for x in rng.uniform(0, 200, 80)),
    }
    values.update(changes)
    return Fitted(**values)


def test_a_run_is_repeatable_with_its_seed():
    fitted = _fitted()
    a = replicate(fitted, WhatIf.baseline(fitted), months=6, seed=3)
    b = replicate(fitted, WhatIf.baseline(fitted), months=6, seed=3)
    assert a == b
    assert (
        len(simulate(fitted, WhatIf.baseline(fitted), months=3, replications=30).replications) == 30
    )


def test_fewer_places_mean_longer_waits_and_people_waiting():
    fitted = _fitted()
    ample = simulate(fitted, WhatIf(3, 60), months=12, replications=30)
    tight = simulate(fitted, WhatIf(2, 30), months=12, replications=30)
    assert tight.first_meeting.median > ample.first_meeting.median + 30
    assert tight.waiting.median > 0 == ample.waiting.median
    # No coordinator holds more than the cap.
    assert max(s.p90 for s in tight.caseload) <= 30


def test_with_room_for_everyone_the_wait_is_the_intake_lag():
    fitted = _fitted()
    ample = simulate(fitted, WhatIf(10, 100), months=6, replications=30)
    assert ample.first_meeting.median == pytest.approx(float(np.median(fitted.lags)), abs=3)


def test_with_room_the_caseload_follows_littles_law():
    """Clients on a path ≈ arrivals per day × mean path length, once the start has passed."""
    fitted = _fitted(elapsed=())
    outcome = simulate(fitted, WhatIf(10, 100), months=36, replications=30)
    expected = 16 / DAYS_PER_MONTH * float(np.mean(fitted.durations)) / 10
    late = [s.median for s in outcome.caseload[24:]]
    assert float(np.mean(late)) == pytest.approx(expected, rel=0.15)


def test_more_arrivals_mean_more_waiting():
    fitted = _fitted()
    same = simulate(fitted, WhatIf(3, 40), months=12, replications=30)
    more = simulate(fitted, WhatIf(3, 40, growth=1.0), months=12, replications=30)
    assert more.waiting.median > same.waiting.median
    assert more.first_meeting.median >= same.first_meeting.median


def test_no_arrivals_and_no_one_on_a_path():
    fitted = _fitted(arrivals={}, elapsed=())
    outcome = simulate(fitted, WhatIf.baseline(fitted), months=3, replications=30)
    assert math.isnan(outcome.first_meeting.median)
    assert [s.median for s in outcome.caseload] == [0.0, 0.0, 0.0]
    assert math.isnan(outcome.on_time.median)


def test_reviews_are_late_when_there_is_no_time_for_them():
    fitted = _fitted(review_share=0.01)
    starved = simulate(fitted, WhatIf.baseline(fitted), months=9, replications=30)
    normal = simulate(_fitted(), WhatIf.baseline(fitted), months=9, replications=30)
    assert normal.on_time.median > 0.9
    assert starved.on_time.median < normal.on_time.median - 0.3


def test_a_new_service_with_few_places_has_a_queue():
    fitted = _fitted()
    few = simulate(
        fitted,
        WhatIf(3, 40, service_share=0.5, service_places=2, service_days=60),
        months=6,
        replications=30,
    )
    many = simulate(
        fitted,
        WhatIf(3, 40, service_share=0.5, service_places=40, service_days=60),
        months=6,
        replications=30,
    )
    assert few.service_wait.median > many.service_wait.median
    assert many.service_wait.median == pytest.approx(0, abs=1)


def test_a_summary_of_nothing_is_not_a_number():
    empty = Summary.of([math.nan])
    assert math.isnan(empty.median)
    assert Summary.of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p90 == pytest.approx(9.1)


def test_fewer_job_coaches_mean_a_longer_wait_for_coaching():
    rng = np.random.default_rng(9)
    fitted = _fitted(
        coaching_share=0.3,
        coaching_durations=tuple(float(x) + 1 for x in rng.gamma(2.0, 60.0, 200)),
        coaches=4,
        coach_cap=15,
        coaching_elapsed=tuple(float(x) for x in rng.uniform(0, 100, 30)),
    )
    today = simulate(fitted, WhatIf.baseline(fitted), months=12, replications=30)
    fewer = simulate(fitted, WhatIf(3, 40, coaches=1), months=12, replications=30)
    assert fewer.coaching_wait.median > today.coaching_wait.median + 30
    assert fewer.coaching_load.median == pytest.approx(15, abs=0.5)  # every place taken
    # Without coaching in the history, none is simulated.
    assert math.isnan(simulate(_fitted(), WhatIf(3, 40), months=3).coaching_wait.median)
