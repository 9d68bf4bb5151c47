"""Test setup shared by every app: factories and the personas the tests speak of.

Personas: coordinator Aino of Esimerkkilä employment services, nurse Bertta of the wellbeing
county, Kela expert Cecilia, manager Mikko of Esimerkkilä, and client Sari.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import factory
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.hetu import format_hetu, parse_hetu
from tyollisyystalo.clients.models import (
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.consents.models import Consent, ConsentCategory, ConsentVersion
from tyollisyystalo.organisations.models import Organisation, OrganisationType
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

PASSWORD = "Testi-salasana-123"
_hetu_numbers = itertools.count(900)


def new_hetu() -> str:
    n = next(_hetu_numbers)
    return format_hetu(dt.date(1980, 1, 1) + dt.timedelta(days=n // 100), 900 + n % 100)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name_fi = factory.Sequence(lambda n: f"Organisaatio {n}")
    type = OrganisationType.EMPLOYMENT_AUTHORITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    password = factory.django.Password(PASSWORD)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COORDINATOR


def make_client(
    *,
    organisation: Organisation,
    name: tuple[str, str] = ("Sari", "Esimerkki"),
    hetu: str | None = None,
) -> Client:
    client = Client.objects.create(registered_by=organisation)
    code = hetu or new_hetu()
    ClientIdentity.objects.create(
        client=client,
        hetu=code,
        hetu_hash=hetu_lookup_hash(code),
        hetu_is_temporary=True,
        birth_date=parse_hetu(code).birth_date,
        first_names=name[0],
        last_name=name[1],
        search_name=ClientIdentity.make_search_name(*name),
    )
    ClientRelationship.objects.create(
        client=client,
        organisation=organisation,
        started_on=timezone.localdate() - dt.timedelta(days=30),
    )
    return client


def add_to_team(client: Client, staff: StaffMember) -> TeamMembership:
    return TeamMembership.objects.create(client=client, staff_member=staff, added_by=staff)


def add_entry(
    client: Client, owner: Organisation, author: StaffMember, category: str, title: str = "Kirjaus"
) -> ClientEntry:
    return ClientEntry.objects.create(
        client=client,
        owner_organisation=owner,
        category=category,
        author=author,
        entry_date=timezone.localdate(),
        title=title,
        body="Synteettinen teksti.",
    )


def make_consent(
    client: Client,
    *,
    disclosing: list[Organisation],
    receiving: list[Organisation],
    categories: Sequence[str],
    recorder: StaffMember,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    withdrawn: bool = False,
) -> Consent:
    consent = Consent.objects.create(client=client, created_by=recorder)
    version = ConsentVersion.objects.create(
        consent=consent,
        number=1,
        purpose="Työkyvyn arviointi",
        method="written_form",
        form_reference="Kela Y100",
        valid_from=valid_from or timezone.localdate() - dt.timedelta(days=10),
        valid_until=valid_until,
        recorded_by=recorder,
    )
    version.disclosing_organisations.set(disclosing)
    version.receiving_organisations.set(receiving)
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(version=version, category=c) for c in categories]
    )
    if withdrawn:
        consent.withdrawn_at = timezone.now() - dt.timedelta(minutes=1)
        consent.withdrawn_by = recorder
        consent.withdrawal_method = "oral"
        consent.save()
    return consent


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, name="test", key="3132333435363738393031323334353637383930", confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.fixture(autouse=True)
def _default_language():
    """A page test in Swedish or English must not leave that language active for the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@functools.cache
def _documents_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="tt-documents-"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Management figures counted afresh on every view (the reporting store's own tests turn it
    # on), so a test that changes records and looks again sees the change at once.
    settings.REPORTING_MAX_AGE = 0
    # Documents' encrypted files in a temporary directory, never the checkout's var/.
    settings.DOCUMENT_ROOT = str(_documents_root())


@pytest.fixture
def employment(db) -> Organisation:
    return OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )


@pytest.fixture
def county(db) -> Organisation:
    return OrganisationFactory.create(
        code="org-hva", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )


@pytest.fixture
def kela(db) -> Organisation:
    return OrganisationFactory.create(code="org-kela", name_fi="Kela", type=OrganisationType.KELA)


@pytest.fixture
def aino(employment) -> StaffMember:
    return StaffFactory.create(
        user__username="aino", organisation=employment, role=Role.COORDINATOR
    )


@pytest.fixture
def bertta(county) -> StaffMember:
    return StaffFactory.create(user__username="bertta", organisation=county, role=Role.NURSE)


@pytest.fixture
def cecilia(kela) -> StaffMember:
    return StaffFactory.create(user__username="cecilia", organisation=kela, role=Role.KELA_EXPERT)


@pytest.fixture
def mikko(employment) -> StaffMember:
    return StaffFactory.create(user__username="mikko", organisation=employment, role=Role.MANAGER)


def make_person(username: str, name: str, organisation: Organisation, role: Role) -> StaffMember:
    first, last = name.split()
    return StaffFactory.create(
        user__username=username,
        user__first_name=first,
        user__last_name=last,
        organisation=organisation,
        role=role,
    )


def make_shared_client(
    *, employment, county, coordinator, nurse, health_title: str = "Terveystarkastus"
) -> Client:
    """Sari: a client of employment services and the county, with both professionals in her team,
    one employment entry and one county health entry."""
    client = make_client(organisation=employment)
    ClientRelationship.objects.create(
        client=client, organisation=county, started_on=timezone.localdate() - dt.timedelta(days=20)
    )
    add_to_team(client, coordinator)
    add_to_team(client, nurse)
    add_entry(
        client, employment, coordinator, DataCategory.EMPLOYMENT_SERVICES, "Työllistymissuunnitelma"
    )
    add_entry(client, county, nurse, DataCategory.HEALTH, health_title)
    return client


@pytest.fixture
def sari(employment, county, aino, bertta) -> Client:
    return make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)


def login(client, staff: StaffMember) -> None:
    """Log a Django test client in with the second factor verified."""
    device = totp_device(staff.user)
    client.force_login(staff.user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def open_path(actor: StaffMember, client: Client, *, started_days_ago: int | None = 20):
    """A service path opened by ``actor`` ten days before it started (intake), or just opened."""
    from tyollisyystalo.cases.services import case_open, case_transition

    today = timezone.localdate()
    referred = today - dt.timedelta(days=(started_days_ago or 0) + 10)
    case = case_open(
        actor=actor,
        client_id=client.id,
        entry_route="employment_services",
        referred_on=referred,
        coordinator=actor,
    )
    if started_days_ago is not None:
        case_transition(
            actor=actor,
            case_id=case.id,
            to_status="intake",
            on=today - dt.timedelta(days=started_days_ago),
        )
    return case


def _set_log_triggers(enabled: bool) -> None:
    """Transactional tests end with a flush; the append-only triggers must step aside for it."""
    from importlib import import_module

    triggers = import_module(
        "tyollisyystalo.audit.migrations.0005_erasure_anchors_and_prefix_delete"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            state = "ENABLE" if enabled else "DISABLE"
            for table in triggers.LOG_TABLES:
                cursor.execute(f"ALTER TABLE {table} {state} TRIGGER USER")
        else:
            for statement in triggers.SQLITE_DOWN:
                cursor.execute(statement)
            if enabled:
                for statement in triggers.SQLITE_UP:
                    cursor.execute(statement)


@pytest.fixture
def purgeable_log(transactional_db: Any) -> Iterator[None]:
    _set_log_triggers(True)
    yield
    _set_log_triggers(False)
