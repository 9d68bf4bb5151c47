"""Published demo accounts: every password and TOTP secret here is public on purpose."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from tyollisyystalo.staff.roles import Role

DEMO_PASSWORD = "Demo-salasana-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: Role
    unit: str = ""
    superuser: bool = False

    @property
    def totp_key_hex(self) -> str:
        return hashlib.sha256(f"tyollisyystalo-demo-totp:{self.username}".encode()).hexdigest()[:40]

    @property
    def totp_secret_base32(self) -> str:
        return base64.b32encode(bytes.fromhex(self.totp_key_hex)).decode("ascii")


R = Role
ACCOUNTS = [
    DemoAccount("aino", "Aino", "Aaltonen", "org-esimerkkila-tyollisyys", R.COORDINATOR),
    DemoAccount("eero", "Eero", "Eskola", "org-esimerkkila-tyollisyys", R.EMPLOYMENT_EXPERT),
    DemoAccount("mikko", "Mikko", "Mattila", "org-esimerkkila-tyollisyys", R.MANAGER),
    DemoAccount("paivi", "Päivi", "Pääkkönen", "org-esimerkkila-tyollisyys", R.ADMINISTRATOR),
    DemoAccount("pasi", "Pasi", "Peltola", "org-pohjala-tyollisyys", R.COORDINATOR),
    DemoAccount("jaana", "Jaana", "Järvinen", "org-jarvikyla-tyollisyys", R.EMPLOYMENT_EXPERT),
    DemoAccount("bertta", "Bertta", "Berg", "org-hva", R.NURSE, unit="terveys"),
    DemoAccount("lauri", "Lauri", "Lindqvist", "org-hva", R.PHYSICIAN, unit="terveys"),
    DemoAccount("sanna", "Sanna", "Saarinen", "org-hva", R.SOCIAL_WORKER, unit="sosiaali"),
    DemoAccount("olli", "Olli", "Ojala", "org-hva", R.SOCIAL_COUNSELLOR, unit="sosiaali"),
    DemoAccount("fiia", "Fiia", "Forsman", "org-hva", R.PHYSIOTHERAPIST, unit="kuntoutus"),
    DemoAccount(
        "tiina", "Tiina", "Toivonen", "org-hva", R.OCCUPATIONAL_THERAPIST, unit="kuntoutus"
    ),
    DemoAccount("pirjo", "Pirjo", "Pulkkinen", "org-hva", R.PSYCHOLOGIST, unit="mtp"),
    DemoAccount("kaisa", "Kaisa", "Kivelä", "org-hva", R.WORK_GROUP_SUPERVISOR, unit="vammais"),
    DemoAccount("helena", "Helena", "Heikkilä", "org-hva", R.MANAGER),
    DemoAccount("raija", "Raija", "Rantanen", "org-hva", R.STEERING_GROUP),
    DemoAccount("cecilia", "Cecilia", "Carlsson", "org-kela", R.KELA_EXPERT),
    DemoAccount("tuomas", "Tuomas", "Tuominen", "org-typ", R.COORDINATOR),
    DemoAccount("oona", "Oona", "Oksanen", "org-ohjaamo", R.COORDINATOR),
    DemoAccount("ville", "Ville", "Virtanen", "org-askelma", R.JOB_COACH),
    DemoAccount("kalle", "Kalle", "Koskinen", "org-klubitalo", R.JOB_COACH),
    DemoAccount("sirpa", "Sirpa", "Salo", "org-klubitalo", R.SERVICE_EDITOR),
    DemoAccount(
        "yllapito",
        "Ylläpito",
        "Järjestelmä",
        "org-esimerkkila-tyollisyys",
        R.ADMINISTRATOR,
        superuser=True,
    ),
]
