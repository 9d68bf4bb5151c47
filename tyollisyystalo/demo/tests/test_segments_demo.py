"""The demo region's segments (issue 19 part 8): the analysis finds the stated structure."""

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone
from sklearn.metrics import adjusted_rand_score

from tyollisyystalo.demo.history import seed_history
from tyollisyystalo.demo.segments import ORGANISATION, TEXTS, seed_segments
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.segments.criteria import rules_assign
from tyollisyystalo.segments.discovery import segments_discover
from tyollisyystalo.segments.features import feature_row, features
from tyollisyystalo.segments.metrics import segment_metrics
from tyollisyystalo.segments.models import SegmentSuggestion, SegmentVersion, VersionStatus
from tyollisyystalo.segments.selectors import analysis_source
from tyollisyystalo.segments.services import version_ruleset


@pytest.fixture
def demo_region(db, settings):
    settings.DEMO = True
    call_command("seed_demo", clients=5)


def test_the_demo_segments_are_found_named_and_approved(demo_region):
    kinds: dict = {}
    seed_history(latent=lambda client, kind: kinds.__setitem__(client.pk, kind))
    counts = seed_segments()
    assert counts["segment_versions"] == 1
    county = Organisation.objects.get(code=ORGANISATION)
    version = SegmentVersion.objects.get(organisation=county, status=VersionStatus.APPROVED)
    segments = list(version.segments.order_by("position"))
    # 420 clients drawn from five kinds: the lowest BIC finds five, now and then four or six
    # (the 50,000-client benchmark finds five). Each found segment takes one kind's texts, or
    # the general ones when more are found than there are kinds.
    assert len(TEXTS) - 1 <= len(segments) <= len(TEXTS) + 1
    stated = {t["name"]["fi"] for t in TEXTS.values()}
    named = [s.name_fi for s in segments]
    assert len(set(named) & stated) == min(len(segments), len(TEXTS))
    assert all(n in stated or n.startswith("Muut tuen tarpeet") for n in named)
    assert all(s.steps.exists() and s.instructions_sv for s in segments)
    assert seed_segments() == {}  # once
    # The county's coordinators decided their clients' segments since the approval, each
    # decision by a person, under the version it was made with.
    decisions = SegmentSuggestion.objects.filter(owner_organisation=county)
    assert decisions.count() == counts["segment_decisions"] >= 100
    assert not decisions.filter(decided_by__isnull=True).exists()
    assert set(decisions.values_list("version", flat=True)) == {version.pk}
    assert decisions.filter(state="changed").exists()
    approved_at = version.approved_at
    assert approved_at is not None
    assert all(
        d is not None and d >= approved_at for d in decisions.values_list("decided_at", flat=True)
    )
    measured = segment_metrics(county, version)
    clients = measured.tables[0]
    assert clients.total is not None
    assert not clients.total[-1].suppressed
    latest = clients.total[-1].value
    assert latest is not None
    assert latest >= 50

    # The analysis, repeated on the county's records with the clients known, finds the kinds.
    source = analysis_source(county)
    ids = [i for i in source.facts if i in kinds]
    assert len(ids) >= 400
    today = timezone.localdate()
    values = np.asarray([feature_row(source.facts[i], today) for i in ids])
    truth = [kinds[i] for i in ids]
    found = segments_discover(features(), values, ks=range(2, 9), resamples=0)
    assert abs(found.k - len(TEXTS)) <= 1
    at_stated = segments_discover(features(), values, ks=[len(TEXTS)], resamples=0)
    assert adjusted_rand_score(truth, at_stated.labels) >= 0.8
    # The approved criteria (not the model) give suggestions that mostly follow the kinds.
    suggested = rules_assign(values, version_ruleset(version))
    assert adjusted_rand_score(truth, suggested) >= 0.5
