"""What an upload is, read from its bytes (never from its name or the browser's word), and
whether the scanner finds something in it. Pure, apart from running the scanner."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# The accepted kinds by their first bytes.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def content_type_of(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) when the bytes are a PDF, PNG or JPEG; else None."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


@dataclass(frozen=True)
class ScanResult:
    scanned: bool
    found: bool  # malware found (only when scanned)


class ScannerUnavailable(Exception):
    """No scanner could look at the file."""


def clamav_scan(data: bytes) -> ScanResult:
    """ClamAV from Debian's packages: the daemon's client if it answers, else ``clamscan``.
    Exit status 0 = clean, 1 = found, anything else = could not scan."""
    for command in (
        ["clamdscan", "--no-summary", "--stdout", "-"],
        ["clamscan", "--no-summary", "-"],
    ):
        if shutil.which(command[0]) is None:
            continue
        try:
            run = subprocess.run(  # noqa: S603 - fixed argument list, the file on stdin
                command, input=data, capture_output=True, timeout=120, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if run.returncode in (0, 1):
            return ScanResult(scanned=True, found=run.returncode == 1)
    raise ScannerUnavailable


def scan(data: bytes) -> ScanResult:
    """Scan with the configured scanner (``DOCUMENT_SCANNER``, a dotted path). When none can
    scan, the file is kept unscanned only where ``DOCUMENT_ALLOW_UNSCANNED`` is on."""
    scanner = import_string(settings.DOCUMENT_SCANNER)
    try:
        return scanner(data)
    except ScannerUnavailable:
        if settings.DOCUMENT_ALLOW_UNSCANNED:
            return ScanResult(scanned=False, found=False)
        raise
