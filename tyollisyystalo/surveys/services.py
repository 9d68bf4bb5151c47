"""Survey invitations at defined moments, single-use links, one reminder, anonymous answers.

Moments: a path closes (``path_closed_invite``, called by the case-closing service), six
months into a path and the staff's half-yearly cooperation round (``run_scheduled`` jobs), a
placement ends (``placement_ended_invite``, called by coaching form D). A client answers on
their own pages or by a link; an employer and a professional by a link.

A link's token is signed (a changed address is told apart from an unknown one) and only its
SHA-256 is stored. The answer is written without the person, the link or the time of day,
and the invitation only marks itself used, so nothing re-links the two (``models``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tyollisyystalo.cases.models import Case, CaseStatus
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.rules.calendar import add_months
from tyollisyystalo.shared.formdefs import answers_clean
from tyollisyystalo.shared.tokens import LinkUnavailable, token_hash
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.surveys.definitions import Survey, survey_current, survey_version
from tyollisyystalo.surveys.models import (
    CLIENT_SATISFACTION,
    COOPERATION,
    EMPLOYER_FEEDBACK,
    WORK_ABILITY_CHANGE,
    Answer,
    AnswerValue,
    Invitation,
    Moment,
)

# Which surveys each moment sends (the definitions say what is asked).
MOMENT_SURVEYS: dict[str, tuple[str, ...]] = {
    Moment.PATH_CLOSED: (CLIENT_SATISFACTION, WORK_ABILITY_CHANGE),
    Moment.PATH_SIX_MONTHS: (CLIENT_SATISFACTION,),
    Moment.PLACEMENT_ENDED: (EMPLOYER_FEEDBACK,),
    Moment.COOPERATION_ROUND: (COOPERATION,),
}
SIX_MONTHS = 6
SALT = "tyollisyystalo.surveys.link"
# What a link that cannot be used (``LinkUnavailable``: changed, unknown, used or expired)
# answers with: the HTTP status per state.
UNAVAILABLE_STATUS = {"tampered": 400, "unknown": 404, "used": 410, "expired": 410}


def token_new() -> str:
    return signing.Signer(salt=SALT).sign(secrets.token_urlsafe(24))


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("surveys:answer", kwargs={"token": token})


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def round_of(day: dt.date) -> str:
    """The half-year a cooperation round belongs to: ``2026H1`` or ``2026H2``."""
    return f"{day.year}H{1 if day.month <= 6 else 2}"


# --- invitations -----------------------------------------------------------------------------


def _invite(
    *,
    survey_key: str,
    moment: str,
    organisation_id: int,
    municipality_id: int | None,
    at: dt.datetime,
    email: str = "",
    language: str = "fi",
    client_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    placement_id: uuid.UUID | None = None,
    staff_id: int | None = None,
    round_label: str = "",
    category: str = "",
) -> Invitation | None:
    """One invitation, e-mailed with a fresh link when an address is known; None when the
    same moment has already invited (every moment invites once)."""
    survey = survey_current(survey_key)
    token = token_new() if email else None
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                survey=survey.key,
                version=survey.version,
                moment=moment,
                client_id=client_id,
                case_id=case_id,
                placement_id=placement_id,
                staff_id=staff_id,
                round=round_label,
                owner_organisation_id=organisation_id,
                category=category,
                municipality_id=municipality_id,
                email=email,
                token_hash=token_hash(token) if token else None,
                created_at=at,
                expires_at=at + dt.timedelta(days=settings.SURVEY_LINK_DAYS),
                sent_on=timezone.localdate(at) if token else None,
            )
    except IntegrityError:
        return None
    if token:
        message = invitation_message(invitation, survey, token, language=language, reminder=False)
        transaction.on_commit(message.send)
    return invitation


def invitation_message(
    invitation: Invitation, survey: Survey, token: str, *, language: str, reminder: bool
) -> EmailMessage:
    """The e-mail of a link: what is asked, until when, that the answer is anonymous. It names
    no client and holds no client data."""
    with override(language):
        name = survey.name.get(language)
        body = _(
            "Hei,\n\npyydämme vastaustasi kyselyyn ”%(name)s”. Vastaaminen vie muutaman "
            "minuutin, ja vastaat nimettömästi.\n\nVastaa tästä linkistä %(day)s mennessä. "
            "Linkki toimii kerran:\n%(url)s\n\nKiitos!\nTyöllisyystalo"
        ) % {
            "name": name,
            "day": f"{timezone.localtime(invitation.expires_at):%d.%m.%Y}",
            "url": answer_url(token),
        }
        subject = (_("Muistutus: %(name)s") if reminder else "%(name)s") % {"name": name}
        if reminder:
            body += "\n\n" + _("Tämä on ainoa muistutus. Aiemmin saamasi linkki ei enää toimi.")
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


def sms_text(invitation: Invitation, token: str, language: str) -> str:
    """The link as a short text the coordinator copies into an SMS (shown once)."""
    survey = survey_version(invitation.survey, invitation.version)
    with override(language):
        return _(
            "Hei! Kerro mielipiteesi: %(name)s. Vastaat nimettömästi. Linkki toimii kerran "
            "%(day)s asti: %(url)s"
        ) % {
            "name": survey.name.get(language),
            "day": f"{timezone.localtime(invitation.expires_at):%d.%m.%Y}",
            "url": answer_url(token),
        }


def _client_contact(client_id: uuid.UUID) -> tuple[int | None, str, str]:
    identity = ClientIdentity.objects.filter(client_id=client_id).first()
    if identity is None or identity.anonymized_at is not None:
        return None, "", "fi"
    language = identity.language if identity.language in {"fi", "sv", "en"} else "fi"
    return identity.municipality_id, identity.email.strip(), language


def client_language(client_id: uuid.UUID) -> str:
    """The client's language of service (fi, sv or en; Finnish for others)."""
    return _client_contact(client_id)[2]


def _path_invite(case: Case, moment: str, at: dt.datetime) -> list[Invitation]:
    municipality_id, email, language = _client_contact(case.client_id)
    made = [
        _invite(
            survey_key=key,
            moment=moment,
            organisation_id=case.owner_organisation_id,
            municipality_id=municipality_id,
            at=at,
            email=email,
            language=language,
            client_id=case.client_id,
            case_id=case.pk,
            category=case.category,
        )
        for key in MOMENT_SURVEYS[moment]
    ]
    return [i for i in made if i is not None]


def path_closed_invite(*, case: Case, at: dt.datetime) -> list[Invitation]:
    """The client of a path that closed is asked for satisfaction and work-ability change."""
    return _path_invite(case, Moment.PATH_CLOSED, at)


def path_six_months_invite(*, case: Case, at: dt.datetime) -> list[Invitation]:
    """The client of a path six months on is asked how it is going (once)."""
    return _path_invite(case, Moment.PATH_SIX_MONTHS, at)


def six_month_invitations_send(*, at: dt.datetime | None = None) -> int:
    """Every open path six months or more from its start gets its mid-path survey once
    (scheduled; catches up on missed runs). Returns the invitations made."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    asked = Invitation.objects.filter(moment=Moment.PATH_SIX_MONTHS, case__isnull=False)
    # A few days' slack in SQL for month ends (31.8. + 6 months = 28.2.); exact below.
    latest_start = add_months(today, -SIX_MONTHS) + dt.timedelta(days=3)
    cases = (
        Case.objects.filter(
            status__in=[CaseStatus.INTAKE, CaseStatus.ACTIVE], started_on__lte=latest_start
        )
        .exclude(pk__in=asked.values("case_id"))
        .order_by("started_on")
    )
    made = 0
    for case in cases.iterator():
        assert case.started_on is not None
        if add_months(case.started_on, SIX_MONTHS) <= today:
            made += len(path_six_months_invite(case=case, at=at))
    return made


@dataclass(frozen=True)
class PlacementFacts:
    """What the employer survey needs of a placement (coaching passes it; no import back)."""

    placement_id: uuid.UUID
    client_id: uuid.UUID
    organisation_id: int
    category: str
    employer_email: str


def placement_ended_invite(*, placement: PlacementFacts, at: dt.datetime) -> Invitation | None:
    """The employer of a placement that ended is asked for feedback once."""
    municipality_id, _email, _language = _client_contact(placement.client_id)
    return _invite(
        survey_key=EMPLOYER_FEEDBACK,
        moment=Moment.PLACEMENT_ENDED,
        organisation_id=placement.organisation_id,
        municipality_id=municipality_id,
        at=at,
        email=placement.employer_email,
        client_id=placement.client_id,
        placement_id=placement.placement_id,
        category=placement.category,
    )


def cooperation_round_send(*, at: dt.datetime | None = None) -> int:
    """Twice a year every active professional of the region's organisations with an e-mail
    address gets the cooperation survey once per half-year. Returns the invitations made."""
    at = at or timezone.now()
    label = round_of(timezone.localdate(at))
    asked = Invitation.objects.filter(survey=COOPERATION, round=label).values("staff_id")
    people = (
        StaffMember.objects.filter(is_active=True, organisation__is_active=True)
        .exclude(user__email="")
        .exclude(pk__in=asked)
        .select_related("user")
        .order_by("pk")
    )
    made = 0
    for person in people:
        invitation = _invite(
            survey_key=COOPERATION,
            moment=Moment.COOPERATION_ROUND,
            organisation_id=person.organisation_id,
            municipality_id=None,
            at=at,
            email=person.user.email,
            staff_id=person.pk,
            round_label=label,
        )
        made += invitation is not None
    return made


def reminders_send(*, at: dt.datetime | None = None) -> int:
    """One reminder for an unanswered e-mailed invitation, ``SURVEY_REMINDER_DAYS`` after it
    was sent, while it is valid. The reminder carries a fresh link (only hashes are kept, so
    the first cannot be sent again), and the first link stops working. Returns e-mails."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    before = today - dt.timedelta(days=settings.SURVEY_REMINDER_DAYS)
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(used=False, reminded_on__isnull=True, sent_on__lte=before, expires_at__gt=at)
            .exclude(email="")
            .order_by("pk")
        )
        messages = []
        for invitation in due:
            token = token_new()
            invitation.token_hash = token_hash(token)
            invitation.reminded_on = today
            invitation.save(update_fields=["token_hash", "reminded_on"])
            survey = survey_version(invitation.survey, invitation.version)
            language = _client_contact(invitation.client_id)[2] if invitation.client_id else "fi"
            messages.append(
                invitation_message(invitation, survey, token, language=language, reminder=True)
            )
        if messages:
            connection = get_connection()
            transaction.on_commit(lambda: connection.send_messages(messages))
    return len(messages)


def invitation_link_make(*, invitation_id: int, at: dt.datetime | None = None) -> str:
    """A fresh link for an open invitation (the SMS-ready text): the earlier one stops working.
    Who may ask is decided by the caller (``links``)."""
    at = at or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.state(at) != "open":
            raise ValidationError(_("Kyselyyn on jo vastattu tai kutsu on vanhentunut."))
        token = token_new()
        invitation.token_hash = token_hash(token)
        invitation.sent_on = invitation.sent_on or timezone.localdate(at)
        invitation.save(update_fields=["token_hash", "sent_on"])
    return token


# --- answering -------------------------------------------------------------------------------

# How a page stores a checked form's answers (by link, or by the logged-in client).
AnswerStore = Callable[[dict[str, Any]], None]


def invitation_for_token(token: str, at: dt.datetime | None = None) -> Invitation:
    """The open invitation of a link; ``LinkUnavailable`` with the reason otherwise."""
    at = at or timezone.now()
    try:
        signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature as exc:
        raise LinkUnavailable("tampered") from exc
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise LinkUnavailable("unknown")
    state = invitation.state(at)
    if state != "open":
        raise LinkUnavailable(state)
    return invitation


def open_invitation_of_client(
    *, client_id: uuid.UUID, invitation_id: int, at: dt.datetime | None = None
) -> Invitation | None:
    """The client's own open invitation (None for anyone else's, used or expired)."""
    at = at or timezone.now()
    return Invitation.objects.filter(
        pk=invitation_id, client_id=client_id, used=False, expires_at__gt=at
    ).first()


def answers_check(survey: Survey, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers cleaned by the survey's definition; ``ValidationError`` per item otherwise
    (a value outside its scale among them)."""
    cleaned, errors = answers_clean(survey.form, raw)
    if errors:
        raise ValidationError(errors)
    return cleaned


def answer_record(
    *,
    survey: Survey,
    organisation_id: int,
    municipality_id: int | None,
    month: dt.date,
    cleaned: Mapping[str, Any],
) -> Answer:
    """Write one checked answer apart from identity: what it counts for, never who gave it.
    Only through an invitation in the product (``survey_answer_by_*``); directly only for the
    demo and the benchmarks' synthetic answers."""
    texts = {
        item.key: str(cleaned[item.key])
        for item in survey.items
        if item.kind == "text" and cleaned.get(item.key)
    }
    answer = Answer.objects.create(
        survey=survey.key,
        version=survey.version,
        organisation_id=organisation_id,
        municipality_id=municipality_id,
        month=month_of(month),
        texts=json.dumps(texts, ensure_ascii=False, sort_keys=True) if texts else "",
    )
    AnswerValue.objects.bulk_create(
        AnswerValue(
            answer=answer,
            survey=survey.key,
            item=item.key,
            organisation_id=organisation_id,
            municipality_id=municipality_id,
            month=answer.month,
            value=int(cleaned[item.key]) if item.kind == "scale" else int(bool(cleaned[item.key])),
        )
        for item in survey.items
        if item.counted and item.key in cleaned
    )
    return answer


def _store(invitation: Invitation, cleaned: Mapping[str, Any], at: dt.datetime) -> None:
    """The answer apart from identity, and the invitation marked used; in the caller's
    transaction, with the invitation locked. The answer keeps only the month."""
    answer_record(
        survey=survey_version(invitation.survey, invitation.version),
        organisation_id=invitation.owner_organisation_id,
        municipality_id=invitation.municipality_id,
        month=timezone.localdate(at),
        cleaned=cleaned,
    )
    invitation.used = True
    invitation.save(update_fields=["used"])


def survey_answer_by_link(
    *, token: str, answers: Mapping[str, Any], at: dt.datetime | None = None
) -> None:
    """Store an answer given through a link, once. Nothing is stored when the link cannot be
    used or an answer is wrong."""
    at = at or timezone.now()
    invitation = invitation_for_token(token, at)
    cleaned = answers_check(survey_version(invitation.survey, invitation.version), answers)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.token_hash != token_hash(token):
            raise LinkUnavailable("unknown")
        if locked.state(at) != "open":
            raise LinkUnavailable(locked.state(at))
        _store(locked, cleaned, at)


def survey_answer_by_client(
    *,
    client_id: uuid.UUID,
    invitation_id: int,
    answers: Mapping[str, Any],
    at: dt.datetime | None = None,
) -> None:
    """Store a client's answer given on their own pages, once; ``LinkUnavailable`` when the
    invitation is not the client's or no longer open."""
    at = at or timezone.now()
    invitation = Invitation.objects.filter(pk=invitation_id, client_id=client_id).first()
    if invitation is None:
        raise LinkUnavailable("unknown")
    cleaned = answers_check(survey_version(invitation.survey, invitation.version), answers)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state(at) != "open":
            raise LinkUnavailable(locked.state(at))
        _store(locked, cleaned, at)
