"""The segments' tests share a region: a county with a drawn history of 260 clients (their
drawn kinds kept), another organisation with 40, an analyst of each and a coordinator."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from tyollisyystalo.cases.models import Case, CaseStatus
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.demo.history import Coaching, Keeper, history_build
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.organisations.models import Municipality, Organisation, OrganisationType
from tyollisyystalo.segments.services import (
    segment_analysis_run,
    segment_steps_set,
    segment_update,
    segment_version_approve,
    segment_version_draft,
)
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

TODAY = dt.date(2026, 12, 4)
PURPOSE = "Asiakassegmenttien muodostaminen ohjausryhmälle"


def staff_make(username, organisation, role):
    user = get_user_model().objects.create_user(username)
    return StaffMember.objects.create(user=user, organisation=organisation, role=role)


@pytest.fixture
def region(db):
    x01 = Municipality.objects.create(code="X01", name_fi="Esimerkkilä")
    county = Organisation.objects.create(
        code="org-hva", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )
    county.municipalities.add(x01)
    other = Organisation.objects.create(
        code="org-te", name_fi="Työllisyysalue", type=OrganisationType.EMPLOYMENT_AUTHORITY
    )
    other.municipalities.add(x01)
    coordinators = [staff_make(f"k{n}", county, Role.COORDINATOR) for n in (1, 2)]
    kinds: dict = {}
    history_build(
        [(Keeper(county, coordinators, [x01]), 260)],
        coaching=Coaching(coaches=[]),
        today=TODAY,
        latent=lambda client, kind: kinds.__setitem__(client.pk, kind),
    )
    history_build(
        [(Keeper(other, [staff_make("t1", other, Role.COORDINATOR)], [x01]), 40)],
        coaching=Coaching(coaches=[]),
        today=TODAY,
        start=1000,
    )
    return {
        "county": county,
        "other": other,
        "analyst": staff_make("analyytikko", county, Role.MANAGER),
        "other_analyst": staff_make("toinen", other, Role.MANAGER),
        "coordinator": coordinators[0],
        "kinds": kinds,
    }


@pytest.fixture
def analysis(region):
    return segment_analysis_run(
        actor=region["analyst"], purpose=PURPOSE, ks=range(4, 7), resamples=0
    )


def furnish(analyst, version, *, skip=()):
    """Names, instructions and a two-step process for every segment of a draft (except the
    codes in ``skip``), as a steering group gives them before approving."""
    for segment in version.segments.all():
        if segment.code in skip:
            continue
        segment_update(
            actor=analyst,
            segment=segment,
            names={"fi": f"Ryhmä {segment.code}", "sv": f"Grupp {segment.code}"},
            instructions={"fi": f"Ohje ryhmälle {segment.code}"},
            rules=segment.rules_json,
        )
        segment_steps_set(
            actor=analyst,
            segment=segment,
            steps=[
                {
                    "title": {"fi": f"Ensitapaaminen {segment.code}"},
                    "responsible": "coordinator",
                    "due_days": 14,
                },
                {
                    "title": {"fi": f"Palveluohjaus {segment.code}"},
                    "responsible": "social_worker",
                    "due_days": 45,
                },
            ],
        )
    return version


def approve_new(analyst, analysis):
    """A new version of the analysis, furnished and approved."""
    version = furnish(analyst, segment_version_draft(actor=analyst, analysis=analysis))
    return segment_version_approve(actor=analyst, version=version)


@pytest.fixture
def approved(region, analysis):
    return approve_new(region["analyst"], analysis)


def open_client(coordinator, *, answered=False):
    """A client whose open path the coordinator leads (``answered``: with an instrument
    answer on record)."""
    open_cases = Case.objects.exclude(status=CaseStatus.CLOSED).values("client_id")
    memberships = TeamMembership.objects.filter(
        staff_member=coordinator, ended_at__isnull=True, client_id__in=open_cases
    )
    if answered:
        memberships = memberships.filter(
            client_id__in=InstrumentResponse.objects.values("client_id")
        )
    membership = memberships.order_by("client_id").first()
    assert membership is not None
    return membership.client_id
