"""Work-trial feedback links: made by the path's team, answered once by the host, revocable.

The token is shown once and only its SHA-256 is stored, so a database copy holds no usable
link. The host needs no account; the answer becomes the path organisation's assessment data.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import Case
from tyollisyystalo.cases.services import case_for_write
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.shared.tokens import LinkUnavailable, token_hash
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability
from tyollisyystalo.worktrials.models import RATED, FeedbackLink, Rating, WorkTrialFeedback
from tyollisyystalo.worktrials.subjects import WORK_TRIAL, subject_handler

CATEGORY = DataCategory.ASSESSMENTS
TEXT_FIELDS = ("strengths", "adjustments", "free_text")


def feedback_url(token: str) -> str:
    return settings.SITE_URL + reverse("worktrials:answer", kwargs={"token": token})


def _log(
    actor: StaffMember | None,
    client_id: uuid.UUID,
    action: Action,
    purpose: str,
    at: dt.datetime,
    basis: Basis = Basis.TEAM,
    object_id: str = "",
    category: str = CATEGORY,
    object_type: str = "worktrial_feedback",
) -> None:
    access_log_event(
        actor=actor,
        client_id=client_id,
        action=action,
        purpose=purpose,
        categories=[category],
        object_type=object_type,
        object_id=object_id,
        basis=basis,
        at=at,
    )


def _writable_case(actor: StaffMember, case_id: uuid.UUID, at: dt.datetime) -> tuple[Case, Basis]:
    return case_for_write(
        actor=actor, case_id=case_id, at=at, purpose="worktrial", category=CATEGORY
    )


def feedback_link_create(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    trial_label: str,
    host_name: str,
    host_email: str = "",
    valid_days: int | None = None,
    at: dt.datetime | None = None,
) -> tuple[FeedbackLink, str]:
    """A new link for a work trial of a path and its token (shown once). E-mailed to the host
    when an address is given."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    case, basis = _writable_case(actor, case_id, at)
    errors: dict[str, list[str]] = {}
    if not trial_label.strip():
        errors["trial_label"] = [_("Kirjoita, mistä työkokeilusta palautetta pyydetään.")]
    if not host_name.strip():
        errors["host_name"] = [_("Kirjoita työkokeilun järjestäjän nimi.")]
    if not case.is_open:
        errors["trial_label"] = [_("Päättyneelle palvelupolulle ei voi pyytää palautetta.")]
    return _link_make(
        actor,
        case=case,
        subject_kind=WORK_TRIAL,
        subject_id="",
        client_id=case.client_id,
        owner_organisation_id=case.owner_organisation_id,
        record_category=case.category,
        category=CATEGORY,
        basis=basis,
        title=_("Palautepyyntö työkokeilusta"),
        trial_label=trial_label,
        host_name=host_name,
        host_email=host_email,
        valid_days=valid_days,
        at=at,
        errors=errors,
    )


def subject_feedback_link_create(
    *,
    actor: StaffMember,
    subject_kind: str,
    subject_id: str,
    trial_label: str,
    host_name: str,
    host_email: str = "",
    valid_days: int | None = None,
    at: dt.datetime | None = None,
) -> tuple[FeedbackLink, str]:
    """A new link about a registered subject (e.g. a placement) and its token (shown once)."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    handler = subject_handler(subject_kind)
    subject, basis = handler.for_write(
        actor=actor, subject_id=subject_id, at=at, purpose="feedback link"
    )
    return _link_make(
        actor,
        case=None,
        subject_kind=subject_kind,
        subject_id=subject_id,
        client_id=subject.client_id,
        owner_organisation_id=subject.owner_organisation_id,
        record_category=subject.category,
        category=subject.category,
        basis=basis,
        title=handler.title,
        trial_label=trial_label,
        host_name=host_name,
        host_email=host_email,
        valid_days=valid_days,
        at=at,
        errors={},
    )


def _link_make(
    actor: StaffMember,
    *,
    case: Case | None,
    subject_kind: str,
    subject_id: str,
    client_id: uuid.UUID,
    owner_organisation_id: int,
    record_category: str,
    category: str,
    basis: Basis,
    title: str,
    trial_label: str,
    host_name: str,
    host_email: str,
    valid_days: int | None,
    at: dt.datetime,
    errors: dict[str, list[str]],
) -> tuple[FeedbackLink, str]:
    """Check, make the token and the link, log it, and mail the host when an address is given.

    ``record_category`` is the link's own (its path's, or its subject's: what the eraser goes
    by); ``category`` is what the log names as written."""
    days = valid_days if valid_days is not None else settings.WORKTRIAL_LINK_DAYS
    if not trial_label.strip():
        errors.setdefault("trial_label", [_("Kirjoita, mistä palautetta pyydetään.")])
    if not host_name.strip():
        errors.setdefault("host_name", [_("Kirjoita palautteen antajan nimi tai organisaatio.")])
    if not 1 <= days <= 90:
        errors["valid_days"] = [_("Linkki voi olla voimassa 1–90 päivää.")]
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = FeedbackLink.objects.create(
            case=case,
            subject_kind=subject_kind,
            subject_id=subject_id,
            client_id=client_id,
            owner_organisation_id=owner_organisation_id,
            category=record_category,
            token_hash=token_hash(token),
            trial_label=trial_label.strip(),
            host_name=host_name.strip(),
            host_email=host_email.strip(),
            created_by=actor,
            created_at=at,
            expires_at=at + dt.timedelta(days=days),
        )
        _log(
            actor,
            client_id,
            Action.CREATE,
            f"{subject_kind} feedback link created",
            at,
            basis,
            str(link.pk),
            category,
        )
        if link.host_email:
            message = EmailMessage(
                subject=title,
                body=_(
                    "Hei,\n\npyydämme palautettasi: %(label)s.\n\n"
                    "Vastaa tästä linkistä %(day)s mennessä. Linkki toimii kerran:\n%(url)s\n\n"
                    "Terveisin\n%(sender)s, %(organisation)s"
                )
                % {
                    "label": link.trial_label,
                    "day": f"{timezone.localtime(link.expires_at):%d.%m.%Y}",
                    "url": feedback_url(token),
                    "sender": actor.display_name,
                    "organisation": actor.organisation.name,
                },
                to=[link.host_email],
            )
            transaction.on_commit(message.send)
    return link, token


def feedback_link_revoke(
    *, actor: StaffMember, link_id: int, at: dt.datetime | None = None
) -> FeedbackLink:
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    link = FeedbackLink.objects.filter(pk=link_id).first()
    if link is None:
        raise ValidationError(_("Linkkiä ei löytynyt."))
    if link.case_id is not None:
        case, basis = _writable_case(actor, link.case_id, at)
        client_id, category = case.client_id, str(CATEGORY)
    else:
        subject, basis = subject_handler(link.subject_kind).for_write(
            actor=actor, subject_id=link.subject_id, at=at, purpose="feedback link revoke"
        )
        client_id, category = subject.client_id, subject.category
    with transaction.atomic():
        link = FeedbackLink.objects.select_for_update().get(pk=link_id)
        if link.state(at) != "open":
            raise ValidationError(_("Vain voimassa olevan, käyttämättömän linkin voi perua."))
        link.revoked_at, link.revoked_by = at, actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        _log(
            actor,
            client_id,
            Action.UPDATE,
            f"{link.subject_kind} feedback link revoked",
            at,
            basis,
            str(link.pk),
            category,
        )
    return link


def link_back_url(link: FeedbackLink) -> str:
    """The staff page the link belongs to (the path, or the registered subject's page)."""
    if link.case_id is not None:
        return reverse("cases:detail", kwargs={"case_id": link.case_id})
    return subject_handler(link.subject_kind).subject(link.subject_id).back_url


def link_title(link: FeedbackLink) -> str:
    if link.subject_kind == WORK_TRIAL:
        return _("Palaute työkokeilusta")
    return subject_handler(link.subject_kind).title


def link_for_token(token: str, at: dt.datetime | None = None) -> FeedbackLink:
    """The open link of a token; ``LinkUnavailable`` with the reason otherwise."""
    at = at or timezone.now()
    link = FeedbackLink.objects.filter(token_hash=token_hash(token)).first()
    if link is None:
        raise LinkUnavailable("unknown")
    state = link.state(at)
    if state != "open":
        raise LinkUnavailable(state)
    if link.subject_kind != WORK_TRIAL:
        try:
            subject_handler(link.subject_kind)
        except KeyError as exc:
            raise LinkUnavailable("unknown") from exc
    return link


def _rating(value: Any) -> int | None:
    if value in (None, ""):
        return None
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_int(value)
    if number not in Rating.values:
        raise ValueError
    return number


def feedback_submit(
    *, token: str, answers: Mapping[str, Any], at: dt.datetime | None = None
) -> models.Model:
    """Store the host's answer once. A second submit finds the link used."""
    at = at or timezone.now()
    link_for_token(token, at)
    errors: dict[str, list[str]] = {}
    ratings: dict[str, int | None] = {}
    for name, _label in RATED:
        try:
            ratings[name] = _rating(answers.get(name))
        except ValueError:
            errors[name] = [_("Valitse arvio 1–5 tai jätä tyhjäksi.")]
    respondent = str(answers.get("respondent_name", "")).strip()
    if not respondent:
        errors["respondent_name"] = [_("Kirjoita nimesi.")]
    texts = {name: str(answers.get(name, "")).strip()[:4000] for name in TEXT_FIELDS}
    if all(v is None for v in ratings.values()) and not any(texts.values()):
        errors["__all__"] = [_("Anna vähintään yksi arvio tai kirjoita palaute.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        link = FeedbackLink.objects.select_for_update().get(token_hash=token_hash(token))
        state = link.state(at)
        if state != "open":
            raise LinkUnavailable(state)
        feedback: models.Model
        if link.subject_kind == WORK_TRIAL:
            case = Case.objects.get(pk=link.case_id) if link.case_id else None
            assert case is not None  # the constraint: a work-trial link has its path
            feedback = WorkTrialFeedback.objects.create(
                client_id=case.client_id,
                owner_organisation_id=case.owner_organisation_id,
                category=CATEGORY,
                created_at=at,
                link=link,
                case=case,
                respondent_name=respondent[:200],
                **ratings,
                **texts,
            )
            client_id, object_type = case.client_id, "worktrial_feedback"
            category = str(CATEGORY)
        else:
            handler = subject_handler(link.subject_kind)
            subject = handler.subject(link.subject_id)
            feedback = handler.answer_store(
                link=link,
                subject=subject,
                respondent=respondent[:200],
                ratings=ratings,
                texts=texts,
                at=at,
            )
            client_id, category = subject.client_id, subject.category
            object_type = f"{link.subject_kind}_feedback"
        link.used_at = at
        link.save(update_fields=["used_at"])
        _log(
            None,
            client_id,
            Action.CREATE,
            f"{link.subject_kind} feedback from host",
            at,
            Basis.NONE,
            str(feedback.pk),
            category,
            object_type,
        )
    return feedback
