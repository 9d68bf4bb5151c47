"""The management benchmark builds the sizes it is asked for (bench/management.py)."""

import importlib
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tyollisyystalo.cases.models import Case, CaseEvent
from tyollisyystalo.clients.models import Client
from tyollisyystalo.coaching.models import CoachingPeriod

sys.path.insert(0, str(Path(settings.BASE_DIR) / "bench"))
management = importlib.import_module("management")


@pytest.mark.django_db
def test_build_reaches_the_sizes_and_continues():
    keepers, coaching, _manager = management.region()
    management.build(keepers, coaching, 0, 200)
    assert Client.objects.count() == 200
    # 45 %, 20 % and 35 % of the clients; one path each; ten events per client.
    by_keeper = {
        code: Case.objects.filter(owner_organisation__code=code).count()
        for code in ("bench-a", "bench-b", "bench-hva")
    }
    assert by_keeper == {"bench-a": 90, "bench-b": 40, "bench-hva": 70}
    assert CaseEvent.objects.count() == 2000
    # Coaching is run by the first organisation's coaches.
    assert set(CoachingPeriod.objects.values_list("owner_organisation__code", flat=True)) <= {
        "bench-a"
    }
    # A larger size continues the smaller one; a second region() finds the same region.
    keepers, coaching, _manager = management.region()
    management.build(keepers, coaching, 200, 300)
    assert Client.objects.count() == 300
    assert CaseEvent.objects.count() == 3000
    assert Case.objects.filter(owner_organisation__code="bench-a").count() == 135
