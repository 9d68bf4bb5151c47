"""Text messages through a pluggable backend (``SMS_BACKEND``): a real gateway implements
``send``; the console backend prints for development, the memory backend keeps them for tests."""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, number: str, text: str) -> None: ...


class ConsoleBackend:
    def send(self, number: str, text: str) -> None:
        sys.stdout.write(f"SMS to {number[:4]}…: {text}\n")


outbox: list[tuple[str, str]] = []


class MemoryBackend:
    def send(self, number: str, text: str) -> None:
        outbox.append((number, text))


def sms_send(number: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(number, text)
