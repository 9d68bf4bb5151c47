"""The seed's metrics per segment: who counts where (checked against plain SQL), the
small-number rule, and who may see them."""

import datetime as dt

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.management.disclosure import Figure
from tyollisyystalo.segments.metrics import segment_metrics
from tyollisyystalo.segments.services import segment_suggestion_decide

DECIDED = 14


def _decide_some(region, approved):
    """The coordinator decides a segment for some of their clients: the first segment for the
    first half, the second for the rest (with a reason where the rules said otherwise)."""
    coordinator = region["coordinator"]
    segments = list(approved.segments.order_by("position"))
    clients = list(
        TeamMembership.objects.filter(staff_member=coordinator)
        .order_by("client_id")
        .values_list("client_id", flat=True)
        .distinct()[:DECIDED]
    )
    for n, client_id in enumerate(clients):
        segment_suggestion_decide(
            actor=coordinator,
            client_id=client_id,
            segment_id=segments[0 if n < DECIDED // 2 else 1].pk,
            reason="Sovittu asiakkaan kanssa tapaamisessa.",
        )
    return segments


def _oracle(organisation_id, segment_id, start, end):
    """Clients with the organisation's path open in [start, end] whose newest decision by
    ``end`` chose the segment, in plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(DISTINCT c.client_id) FROM cases_case c
            WHERE c.owner_organisation_id = %s AND c.referred_on <= %s
              AND (c.closed_on IS NULL OR c.closed_on >= %s)
              AND (SELECT s.chosen_id FROM segments_segmentsuggestion s
                   WHERE s.client_id = c.client_id AND s.owner_organisation_id = %s
                     AND s.state <> 'open' AND s.decided_at < %s
                   ORDER BY s.decided_at DESC, s.id DESC LIMIT 1) = %s
            """,
            [organisation_id, end, start, organisation_id, end + dt.timedelta(days=1), segment_id],
        )
        return cursor.fetchone()[0]


def test_clients_count_in_the_segment_a_person_decided(region, approved):
    segments = _decide_some(region, approved)
    county = region["county"]
    measured = segment_metrics(county, approved)
    clients = measured.tables[0]
    period = measured.periods[-1]
    assert period.start <= timezone.localdate() <= period.end
    for (name, cells), segment in zip(clients.rows, segments, strict=True):
        assert name == segment.name
        expected = _oracle(county.pk, segment.pk, period.start, period.end)
        shown = cells[-1]
        if 1 <= expected <= 4:
            assert str(shown) == "< 5"
        elif not shown.suppressed:
            assert shown.value == expected
        # Before anyone decided, nobody counts in a segment.
        assert cells[0].value in (0, None)
    assert sum(
        _oracle(county.pk, s.pk, period.start, period.end) for s in segments
    ) == DECIDED - _closed_before(county.pk, period.start)
    # Every indicator is there, each with a row per segment and a figure per period.
    assert [t.key for t in measured.tables] == [
        "clients",
        "median_days_to_first_meeting",
        "client_activation",
        "reviews_on_time",
        "placed_in_working_life",
    ]
    for table in measured.tables:
        assert len(table.rows) == len(segments)
        assert all(len(cells) == len(measured.periods) for _name, cells in table.rows)
        for _name, cells in table.rows:
            for cell in cells:
                assert isinstance(cell, Figure)


def _closed_before(organisation_id, start):
    """Decided clients whose every path of the organisation closed before ``start``."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(DISTINCT s.client_id) FROM segments_segmentsuggestion s
            WHERE s.owner_organisation_id = %s AND NOT EXISTS (
                SELECT 1 FROM cases_case c WHERE c.client_id = s.client_id
                  AND c.owner_organisation_id = %s
                  AND (c.closed_on IS NULL OR c.closed_on >= %s))
            """,
            [organisation_id, organisation_id, start],
        )
        return cursor.fetchone()[0]


def test_the_metrics_page_is_for_the_organisations_analysts(client, region, approved):
    _decide_some(region, approved)
    url = reverse("segments:metrics")
    login(client, region["analyst"])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ryhmä s1" in text or "Ryhmä s2" in text
    assert "Siirtyminen pois työttömyydestä" in text
    login(client, region["coordinator"])
    assert client.get(url).status_code == 404
    login(client, region["other_analyst"])
    other = client.get(url)
    assert other.status_code == 200
    assert "Ryhmä s1" not in other.content.decode()


def test_an_earlier_version_s_metrics_stay_reachable(client, region, approved, analysis):
    from tyollisyystalo.segments.tests.conftest import approve_new

    _decide_some(region, approved)
    approve_new(region["analyst"], analysis)  # version 2 retires version 1
    login(client, region["analyst"])
    url = reverse("segments:metrics")
    current = client.get(url).content.decode()
    assert "Segmenttiversio 2." in current
    earlier = client.get(url, {"versio": "1"})
    assert earlier.status_code == 200
    assert "Segmenttiversio 1." in earlier.content.decode()
    assert client.get(url, {"versio": "9"}).status_code == 404
