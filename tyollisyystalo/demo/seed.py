"""Build the demo region: municipalities, organisations, staff, 200 synthetic clients, consents.

Every run converges to the same data: organisations and staff are keyed by code and username,
clients by their (temporary, 900–999) henkilötunnus, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.clients.hetu import format_hetu, parse_hetu
from tyollisyystalo.clients.models import (
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    Language,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.consents.models import (
    Consent,
    ConsentCategory,
    ConsentMethod,
    ConsentVersion,
    WithdrawalMethod,
)
from tyollisyystalo.contact_requests.models import ContactRequest, ContactRequestEvent
from tyollisyystalo.contact_requests.models import Status as RequestStatus
from tyollisyystalo.contact_requests.services import CONSENT_VERSION
from tyollisyystalo.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from tyollisyystalo.employers.demo import seed_employer_register
from tyollisyystalo.organisations.models import Municipality, Organisation, OrganisationType, Unit
from tyollisyystalo.portal.instrument import instrument_version
from tyollisyystalo.rules.facts import facts_as_dict, facts_from_mapping
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.staff.models import StaffMember

MUNICIPALITIES = [
    ("X01", "Esimerkkilä", "Esimerkkilä"),
    ("X02", "Pohjala", "Pohjala"),
    ("X03", "Järvikylä", "Järvikylä"),
]
T = OrganisationType
# Catalogue organisations (shared/data/services_fi.json) that act in client work, with their type.
ORGANISATION_TYPES = {
    "org-esimerkkila-tyollisyys": T.EMPLOYMENT_AUTHORITY,
    "org-pohjala-tyollisyys": T.EMPLOYMENT_AUTHORITY,
    "org-jarvikyla-tyollisyys": T.EMPLOYMENT_AUTHORITY,
    "org-hva": T.WELLBEING_COUNTY,
    "org-kela": T.KELA,
    "org-typ": T.TYP,
    "org-ohjaamo": T.OHJAAMO,
    "org-askelma": T.NGO,
    "org-klubitalo": T.NGO,
    "org-mielenterveysseura": T.NGO,
    "org-selva-talous": T.NGO,
    "org-ammattiopisto": T.EDUCATION,
    "org-voimala": T.PRIVATE_PROVIDER,
    "org-uraverso": T.PRIVATE_PROVIDER,
}
EXTRA_ORGANISATIONS = [
    (
        "org-rakennus-oy",
        "Esimerkkilän Rakennus ja Remontti Oy",
        "Esimerkkilä Bygg och Renovering Ab",
        T.EMPLOYER,
        "Esimerkkilä",
    ),
]
# The wellbeing county's service areas are units of one organisation (one register keeper).
HVA_UNITS = {
    "terveys": "org-hva-terveys",
    "sosiaali": "org-hva-sosiaali",
    "mtp": "org-hva-mtp",
    "vammais": "org-hva-vammais",
    "kuntoutus": "org-hva-kuntoutus",
}
# What being a client of each unit reveals (R3, ADR 0017): health or social-welfare data.
HVA_UNIT_CATEGORIES = {
    "terveys": C.HEALTH,
    "sosiaali": C.SOCIAL,
    "mtp": C.HEALTH,
    "vammais": C.SOCIAL,
    "kuntoutus": C.HEALTH,
}
ENTRY_TEXTS = {
    C.SOCIAL: [
        (
            "Sosiaalisen tilanteen kartoitus",
            "Asuu yksin vuokra-asunnossa. Läheisverkosto pieni. Toivoo arkeen säännöllisyyttä.",
        )
    ],
    C.HEALTH: [
        (
            "Työttömien terveystarkastus",
            "Tarkastus tehty (90 min) ja yhteinen palaute (30 min). Tuki- ja liikuntaelinoireita, uni katkonaista.",
        ),
        (
            "Lääkärin vastaanotto",
            "Mieliala matala kevään jälkeen. Sovittu seurantakäynti kuukauden päähän.",
        ),
    ],
    C.EDUCATION_WORK: [
        (
            "Koulutus- ja työhistoria",
            "Ammatillinen perustutkinto, varastoalan työtä viisi vuotta. Viimeisin työsuhde päättyi kaksi vuotta sitten.",
        )
    ],
    C.EMPLOYMENT_SERVICES: [
        (
            "Työllistymissuunnitelma päivitetty",
            "Sovittu työkokeilun selvittämisestä ja työkykykoordinaattorin tapaamisista kerran kuussa.",
        )
    ],
    C.PLAN: [
        (
            "Yhteinen suunnitelma",
            "Tavoite: osa-aikatyö avoimilla työmarkkinoilla vuoden sisällä. Seuraava väliarvio kolmen kuukauden kuluttua.",
        )
    ],
    C.ASSESSMENTS: [
        (
            "Toimintakyvyn arvio",
            "Itsearvio 0–10: työ- ja toimintakyky 6, arki 7, talous 5. Alle 7 pisteen alueet käydään läpi tiimissä.",
        )
    ],
    C.NOTES: [("Puhelu", "Asiakas soitti ja siirsi tapaamista viikolla. Uusi aika sovittu.")],
}
EMPLOYMENT_CATEGORIES = [C.EDUCATION_WORK, C.EMPLOYMENT_SERVICES, C.PLAN, C.NOTES]
HVA_CATEGORIES = [C.HEALTH, C.SOCIAL, C.ASSESSMENTS, C.NOTES]


def _catalogue() -> dict[str, dict[str, str]]:
    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json"
    if not path.is_file():
        return {}
    return {o["id"]: o for o in json.loads(path.read_text(encoding="utf-8"))["organizations"]}


def seed_organisations() -> dict[str, Organisation]:
    municipalities = {}
    for code, fi, sv in MUNICIPALITIES:
        municipalities[fi], _ = Municipality.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv}
        )
    catalogue = _catalogue()
    organisations: dict[str, Organisation] = {}
    rows = [
        (
            code,
            catalogue.get(code, {}).get("name_fi", code),
            catalogue.get(code, {}).get("name_sv", ""),
            kind,
            catalogue.get(code, {}).get("municipality", ""),
        )
        for code, kind in ORGANISATION_TYPES.items()
    ] + EXTRA_ORGANISATIONS
    for code, name_fi, name_sv, kind, municipality in rows:
        org, _ = Organisation.objects.update_or_create(
            code=code, defaults={"name_fi": name_fi, "name_sv": name_sv, "type": kind}
        )
        served = (
            [municipalities[municipality]]
            if municipality in municipalities
            else list(municipalities.values())
        )
        org.municipalities.set(served)
        organisations[code] = org
    hva = organisations["org-hva"]
    for unit_code, catalogue_code in HVA_UNITS.items():
        source = catalogue.get(catalogue_code, {})
        name_fi = source.get("name_fi", unit_code).split(", ")[-1]
        name_sv = source.get("name_sv", "").split(", ")[-1]
        Unit.objects.update_or_create(
            organisation=hva,
            code=unit_code,
            defaults={
                "name_fi": name_fi.capitalize(),
                "name_sv": name_sv.capitalize(),
                "data_category": HVA_UNIT_CATEGORIES[unit_code],
            },
        )
    return organisations


def seed_staff(organisations: dict[str, Organisation]) -> dict[str, StaffMember]:
    user_model = get_user_model()
    staff: dict[str, StaffMember] = {}
    for account in ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            username=account.username,
            defaults={"first_name": account.first_name, "last_name": account.last_name},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = account.superuser
        user.email = user.email or f"{account.username}@example.fi"
        user.save()
        TOTPDevice.objects.update_or_create(
            user=user, name="demo", defaults={"key": account.totp_key_hex, "confirmed": True}
        )
        organisation = organisations[account.organisation]
        unit = (
            Unit.objects.get(organisation=organisation, code=account.unit) if account.unit else None
        )
        staff[account.username], _ = StaffMember.objects.update_or_create(
            user=user,
            defaults={"organisation": organisation, "unit": unit, "role": account.role},
        )
    return staff


def _hetu(rng: random.Random, used: set[str]) -> str:
    while True:
        birth = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(0, 42 * 365))
        sign = rng.choice(["-", "Y", "X"]) if birth.year < 2000 else rng.choice(["A", "B"])
        code = format_hetu(birth, rng.randrange(900, 1000), sign=sign)
        if code not in used:
            used.add(code)
            return code


@transaction.atomic
def seed_clients(
    organisations: dict[str, Organisation],
    staff: dict[str, StaffMember],
    *,
    count: int = 200,
    seed: int = 2026,
) -> Counter[str]:
    """Create ``count`` clients; existing ones (same henkilötunnus) are left as they are."""
    fake = Faker("fi_FI")
    today = timezone.localdate()
    now = timezone.now()
    used: set[str] = set()
    municipalities = list(Municipality.objects.order_by("code"))
    employment = {
        "X01": organisations["org-esimerkkila-tyollisyys"],
        "X02": organisations["org-pohjala-tyollisyys"],
        "X03": organisations["org-jarvikyla-tyollisyys"],
    }
    coordinators = {"X01": staff["aino"], "X02": staff["pasi"], "X03": staff["jaana"]}
    hva, kela = organisations["org-hva"], organisations["org-kela"]
    hva_units = {u.code: u for u in Unit.objects.filter(organisation=hva)}
    existing = set(
        ClientIdentity.objects.exclude(hetu_hash=None).values_list("hetu_hash", flat=True)
    )
    states: Counter[str] = Counter()
    events: list[LogEvent] = []
    consent_states = [
        "valid",
        "valid",
        "valid",
        "partial",
        "expired",
        "withdrawn",
        "not_yet_valid",
        "none",
    ]
    for index in range(count):
        # Each client has its own random stream, so skipping existing ones changes nothing else.
        rng = random.Random(f"{seed}:{index}")  # noqa: S311 - demo data, not secrets
        fake.seed_instance(f"{seed}:{index}")
        hetu = _hetu(rng, used)
        first, last = fake.first_name(), fake.last_name()
        municipality = municipalities[0] if index % 5 < 3 else municipalities[1 + index % 2]
        language = rng.choices([Language.FI, Language.SV, Language.OTHER], weights=[85, 8, 7])[0]
        state = consent_states[index % len(consent_states)]
        with_hva = state != "none" or index % 16 == 7
        if hetu_lookup_hash(hetu) in existing:
            continue
        parsed = parse_hetu(hetu)
        started = today - dt.timedelta(days=rng.randrange(30, 700))
        client = Client.objects.create(registered_by=employment[municipality.code], created_at=now)
        ClientIdentity.objects.create(
            client=client,
            hetu=parsed.code,
            hetu_hash=hetu_lookup_hash(hetu),
            hetu_is_temporary=True,
            birth_date=parsed.birth_date,
            sex=parsed.sex,
            first_names=first,
            last_name=last,
            search_name=ClientIdentity.make_search_name(first, last),
            phone=fake.phone_number(),
            email=f"{first}.{last}@example.fi".lower(),
            address=fake.street_address() + ", " + municipality.name_fi,
            municipality=municipality,
            language=language,
            other_language="arabia" if language == Language.OTHER else "",
            needs_interpreter=language == Language.OTHER,
            interpreter_language="arabia" if language == Language.OTHER else "",
        )
        own = employment[municipality.code]
        coordinator = coordinators[municipality.code]
        ClientRelationship.objects.create(client=client, organisation=own, started_on=started)
        TeamMembership.objects.create(
            client=client,
            staff_member=coordinator,
            is_coordinator=True,
            added_by=coordinator,
            started_at=now,
        )
        _entries(client, own, coordinator, EMPLOYMENT_CATEGORIES, rng, today)
        if index % 4:
            facts_rng = random.Random(f"{seed}:{index}:rules")  # noqa: S311 - demo data
            _rule_facts(client, own, coordinator, facts_rng, today, now, language)
        if with_hva:
            unit = hva_units[rng.choice(["terveys", "sosiaali", "mtp"])]
            ClientRelationship.objects.create(
                client=client, organisation=hva, unit=unit, started_on=started
            )
            author = (
                staff["bertta"]
                if unit.code == "terveys"
                else staff["sanna"]
                if unit.code == "sosiaali"
                else staff["pirjo"]
            )
            TeamMembership.objects.create(
                client=client, staff_member=author, added_by=coordinator, started_at=now
            )
            _entries(client, hva, author, HVA_CATEGORIES, rng, today)
            if index % 3 == 0:
                TeamMembership.objects.create(
                    client=client,
                    staff_member=staff["cecilia"],
                    added_by=coordinator,
                    started_at=now,
                )
                ClientRelationship.objects.create(
                    client=client, organisation=kela, started_on=started
                )
            if state != "none":
                _consent(client, hva, [own, kela], state, staff["sanna"], coordinator, today, now)
                states[state] += 1
        events.append(
            LogEvent(
                action=Action.CREATE,
                outcome=Outcome.ALLOWED,
                client_id=client.id,
                categories=[C.IDENTITY],
                basis=Basis.DUTY,
                object_type="client",
                object_id=str(client.id),
                purpose="demo data",
            )
        )
        states["clients"] += 1
    access_log_append(actor=None, events=events)
    return states


def _rule_facts(
    client: Client,
    owner: Organisation,
    author: StaffMember,
    rng: random.Random,
    today: dt.date,
    now: dt.datetime,
    language: str,
) -> None:
    """Facts for the statutory rules: most clients have some; some reviews are overdue."""
    plan_start = today - dt.timedelta(days=rng.randrange(20, 400))
    facts: dict[str, object] = {
        "has_employment_plan": True,
        "job_search_interview_held": True,
        "social_assistance_main_income_months": rng.choice([0, 3, 8, 12, 14, 30]),
        "labour_market_subsidy_days_total": rng.randrange(0, 1400, 10),
        "continuous_unemployment_months": rng.randrange(0, 36),
        "needs_coordinated_services": rng.random() < 0.6,
        "has_integration_plan": language == Language.OTHER,
        "in_multisector_service": rng.random() < 0.3,
        "plan_start_date": plan_start.isoformat(),
    }
    if plan_start < today - dt.timedelta(days=60):
        last_review = today - dt.timedelta(days=rng.randrange(10, 120))
        facts["last_review_date"] = max(last_review, plan_start).isoformat()
    if facts["in_multisector_service"]:
        facts["mapping_start_date"] = plan_start.isoformat()
    ClientRuleFacts.objects.create(
        client=client,
        owner_organisation=owner,
        category=C.EMPLOYMENT_SERVICES,
        author=author,
        facts_json=json.dumps(facts_as_dict(facts_from_mapping(facts)), sort_keys=True),
        created_at=now,
    )


def _entries(
    client: Client,
    owner: Organisation,
    author: StaffMember,
    categories: Sequence[str],
    rng: random.Random,
    today: dt.date,
) -> None:
    for category in rng.sample(categories, k=rng.randint(2, len(categories))):
        title, body = rng.choice(ENTRY_TEXTS[C(category)])
        ClientEntry.objects.create(
            client=client,
            owner_organisation=owner,
            category=category,
            author=author,
            entry_date=today - dt.timedelta(days=rng.randrange(0, 200)),
            title=title,
            body=body,
        )


def _consent(
    client: Client,
    discloser: Organisation,
    receivers: list[Organisation],
    state: str,
    recorder: StaffMember,
    withdrawer: StaffMember,
    today: dt.date,
    now: dt.datetime,
) -> None:
    valid_from, valid_until = today - dt.timedelta(days=60), today + dt.timedelta(days=305)
    categories = [C.IDENTITY, C.HEALTH, C.SOCIAL, C.ASSESSMENTS, C.PLAN]
    if state == "expired":
        valid_from, valid_until = today - dt.timedelta(days=400), today - dt.timedelta(days=35)
    elif state == "not_yet_valid":
        valid_from, valid_until = today + dt.timedelta(days=14), today + dt.timedelta(days=379)
    elif state == "partial":
        categories = [C.IDENTITY, C.ASSESSMENTS]
    consent = Consent.objects.create(client=client, created_by=recorder, created_at=now)
    version = ConsentVersion.objects.create(
        consent=consent,
        number=1,
        purpose="Työkyvyn arviointi ja yhteinen suunnitelma",
        method=ConsentMethod.WRITTEN_FORM,
        form_reference="Kela Y100",
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=recorder,
        recorded_at=now,
    )
    version.disclosing_organisations.set([discloser])
    version.receiving_organisations.set(receivers)
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(version=version, category=c) for c in categories]
    )
    if state == "withdrawn":
        consent.withdrawn_at = now - dt.timedelta(days=3)
        consent.withdrawn_by = withdrawer
        consent.withdrawal_method = WithdrawalMethod.ORAL
        consent.save()


DEMO_REQUESTS = [
    # receipt, municipality, language, contact time, message, self-assessment, status
    (
        "YP-DEMO-0001",
        "X01",
        "fi",
        "morning",
        "Velat painavat enkä saa nukuttua.",
        {"talous": 2, "mieli": 4},
        "new",
    ),
    (
        "YP-DEMO-0002",
        "X01",
        "fi",
        "any",
        "Haluaisin töihin, mutta selkä ei kestä entistä työtä.",
        {},
        "new",
    ),
    (
        "YP-DEMO-0003",
        "X01",
        "en",
        "afternoon",
        "I would like help finding work. My Finnish is basic.",
        {},
        "contacted",
    ),
    (
        "YP-DEMO-0004",
        "X02",
        "fi",
        "any",
        "Olen ollut pitkään kotona ja arki on sekaisin.",
        {"arki": 3, "osallisuus": 2, "tyo": 3},
        "new",
    ),
    (
        "YP-DEMO-0005",
        "X02",
        "sv",
        "morning",
        "Jag behöver hjälp med att hitta en arbetsprövning.",
        {},
        "new",
    ),
    (
        "YP-DEMO-0006",
        "X03",
        "fi",
        "afternoon",
        "Kuntoutustuki loppuu pian, mitä sitten?",
        {},
        "new",
    ),
    ("YP-DEMO-0007", "X01", "fi", "any", "", {}, "closed"),
]


def seed_contact_requests(staff: dict[str, StaffMember], *, seed: int = 2026) -> int:
    """A few requests in each municipality's queue; keyed by receipt, so reruns add nothing."""
    fake = Faker("fi_FI")
    handlers = {"X01": staff["aino"], "X02": staff["pasi"], "X03": staff["jaana"]}
    places = {m.code: m for m in Municipality.objects.all()}
    now = timezone.now()
    created = 0
    for index, (receipt, place, language, time, message, answers, status) in enumerate(
        DEMO_REQUESTS
    ):
        if ContactRequest.objects.filter(receipt=receipt).exists():
            continue
        fake.seed_instance(f"{seed}:request:{index}")
        first, last = fake.first_name(), fake.last_name()
        received = now - dt.timedelta(days=len(DEMO_REQUESTS) - index, hours=index)
        item = ContactRequest.objects.create(
            receipt=receipt,
            received_at=received,
            municipality=places[place],
            name=f"{first} {last}",
            email=f"{first}.{last}@example.fi".casefold(),
            phone=f"+3585000{index:05d}" if index % 2 else "",
            language=language,
            contact_time=time,
            message=message,
            self_assessment=json.dumps({"version": instrument_version(), "answers": answers})
            if answers
            else "",
            consent_version=CONSENT_VERSION,
            source_hash="",
        )
        if status != RequestStatus.NEW:
            handler = handlers[place]
            at = received + dt.timedelta(hours=20)
            ContactRequestEvent.objects.create(
                request=item, at=at, actor=handler, from_status=RequestStatus.NEW, to_status=status
            )
            item.status, item.handled_at, item.handled_by = status, at, handler
            item.close_reason = "duplicate" if status == RequestStatus.CLOSED else ""
            item.save()
        created += 1
    return created


def seed_catalogue_ages(*, every: int = 10) -> int:
    """Make some imported services look unreviewed for 14 months, so the stale flags show.

    Services someone has already edited or confirmed are left alone; reruns change nothing else.
    """
    old = timezone.now() - dt.timedelta(days=14 * 30)
    chosen = [
        s.pk
        for i, s in enumerate(Service.objects.order_by("source_id"))
        if i % every == 0 or s.source_id == "svc-100"
    ]
    return (
        Service.objects.filter(pk__in=chosen, revisions__isnull=True)
        .exclude(reviewed_at__lt=old + dt.timedelta(days=1))
        .update(reviewed_at=old)
    )


def seed_demo(*, clients: int = 200) -> Counter[str]:
    with transaction.atomic():
        organisations = seed_organisations()
        staff = seed_staff(organisations)
        requests = seed_contact_requests(staff)
        seed_employer_register()
    counts = seed_clients(organisations, staff, count=clients)
    counts["contact_requests"] = requests
    return counts
