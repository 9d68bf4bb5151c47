"""Writes of instrument answers and of decisions on their suggestions."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_read, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import Actor, access_log_event
from tyollisyystalo.instruments.definitions import Instrument
from tyollisyystalo.instruments.models import (
    InstrumentResponse,
    InstrumentSuggestion,
    Respondent,
    SuggestionStatus,
)
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.instruments.scoring import AnswerErrors, Answers, answers_check, score
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

OBJECT_TYPE = "instrument_response"


def instrument_for_answering(key: str) -> Instrument:
    """The newest version of an instrument; a ValidationError when there is none."""
    try:
        return instrument_get(key)
    except KeyError as exc:
        raise ValidationError({"instrument": _("Tuntematon mittari.")}) from exc


def _checked(
    instrument: Instrument, raw: Mapping[str, object], answered_on: dt.date, today: dt.date
) -> Answers:
    """The answers on each item's scale, or a ValidationError naming every problem."""
    errors: dict[str, list[str]] = {}
    answers: Answers = {}
    try:
        answers = answers_check(instrument, raw)
    except AnswerErrors as exc:
        errors = {key: [_(message)] for key, message in exc.errors.items()}
    if answered_on > today:
        errors["answered_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if errors:
        raise ValidationError(errors)
    return answers


def _store(
    *,
    actor: Actor,
    instrument: Instrument,
    client_id: uuid.UUID,
    owner_organisation_id: int,
    answers: Answers,
    answered_on: dt.date,
    respondent: Respondent,
    entered_by: StaffMember | None,
    basis: Basis,
    at: dt.datetime,
) -> InstrumentResponse:
    result = score(instrument, answers)
    with transaction.atomic():
        response = InstrumentResponse.objects.create(
            client_id=client_id,
            owner_organisation_id=owner_organisation_id,
            category=instrument.category,
            created_at=at,
            instrument_key=instrument.key,
            instrument_version=instrument.version,
            answered_on=answered_on,
            respondent=respondent,
            entered_by=entered_by,
            answers_json=json.dumps({k: str(v) for k, v in answers.items()}, sort_keys=True),
            result_json=json.dumps(result.as_json(), sort_keys=True),
        )
        InstrumentSuggestion.objects.bulk_create(
            InstrumentSuggestion(
                client_id=client_id,
                owner_organisation_id=owner_organisation_id,
                category=instrument.category,
                created_at=at,
                response=response,
                code=code,
            )
            for code in result.suggestions
        )
        access_log_event(
            actor=actor,
            action=Action.CREATE,
            client_id=client_id,
            categories=[instrument.category],
            basis=basis,
            object_type=OBJECT_TYPE,
            object_id=str(response.pk),
            purpose=f"instrument {instrument.key} answered",
            at=at,
        )
    return response


def instrument_response_record(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    instrument_key: str,
    answers: Mapping[str, object],
    answered_on: dt.date,
    respondent: Respondent = Respondent.PROFESSIONAL,
    at: dt.datetime | None = None,
) -> InstrumentResponse:
    """Record answers in the actor's organisation's records, scored by the newest version.

    ``respondent`` says whether the client answered (the professional only typed them in) or
    the professional assessed. Checked before anything is written; denied writes are a 404.
    """
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    instrument = instrument_for_answering(instrument_key)
    checked = _checked(instrument, answers, answered_on, timezone.localdate(at))
    ctx = access_context_load(client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=actor.organisation_id, category=instrument.category
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.CREATE, at=at, purpose="instrument"
        )
    return _store(
        actor=actor,
        instrument=instrument,
        client_id=client_id,
        owner_organisation_id=actor.organisation_id,
        answers=checked,
        answered_on=answered_on,
        respondent=respondent,
        entered_by=actor,
        basis=decision.basis,
        at=at,
    )


def suggestion_decide(
    *,
    actor: StaffMember,
    suggestion_id: int,
    client_id: uuid.UUID,
    accept: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> InstrumentSuggestion:
    """A professional accepts or dismisses a suggestion; dismissing needs a reason.

    Who may decide: whoever may read the suggestion and write in its category for their own
    organisation (a team member of another organisation decides on what consent shows them).
    """
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    note = note.strip()
    if not accept and not note:
        raise ValidationError({"note": [_("Kerro lyhyesti, miksi ehdotus ei sovi.")]})
    suggestion = InstrumentSuggestion.objects.filter(pk=suggestion_id, client_id=client_id).first()
    read = write = None
    if suggestion is not None:
        ctx = access_context_load(client_id, at=at)
        read = decide_read(
            actor,
            ctx,
            owner_organisation_id=suggestion.owner_organisation_id,
            category=suggestion.category,
        )
        write = decide_write(
            actor, ctx, owner_organisation_id=actor.organisation_id, category=suggestion.category
        )
    if suggestion is None or not (read and read.allowed and write and write.allowed):
        raise deny_and_log(
            staff=actor,
            client_id=client_id,
            action=Action.UPDATE,
            at=at,
            purpose="instrument suggestion",
        )
    with transaction.atomic():
        suggestion = InstrumentSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.OPEN:
            raise ValidationError(_("Ehdotuksesta on jo päätetty."))
        suggestion.status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.DISMISSED
        suggestion.decided_by = actor
        suggestion.decided_at = at
        suggestion.note = note
        suggestion.save(update_fields=["status", "decided_by", "decided_at", "note"])
        access_log_event(
            actor=actor,
            action=Action.UPDATE,
            client_id=suggestion.client_id,
            categories=[suggestion.category],
            basis=read.basis,
            consent_id=read.consent_id,
            object_type="instrument_suggestion",
            object_id=str(suggestion.pk),
            purpose=f"suggestion {suggestion.status}",
            at=at,
        )
    return suggestion


def instrument_response_record_by_client(
    *,
    user: AbstractBaseUser,
    client_id: uuid.UUID,
    instrument_key: str,
    answers: Mapping[str, object],
    answered_on: dt.date,
    at: dt.datetime | None = None,
) -> InstrumentResponse:
    """The client answers an instrument in their own pages.

    The answer belongs to the organisation of the client's newest open path (or the one that
    registered them), so their coordinator sees it and decides on any suggestion.
    """
    at = at or timezone.now()
    instrument = instrument_for_answering(instrument_key)
    if instrument.respondent == "professional":
        raise ValidationError({"instrument": _("Tähän mittariin vastaa ammattilainen.")})
    checked = _checked(instrument, answers, answered_on, timezone.localdate(at))
    from tyollisyystalo.cases.models import OPEN, Case
    from tyollisyystalo.clients.models import Client

    owner = (
        Case.objects.filter(client_id=client_id, status__in=OPEN)
        .order_by("-referred_on")
        .values_list("owner_organisation_id", flat=True)
        .first()
    ) or Client.objects.values_list("registered_by_id", flat=True).get(pk=client_id)
    return _store(
        actor=user,
        instrument=instrument,
        client_id=client_id,
        owner_organisation_id=owner,
        answers=checked,
        answered_on=answered_on,
        respondent=Respondent.CLIENT,
        entered_by=None,
        basis=Basis.NONE,
        at=at,
    )
