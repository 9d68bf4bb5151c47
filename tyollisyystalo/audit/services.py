"""Appending to the access log: the only way entries are written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import DateTimeField, UUIDField
from django.utils import timezone

from tyollisyystalo.audit import chain
from tyollisyystalo.audit.context import current_request_id
from tyollisyystalo.audit.models import (
    SYSTEM_CHAIN,
    AccessLogEntry,
    Action,
    Basis,
    ChainHead,
    Outcome,
    organisation_chain,
)
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class LogEvent:
    action: Action
    outcome: Outcome
    client_id: uuid.UUID | None
    categories: Iterable[str] = ()
    basis: Basis = Basis.NONE
    consent_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    purpose: str = ""


Actor = StaffMember | AbstractBaseUser | AnonymousUser | None


def _actor_fields(actor: Actor) -> dict[str, object]:
    if isinstance(actor, StaffMember):
        return {
            "actor_user_id": actor.user_id,
            "actor_name": actor.display_name,
            "actor_organisation_id": actor.organisation_id,
            "actor_organisation_name": actor.organisation.name_fi,
            "actor_role": actor.role,
        }
    if isinstance(actor, AbstractBaseUser):
        return {
            "actor_user_id": actor.pk,
            "actor_name": actor.get_username(),
            "actor_organisation_id": None,
            "actor_organisation_name": "",
            "actor_role": "",
        }
    return {
        "actor_user_id": None,
        "actor_name": "",
        "actor_organisation_id": None,
        "actor_organisation_name": "",
        "actor_role": "",
    }


def chain_of(actor: Actor) -> tuple[str, int | None]:
    """The chain an actor's entries go to: their organisation's, or the system chain."""
    if isinstance(actor, StaffMember):
        return organisation_chain(actor.organisation_id), actor.organisation_id
    return SYSTEM_CHAIN, None


def access_log_append(
    *, actor: Actor, events: Sequence[LogEvent], at: dt.datetime | None = None
) -> None:
    """Append events in order to the actor's chain, each linked to the previous by HMAC.

    Three queries per call: lock that chain's head, insert the rows in one statement, move
    the head. Appends to different chains never wait on each other (ADR 0019).
    """
    if not events:
        return
    at = at or timezone.now()
    request_id = current_request_id()
    who = _actor_fields(actor)
    chain_name, organisation_id = chain_of(actor)
    key_id, keys = chain.mac_keys()
    key = keys[key_id]
    with transaction.atomic():
        seq, previous = _locked_head(chain_name, organisation_id)
        rows = []
        for event in events:
            seq += 1
            values: dict[str, object] = {
                "chain": chain_name,
                "seq": seq,
                "at": at,
                "request_id": request_id,
                **who,
                "client_id": event.client_id,
                "categories": ",".join(sorted(set(event.categories))),
                "action": event.action.value,
                "outcome": event.outcome.value,
                "basis": event.basis.value,
                "consent_id": event.consent_id,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "purpose": event.purpose[:200],
                "key_id": key_id,
                "prev_hash": previous,
            }
            values["hash"] = previous = chain.link_hash(values, key)
            rows.append(values)
        _insert(rows)
        _move_head(chain_name, seq, previous)


def _locked_head(chain_name: str, organisation_id: int | None) -> tuple[int, str]:
    """Lock the chain's head row and return its last link, creating the row on first use.

    PostgreSQL: one upsert that takes the row lock (as ``SELECT … FOR UPDATE`` would) and
    returns the head, so the first append of an organisation costs no extra statement and two
    racing first appends agree. SQLite: its write transaction (``BEGIN IMMEDIATE``) already
    serialises all writers; insert-or-ignore, then read.
    """
    q = connection.ops.quote_name
    table = q(ChainHead._meta.db_table)
    columns = ", ".join(q(n) for n in ("chain", "organisation_id", "seq", "hash"))
    params = [chain_name, organisation_id, 0, chain.GENESIS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({q('chain')}) DO UPDATE SET {q('seq')} = {table}.{q('seq')} "
                f"RETURNING {q('seq')}, {q('hash')}",
                params,
            )
        else:
            cursor.execute(
                f"INSERT OR IGNORE INTO {table} ({columns}) VALUES (%s, %s, %s, %s)",  # noqa: S608
                params,
            )
            cursor.execute(
                f"SELECT {q('seq')}, {q('hash')} FROM {table} WHERE {q('chain')} = %s",  # noqa: S608
                [chain_name],
            )
        seq, digest = cursor.fetchone()
    return int(seq), str(digest)


def _move_head(chain_name: str, seq: int, digest: str) -> None:
    sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(  # noqa: S608 - model names
        *(connection.ops.quote_name(n) for n in (ChainHead._meta.db_table, "seq", "hash", "chain"))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [seq, digest, chain_name])


# Rows per INSERT: 22 parameters a row stays far below SQLite's and PostgreSQL's limits.
INSERT_ROWS = 500


def _insert(rows: Sequence[dict[str, object]]) -> None:
    """Write the rows with one multi-row INSERT (per 500 rows).

    Every list page appends an entry per client shown; the ORM's bulk insert prepared each of
    the values of every row through the field machinery and cost more than the rest of the
    logging. Only dates and UUIDs need the database's own form (ADR 0016).
    """
    fields = [f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    row_sql = "({})".format(", ".join(["%s"] * len(fields)))
    adapted = {f.attname for f in fields if isinstance(f, DateTimeField | UUIDField)}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start : start + INSERT_ROWS]
            # Names from the model's own metadata, values as parameters: nothing from input.
            sql = "INSERT INTO {} ({}) VALUES {}".format(  # noqa: S608
                quote(AccessLogEntry._meta.db_table),
                ", ".join(quote(f.column) for f in fields),
                ", ".join([row_sql] * len(chunk)),
            )
            params: list[Any] = [
                f.get_db_prep_save(row[f.attname], connection)
                if f.attname in adapted
                else row[f.attname]
                for row in chunk
                for f in fields
            ]
            cursor.execute(sql, params)


def access_log_reads(
    *,
    actor: Actor,
    client_id: uuid.UUID,
    read: Mapping[tuple[Basis, int | None], Iterable[str]],
    object_type: str,
    object_id: str,
    purpose: str,
    at: dt.datetime | None = None,
) -> None:
    """Log allowed reads: one event per legal basis (and consent) with the categories read."""
    access_log_append(
        actor=actor,
        events=[
            LogEvent(
                action=Action.READ,
                outcome=Outcome.ALLOWED,
                client_id=client_id,
                categories=sorted(categories),
                basis=basis,
                consent_id=consent_id,
                object_type=object_type,
                object_id=object_id,
                purpose=purpose,
            )
            for (basis, consent_id), categories in sorted(read.items(), key=str)
        ],
        at=at,
    )


def access_log_event(
    *,
    actor: Actor,
    client_id: uuid.UUID,
    action: Action,
    purpose: str,
    categories: Iterable[str],
    object_type: str,
    object_id: str,
    basis: Basis = Basis.TEAM,
    consent_id: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Log one allowed action on one client's data (a write, usually)."""
    access_log_append(
        actor=actor,
        events=[
            LogEvent(
                action=action,
                outcome=Outcome.ALLOWED,
                client_id=client_id,
                categories=categories,
                basis=basis,
                consent_id=consent_id,
                object_type=object_type,
                object_id=object_id,
                purpose=purpose,
            )
        ],
        at=at,
    )


def access_log_list_reads(
    *,
    actor: Actor,
    bases: Mapping[uuid.UUID, tuple[Basis, int | None]],
    categories: Iterable[str],
    object_type: str,
    object_id: str,
    purpose: str,
    at: dt.datetime | None = None,
) -> None:
    """Log a list page's reads: one event per client shown, with that client's basis."""
    shown = sorted(bases.items(), key=lambda item: str(item[0]))
    access_log_append(
        actor=actor,
        events=[
            LogEvent(
                action=Action.READ,
                outcome=Outcome.ALLOWED,
                client_id=client_id,
                categories=list(categories),
                basis=basis,
                consent_id=consent_id,
                object_type=object_type,
                object_id=object_id,
                purpose=purpose,
            )
            for client_id, (basis, consent_id) in shown
        ],
        at=at,
    )
