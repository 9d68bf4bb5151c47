"""The matrix's oracle on hand-worked cells of docs/access-rules.md, so that the oracle is checked too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_consent, make_person
from tests.access_matrix.oracle import World
from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.consents.models import EmergencyAccess
from tyollisyystalo.staff.roles import Role


def _world() -> World:
    return World(unit_categories="flat", at=timezone.now(), today=timezone.localdate())


@pytest.mark.django_db
def test_r1_team_consent_and_role_table(sari, aino, bertta, employment, county):
    world = _world()
    a, b = world.staff[aino.pk], world.staff[bertta.pk]
    # Own organisation, in the team: every category the role needs.
    assert world.may_read(a, sari.pk, employment.pk, C.EMPLOYMENT_SERVICES)
    assert world.may_read(b, sari.pk, county.pk, C.HEALTH)
    # Another organisation's records need a consent from it to the reader's organisation.
    assert not world.may_read(a, sari.pk, county.pk, C.HEALTH)
    make_consent(
        sari, disclosing=[county], receiving=[employment], categories=[C.HEALTH], recorder=aino
    )
    world = _world()
    assert world.may_read(a, sari.pk, county.pk, C.HEALTH)
    # ...and the role table still applies: a nurse never reads employment services data.
    make_consent(
        sari,
        disclosing=[employment],
        receiving=[county],
        categories=[C.EMPLOYMENT_SERVICES],
        recorder=aino,
    )
    assert not _world().may_read(b, sari.pk, employment.pk, C.EMPLOYMENT_SERVICES)


@pytest.mark.django_db
def test_r1_consent_states_and_emergency(sari, aino, employment, county):
    make_consent(
        sari,
        disclosing=[county],
        receiving=[employment],
        categories=[C.HEALTH],
        recorder=aino,
        withdrawn=True,
    )
    today = timezone.localdate()
    make_consent(
        sari,
        disclosing=[county],
        receiving=[employment],
        categories=[C.HEALTH],
        recorder=aino,
        valid_from=today - dt.timedelta(days=30),
        valid_until=today - dt.timedelta(days=1),
    )
    make_consent(
        sari,
        disclosing=[county],
        receiving=[employment],
        categories=[C.HEALTH],
        recorder=aino,
        valid_from=today + dt.timedelta(days=3),
    )
    world = _world()
    assert not world.may_read(world.staff[aino.pk], sari.pk, county.pk, C.HEALTH)
    # Emergency access opens what the role needs, without team or consent.
    pasi = make_person("pasi", "Pasi Peltola", employment, Role.COORDINATOR)
    EmergencyAccess.objects.create(
        staff_member=pasi,
        client=sari,
        reason="x",
        started_at=timezone.now() - dt.timedelta(hours=1),
        expires_at=timezone.now() + dt.timedelta(hours=3),
    )
    world = _world()
    assert world.may_read(world.staff[pasi.pk], sari.pk, county.pk, C.HEALTH)


@pytest.mark.django_db
def test_r1_duty_needs_an_active_relationship_in_the_unit(sari, employment):
    eero = make_person("eero", "Eero Eskola", employment, Role.EMPLOYMENT_EXPERT)
    nina = make_person("nina", "Nina Nurmi", employment, Role.JOB_COACH)
    world = _world()
    assert world.identity_visible(world.staff[eero.pk], sari.pk)  # duty covers the clients
    assert not world.identity_visible(world.staff[nina.pk], sari.pk)  # no duty, not in team
    sari.relationships.update(ended_on=timezone.localdate() - dt.timedelta(days=1))
    world = _world()
    assert not world.identity_visible(world.staff[eero.pk], sari.pk)
