"""Signed checkpoints of the log chains, written to a witness outside the database (ADR 0019).

A checkpoint says "at time T, chain C had reached entry N with hash H", signed with an HMAC
key derived from the field encryption key with its own HKDF info. It goes to the append-only
sink(s) named by ``ACCESS_LOG_CHECKPOINT_SINK`` (whitespace-separated):

- ``file:///path/dir``: one JSON line per checkpoint appended to
  ``dir/access-log-checkpoints.jsonl``, then fsync;
- ``syslog:`` (address from ``ACCESS_LOG_CHECKPOINT_SYSLOG_ADDRESS``, default ``/dev/log``),
  ``syslog:///dev/log`` or ``syslog://host:514`` (UDP): one message per checkpoint;
- ``mailto:auditors@example.fi`` (several addresses separated by commas): one e-mail per run.

``verify_access_log --checkpoints PATH`` reads such lines back (a file, a directory of them, or
a syslog file: text before the JSON is skipped) and compares them with the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import logging.handlers
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db.models import Max
from django.utils import timezone

from tyollisyystalo.audit import chain
from tyollisyystalo.audit.models import ChainHead, LogCheckpoint

KIND = "tt-access-log-checkpoint"
FILE_NAME = "access-log-checkpoints.jsonl"
SIGNED_FIELDS = ("kind", "chain", "seq", "hash", "at", "key_id")


@dataclass(frozen=True)
class Checkpoint:
    chain: str
    seq: int
    hash: str
    at: dt.datetime

    def signed_line(self) -> str:
        key_id, keys = chain.checkpoint_keys()
        fields = self._fields(key_id)
        fields["sig"] = _signature(fields, keys[key_id])
        return json.dumps(fields, sort_keys=True, ensure_ascii=True)

    def _fields(self, key_id: str) -> dict[str, object]:
        return {
            "kind": KIND,
            "chain": self.chain,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "key_id": key_id,
        }


def _signature(fields: dict[str, object], key: bytes) -> str:
    message = json.dumps(
        {name: fields[name] for name in SIGNED_FIELDS}, sort_keys=True, ensure_ascii=True
    )
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


# --- sinks ---------------------------------------------------------------------------------


class SinkError(RuntimeError):
    """A checkpoint sink could not be written."""


def configured_sinks() -> list[str]:
    value = getattr(settings, "ACCESS_LOG_CHECKPOINT_SINK", "")
    sinks = value.split() if isinstance(value, str) else list(value)
    for sink in sinks:
        if urlsplit(sink).scheme not in {"file", "syslog", "mailto"}:
            raise ImproperlyConfigured(
                f"ACCESS_LOG_CHECKPOINT_SINK: {sink!r} is not file://, syslog: or mailto:."
            )
    return sinks


def _write_file(url: str, lines: Sequence[str]) -> None:
    directory = Path(unquote(urlsplit(url).path))
    if not directory.is_dir():
        raise SinkError(f"checkpoint directory {directory} does not exist")
    path = directory / FILE_NAME
    created = not path.exists()
    data = "".join(f"{line}\n" for line in lines).encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        written = 0
        while written < len(data):  # one O_APPEND write, continued only if the kernel cut it
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _syslog_address(url: str) -> str | tuple[str, int]:
    parts = urlsplit(url)
    if parts.hostname:
        return (parts.hostname, parts.port or 514)
    if parts.path:
        return unquote(parts.path)
    return str(getattr(settings, "ACCESS_LOG_CHECKPOINT_SYSLOG_ADDRESS", "") or "/dev/log")


def _write_syslog(url: str, lines: Sequence[str]) -> None:
    try:
        handler = logging.handlers.SysLogHandler(
            address=_syslog_address(url),
            facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV,
        )
    except OSError as exc:
        raise SinkError(f"syslog is not reachable ({exc.strerror or exc})") from exc
    handler.ident = "tyollisyystalo: "
    try:
        for line in lines:
            record = logging.makeLogRecord(
                {"msg": line, "levelno": logging.INFO, "levelname": "INFO"}
            )
            handler.emit(record)
    finally:
        handler.close()


def _write_mail(url: str, lines: Sequence[str]) -> None:
    recipients = [a.strip() for a in unquote(urlsplit(url).path).split(",") if a.strip()]
    send_mail(
        subject="Työllisyystalo: access log checkpoints",
        message=(
            "Signed checkpoints of the access log chains. Keep this message unchanged: "
            "`manage.py verify_access_log --checkpoints FILE` checks the log against it.\n\n"
            + "".join(f"{line}\n" for line in lines)
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
        fail_silently=False,
    )


def sink_write(url: str, lines: Sequence[str]) -> None:
    scheme = urlsplit(url).scheme
    if scheme == "file":
        _write_file(url, lines)
    elif scheme == "syslog":
        _write_syslog(url, lines)
    elif scheme == "mailto":
        _write_mail(url, lines)
    else:
        raise ImproperlyConfigured(f"Unknown checkpoint sink {url!r}.")


# --- the scheduled job ---------------------------------------------------------------------


def access_log_checkpoints_write(*, at: dt.datetime | None = None, force: bool = False) -> int:
    """Write a checkpoint of every chain whose head moved since its last checkpoint.

    A chain is checkpointed again only after ``ACCESS_LOG_CHECKPOINT_MINUTES`` (``force``
    skips the wait). All sinks get the same lines; nothing is recorded unless all succeeded,
    so a failed sink is tried again on the next run. Returns the number of checkpoints.
    """
    sinks = configured_sinks()
    if not sinks:
        return 0
    at = at or timezone.now()
    interval = dt.timedelta(minutes=getattr(settings, "ACCESS_LOG_CHECKPOINT_MINUTES", 60))
    last = {
        row["chain"]: row
        for row in LogCheckpoint.objects.values("chain").annotate(seq=Max("seq"), at=Max("at"))
    }
    due = []
    for head in ChainHead.objects.filter(seq__gt=0).order_by("chain"):
        previous = last.get(head.chain)
        if previous is not None and (
            previous["seq"] >= head.seq or (not force and at - previous["at"] < interval)
        ):
            continue
        due.append(Checkpoint(chain=head.chain, seq=head.seq, hash=head.hash, at=at))
    if not due:
        return 0
    lines = [checkpoint.signed_line() for checkpoint in due]
    for sink in sinks:
        sink_write(sink, lines)
    LogCheckpoint.objects.bulk_create(
        [
            LogCheckpoint(chain=c.chain, seq=c.seq, hash=c.hash, at=c.at, sinks=" ".join(sinks))
            for c in due
        ]
    )
    return len(due)


# --- reading checkpoints back --------------------------------------------------------------


def checkpoint_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file())
    return [path]


def checkpoints_read(paths: Iterable[Path]) -> tuple[list[Checkpoint], list[str]]:
    """Parse and authenticate checkpoint lines; return the checkpoints and the problems."""
    _, keys = chain.checkpoint_keys()
    found: list[Checkpoint] = []
    problems: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if KIND not in line:
                    continue
                where = f"{path.name}:{number}"
                try:
                    fields = json.loads(line[line.index("{") : line.rindex("}") + 1])
                    if fields.get("kind") != KIND:
                        continue
                    key = keys.get(str(fields["key_id"]))
                    if key is None:
                        problems.append(f"{where}: checkpoint signed with an unknown key")
                        continue
                    if not hmac.compare_digest(_signature(fields, key), str(fields["sig"])):
                        problems.append(f"{where}: checkpoint signature does not verify")
                        continue
                    found.append(
                        Checkpoint(
                            chain=str(fields["chain"]),
                            seq=int(fields["seq"]),
                            hash=str(fields["hash"]),
                            at=dt.datetime.fromisoformat(str(fields["at"])),
                        )
                    )
                except (ValueError, KeyError, TypeError):
                    problems.append(f"{where}: not a readable checkpoint")
    return found, problems
