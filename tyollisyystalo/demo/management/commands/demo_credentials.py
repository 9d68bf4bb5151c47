from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from tyollisyystalo.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from tyollisyystalo.staff.roles import Role


class Command(BaseCommand):
    help = "Print the published demo logins with their TOTP secrets and current codes (DEMO only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Demo credentials are only shown when DEMO=true.")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Add the secret to an authenticator app, or use the code shown (valid ~30 s).\n"
        )
        self.stdout.write(f"{'user':<10} {'role':<32} {'organisation':<28} {'code':<7} TOTP secret")
        for a in ACCOUNTS:
            code = f"{totp(bytes.fromhex(a.totp_key_hex)):06d}"
            role = str(Role(a.role).label) + (" + admin" if a.superuser else "")
            self.stdout.write(
                f"{a.username:<10} {role:<32} {a.organisation:<28} {code:<7} {a.totp_secret_base32}"
            )
