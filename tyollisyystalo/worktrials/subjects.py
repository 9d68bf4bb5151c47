"""What a feedback link may be about besides a work trial: a registry of subject kinds.

The link machinery (token, expiry, single use, revocation, the host's form) lives here once. An
app above in the import graph (``coaching`` for a placement) registers a handler for its kind:
who may make and revoke its links, whose client data the answer is, and where the answer is
stored. This app never imports the apps that register.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import models

from tyollisyystalo.audit.models import Basis
from tyollisyystalo.staff.models import StaffMember

if TYPE_CHECKING:
    from tyollisyystalo.worktrials.models import FeedbackLink

WORK_TRIAL = "work_trial"


@dataclass(frozen=True)
class FeedbackSubject:
    """Whose client data a link's answer becomes, and where the staff page of it is."""

    client_id: uuid.UUID
    owner_organisation_id: int
    category: str
    back_url: str


class SubjectHandler(Protocol):
    @property
    def title(self) -> str:
        """Shown to the host (page heading, e-mail subject), in the active language."""

    def for_write(
        self, *, actor: StaffMember, subject_id: str, at: dt.datetime, purpose: str
    ) -> tuple[FeedbackSubject, Basis]:
        """The subject when the actor may write its records; a logged 404 when not."""

    def subject(self, subject_id: str) -> FeedbackSubject:
        """The subject without an access check: for the host's answer through a valid link."""

    def answer_store(
        self,
        *,
        link: FeedbackLink,
        subject: FeedbackSubject,
        respondent: str,
        ratings: Mapping[str, int | None],
        texts: Mapping[str, str],
        at: dt.datetime,
    ) -> models.Model:
        """Write the host's answer as the subject's client record."""


_HANDLERS: dict[str, SubjectHandler] = {}


def feedback_subject_register(kind: str, handler: SubjectHandler) -> None:
    if kind == WORK_TRIAL:
        raise ValueError("work trials are built in")
    _HANDLERS[kind] = handler


def subject_handler(kind: str) -> SubjectHandler:
    """The handler of a registered kind; ``KeyError`` for an unknown one."""
    return _HANDLERS[kind]
