"""Starting a coaching period and its status changes (ADR 0023, decisions 3 and 6)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.coaching import services
from tyollisyystalo.coaching.models import CoachingEvent, CoachingPeriod, ImmutableError
from tyollisyystalo.organisations.models import Unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def start(actor, **kwargs):
    kwargs.setdefault("kind", "ips")
    kwargs.setdefault("intensity", "intensive")
    return services.period_start(actor=actor, **kwargs)


def test_start_from_accepted_referral_links_the_path(referral, ville, klaus_case):
    period = start(ville, referral_id=referral.pk)
    assert period.client_id == referral.client_id
    assert period.case_id == klaus_case.pk
    assert period.referral_id == referral.pk
    assert period.owner_organisation_id == ville.organisation_id
    assert period.category == "education_work"
    assert period.status == "started"
    assert [e.to_status for e in period.events.all()] == ["started"]


def test_start_directly_links_the_open_path(coached, ville, klaus_case):
    period = start(ville, client_id=coached.pk)
    assert period.case_id == klaus_case.pk
    assert period.referral_id is None


def test_a_coaching_unit_with_its_own_category_makes_the_period_that_category(
    coached, ville, askel
):
    unit = Unit.objects.create(organisation=askel, name_fi="IPS", data_category="assessments")
    ville.unit = unit
    ville.save()
    assert start(ville, client_id=coached.pk).category == "assessments"


def test_a_second_open_period_and_a_second_start_from_one_referral_are_refused(referral, ville):
    start(ville, referral_id=referral.pk)
    with pytest.raises(ValidationError):
        start(ville, referral_id=referral.pk)
    assert CoachingPeriod.objects.count() == 1


def test_coach_of_another_team_gets_404_and_nothing_is_written(referral, other_coach):
    with pytest.raises(Http404):
        start(other_coach, referral_id=referral.pk)
    assert CoachingPeriod.objects.count() == 0


def test_a_coach_who_does_not_work_with_the_client_gets_404(klaus, ville):
    with pytest.raises(Http404):
        start(ville, client_id=klaus.pk)
    assert CoachingPeriod.objects.count() == 0


def test_status_walk_with_returns_and_ending_reason(coached, ville):
    period = start(ville, client_id=coached.pk, started_on=TODAY() - dt.timedelta(days=30))
    for status in ["job_search", "employed", "follow_along", "job_search", "employed"]:
        services.period_transition(actor=ville, period_id=period.pk, to_status=status)
    with pytest.raises(ValidationError) as exc:
        services.period_transition(actor=ville, period_id=period.pk, to_status="ended")
    assert "ending_reason" in exc.value.message_dict
    services.period_transition(
        actor=ville, period_id=period.pk, to_status="ended", ending_reason="competitive_job"
    )
    period.refresh_from_db()
    assert period.status == "ended"
    assert period.ended_on == TODAY()
    assert period.events.count() == 7
    with pytest.raises(ValidationError):
        services.period_transition(actor=ville, period_id=period.pk, to_status="job_search")


def test_refused_transition_changes_nothing(coached, ville):
    period = start(ville, client_id=coached.pk)
    with pytest.raises(ValidationError):
        services.period_transition(actor=ville, period_id=period.pk, to_status="follow_along")
    period.refresh_from_db()
    assert period.status == "started"
    assert period.events.count() == 1


def test_events_are_immutable(coached, ville):
    event = start(ville, client_id=coached.pk).events.get()
    with pytest.raises(ImmutableError):
        event.save()


def test_pages_start_walk_and_400_keeps_typed(client, referral, ville):
    login(client, ville)
    url = reverse("coaching:start", kwargs={"client_id": referral.client_id})
    assert client.get(url, {"lahete": str(referral.pk)}).status_code == 200
    bad = client.post(
        f"{url}?lahete={referral.pk}",
        {"kind": "ips", "intensity": "light", "started_on": "2999-01-01"},
    )
    assert bad.status_code == 400
    assert 'value="2999-01-01"' in bad.text
    assert CoachingPeriod.objects.count() == 0
    ok = client.post(
        f"{url}?lahete={referral.pk}",
        {"kind": "ips", "intensity": "light", "started_on": TODAY().isoformat()},
    )
    assert ok.status_code == 302
    period = CoachingPeriod.objects.get()
    page = client.get(reverse("coaching:detail", kwargs={"period_id": period.pk}))
    assert page.status_code == 200
    assert "Esimerkki, Klaus" in page.text
    # Only the valid next states are offered.
    offered = page.text.split('name="tila-to_status"')[1].split("</select>")[0]
    assert 'value="job_search"' in offered
    assert 'value="follow_along"' not in offered
    refused = client.post(
        reverse("coaching:transition", kwargs={"period_id": period.pk}),
        {"tila-to_status": "follow_along", "tila-effective_on": TODAY().isoformat()},
    )
    assert refused.status_code == 400
    assert CoachingEvent.objects.filter(period=period).count() == 1
    moved = client.post(
        reverse("coaching:transition", kwargs={"period_id": period.pk}),
        {"tila-to_status": "job_search", "tila-effective_on": TODAY().isoformat()},
    )
    assert moved.status_code == 302
    listing = client.get(reverse("coaching:index"))
    assert "Esimerkki, Klaus" in listing.text
    referral_page = client.get(reverse("referrals:detail", kwargs={"referral_id": referral.pk}))
    assert reverse("coaching:detail", kwargs={"period_id": period.pk}) in referral_page.text


def test_support_contact_is_logged_and_bad_date_is_400(client, coached, ville):
    period = start(ville, client_id=coached.pk)
    login(client, ville)
    url = reverse("coaching:support_contact", kwargs={"period_id": period.pk})
    bad = client.post(url, {"tuki-contacted_on": "2999-01-01", "tuki-kind": "follow_along"})
    assert bad.status_code == 400
    assert period.support_contacts.count() == 0
    before = AccessLogEntry.objects.count()
    ok = client.post(
        url,
        {"tuki-contacted_on": TODAY().isoformat(), "tuki-kind": "follow_along", "tuki-note": "x"},
    )
    assert ok.status_code == 302
    assert period.support_contacts.count() == 1
    assert AccessLogEntry.objects.count() > before
