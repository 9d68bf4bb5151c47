"""Demo data of the register: the coaching team and 40 synthetic employers with contact logs."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tyollisyystalo.employers.models import (
    CoachingTeam,
    ContactKind,
    ContactPerson,
    Employer,
    EmployerContact,
    JobOpening,
    OpeningKind,
    Sector,
    Size,
)
from tyollisyystalo.employers.rules import business_id_complete
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember

TEAM_NAME = "Työhönvalmennuksen yhteistiimi"
PREFIXES = [
    "Leipomo",
    "Kuljetus",
    "Rakennus",
    "Kiinteistöhuolto",
    "Kahvila",
    "Siivous",
    "Autokorjaamo",
    "Puutarha",
    "Kirjapaino",
    "Varasto",
    "Pesula",
    "Metalli",
    "Ravintola",
    "Hoivakoti",
    "Kauppa",
    "Taloushallinto",
    "Konepaja",
    "Kukkakauppa",
    "Matkailu",
    "Sähkö",
]
SUFFIXES = [
    "Aalto",
    "Koivu",
    "Kallio",
    "Niemi",
    "Laakso",
    "Mäki",
    "Harju",
    "Saari",
    "Rinne",
    "Lahti",
]
SECTORS = [
    "C",
    "H",
    "F",
    "L",
    "I",
    "N",
    "G",
    "A",
    "C",
    "H",
    "L",
    "C",
    "I",
    "Q",
    "G",
    "M",
    "C",
    "G",
    "I",
    "F",
]
FIRST = ["Anna", "Mikko", "Laura", "Jari", "Sari", "Petri", "Hanna", "Timo", "Kirsi", "Antti"]
LAST = ["Mallinen", "Esimerkki", "Testinen", "Koelainen", "Näytteinen"]
NOTES = [
    "Kiinnostunut osa-aikaisesta työntekijästä.",
    "Sovittiin tutustumiskäynnistä.",
    "Ei rekrytointitarvetta juuri nyt.",
    "Työkokeilupaikka mahdollinen keväällä.",
    "Esittelin työhönvalmennusta ja palkkatukea.",
]


def seed_employer_register(*, seed: int = 2026) -> int:
    """Create the demo coaching team and its 40 employers once; returns employers created."""
    team, _created = CoachingTeam.objects.get_or_create(name=TEAM_NAME)
    team.organisations.add(*Organisation.objects.filter(code__in=["org-askelma", "org-klubitalo"]))
    coaches = list(
        StaffMember.objects.filter(user__username__in=["ville", "kalle"]).order_by("user__username")
    )
    ville = next((c for c in coaches if c.user.username == "ville"), None)
    if ville is not None:
        team.leaders.add(ville)
    if not coaches or team.employers.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 -- synthetic demo data, not security
    municipalities = list(Municipality.objects.filter(code__in=["X01", "X02", "X03"]))
    today = timezone.localdate()
    created = 0
    body = 3100000
    for index in range(40):
        business_id = None
        while business_id is None:
            body += rng.randint(7, 997)
            business_id = business_id_complete(str(body))
        coach = coaches[index % len(coaches)]
        employer = Employer.objects.create(
            team=team,
            name=f"{PREFIXES[index % 20]} {SUFFIXES[index // 4 % 10]} Oy",
            business_id=business_id,
            sector=Sector(SECTORS[index % 20]),
            municipality=rng.choice(municipalities) if municipalities else None,
            size=rng.choice([Size.MICRO, Size.SMALL, Size.MEDIUM, Size.LARGE]),
            owner=coach if index % 5 else None,
            created_by=coach,
        )
        person = ContactPerson.objects.create(
            employer=employer,
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            title=rng.choice(["Toimitusjohtaja", "Henkilöstöpäällikkö", "Esihenkilö"]),
            phone=f"040 555 {index:04d}",
            email=f"yhteys{index}@example.invalid",
            may_email=index % 3 != 0,
        )
        for _contact in range(rng.randint(0, 5)):
            contacted_on = today - dt.timedelta(days=rng.randint(1, 300))
            kind = rng.choice(list(ContactKind))
            EmployerContact.objects.create(
                employer=employer,
                coach=rng.choice(coaches),
                contact_person=person,
                contacted_on=contacted_on,
                kind=kind,
                face_to_face=kind in (ContactKind.MEETING, ContactKind.VISIT),
                notes=rng.choice(NOTES),
                next_step=rng.choice(["", "Soita uudelleen", "Lähetä esite"]),
                next_step_on=contacted_on + dt.timedelta(days=14) if index % 4 == 0 else None,
                owner_organisation=coach.organisation,
                # Old demo history: not news to the owners, so no e-mail on the first run.
                owner_notified_at=timezone.now(),
            )
        if index % 6 == 0:
            JobOpening.objects.create(
                employer=employer,
                kind=OpeningKind.WORK_TRIAL if index % 12 == 0 else OpeningKind.JOB,
                title=rng.choice(["Varastotyöntekijä", "Keittiöapulainen", "Siivooja"]),
                created_by=coach,
            )
        created += 1
    return created
