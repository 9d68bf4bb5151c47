"""Deploy checks (``manage.py check --deploy``): settings that must never reach production.

A weak encryption key is refused by a simple, documented rule (``key_weakness``): the key must
be URL-safe base64 of exactly 32 bytes with at least 16 distinct byte values. Thirty-two random
bytes have about 30 distinct values, and fewer than 16 happens by chance with a probability far
below 10^-20; an all-zero key, a repeated byte or a short repeated pattern always fail.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

KEY_BYTES = 32
MIN_DISTINCT_BYTES = 16


def key_weakness(text: str) -> str | None:
    """Why the encryption key is unfit for production, or None when it passes the rule."""
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError, binascii.Error):
        return "it is not URL-safe base64"
    if len(key) != KEY_BYTES:
        return f"it decodes to {len(key)} bytes, not {KEY_BYTES}"
    distinct = len(set(key))
    if distinct < MIN_DISTINCT_BYTES:
        return (
            f"it has only {distinct} distinct byte values (at least {MIN_DISTINCT_BYTES}); "
            "an all-zero, repeated or patterned key is not random"
        )
    return None


@checks.register(checks.Tags.security, deploy=True)
def check_demo_off(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not settings.DEMO:
        return []
    return [
        checks.Error(
            "DEMO is on: it exposes the development client login and the published demo accounts.",
            hint="Set DEMO=false in production.",
            id="tyollisyystalo.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_encryption_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    # Only the current key: an old key stays listed exactly while moving away from it.
    reason = key_weakness(settings.FIELD_ENCRYPTION_KEY)
    if reason is None:
        return []
    return [
        checks.Error(
            f"FIELD_ENCRYPTION_KEY is weak: {reason}.",
            hint='Generate 32 random bytes: python -c "import base64,secrets;'
            'print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"',
            id="tyollisyystalo.E002",
        )
    ]
