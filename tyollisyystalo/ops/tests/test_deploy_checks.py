"""`check --deploy` refuses the demo mode and a weak field-encryption key."""

import base64
import secrets

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tyollisyystalo.ops.checks import check_demo_off, check_encryption_key, key_weakness


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


STRONG = b64(secrets.token_bytes(32))


def ids(messages):
    return [(m.id, m.level >= checks.ERROR) for m in messages]


def test_demo_mode_is_an_error_in_production(settings):
    settings.DEMO = True
    messages = check_demo_off(None)
    assert ids(messages) == [("tyollisyystalo.E001", True)]
    assert "DEMO" in messages[0].msg
    settings.DEMO = False
    assert check_demo_off(None) == []


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (b64(bytes(32)), "distinct"),  # all zero
        (b64(b"\xff" * 32), "distinct"),  # one repeated byte
        (b64(b"abcd" * 8), "distinct"),  # a short repeated pattern
        (b64(bytes(range(15)) * 2 + b"\x00\x01"), "distinct"),  # 15 distinct values
        (b64(secrets.token_bytes(16)), "16 bytes"),  # too short
        (b64(secrets.token_bytes(48)), "48 bytes"),  # too long
        ("not base64!", "base64"),
        ("", "0 bytes"),
    ],
)
def test_weak_encryption_keys_are_errors(settings, key, why):
    settings.FIELD_ENCRYPTION_KEY = key
    messages = check_encryption_key(None)
    assert ids(messages) == [("tyollisyystalo.E002", True)]
    assert why in messages[0].msg
    assert key == "" or key not in messages[0].msg  # the key itself is never printed


def test_a_random_key_passes(settings):
    settings.FIELD_ENCRYPTION_KEY = STRONG
    assert check_encryption_key(None) == []
    assert key_weakness(b64(bytes(range(16)) * 2)) is None  # the rule's lower bound


def test_an_old_weak_key_may_stay_listed_while_rotating_away_from_it(settings):
    settings.FIELD_ENCRYPTION_KEY = STRONG
    settings.FIELD_ENCRYPTION_OLD_KEYS = [b64(bytes(32))]
    assert check_encryption_key(None) == []


def test_check_deploy_fails_on_demo_or_weak_key_and_passes_otherwise(settings):
    settings.DEBUG = False
    settings.DEMO = False
    settings.FIELD_ENCRYPTION_KEY = STRONG
    call_command("check", "--deploy", "--tag", "security")  # no error
    settings.DEMO = True
    with pytest.raises(SystemCheckError, match=r"tyollisyystalo\.E001"):
        call_command("check", "--deploy", "--tag", "security")
    settings.DEMO = False
    settings.FIELD_ENCRYPTION_KEY = b64(bytes(32))
    with pytest.raises(SystemCheckError, match=r"tyollisyystalo\.E002"):
        call_command("check", "--deploy", "--tag", "security")
