"""Keeping a document: size, kind by content, the malware scan, then the encrypted bytes and
the row together (nothing is kept when any step refuses). Access is decided by the callers."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.documents.checks import ScannerUnavailable, content_type_of, scan
from tyollisyystalo.documents.models import Document, ScanState
from tyollisyystalo.shared.crypto import decrypt_bytes, encrypt_bytes
from tyollisyystalo.staff.models import StaffMember

TITLE_MAX = 200


def _root() -> Path:
    root = Path(settings.DOCUMENT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _context(stored_as: str) -> str:
    return f"document:{stored_as}"


def file_read(upload: UploadedFile) -> bytes:
    """The upload's bytes, refused before reading when over the limit or empty."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "file": [
                    _("Tiedosto on liian suuri (enintään %(max)s).")
                    % {"max": filesizeformat(limit)}
                ]
            }
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": [
                    _("Tiedosto on liian suuri (enintään %(max)s).")
                    % {"max": filesizeformat(limit)}
                ]
            }
        )
    if not data:
        raise ValidationError({"file": [_("Tiedosto on tyhjä.")]})
    return data


def document_store(
    *,
    client_id: uuid.UUID,
    owner_organisation_id: int,
    category: str,
    data: bytes,
    filename: str,
    title: str,
    uploaded_by: StaffMember | None,
    shared_with_client: bool = False,
    attachment: bool = False,
    at: dt.datetime | None = None,
) -> Document:
    """Check and keep one file on the client's record (for uploads and message attachments).

    Raises ``ValidationError`` (field ``file`` or ``title``) and keeps nothing when the file is
    too large, not a PDF, PNG or JPEG by its content, or the scanner finds something."""
    at = at or timezone.now()
    title = " ".join(title.split())[:TITLE_MAX] or filename[:TITLE_MAX] or _("Asiakirja")
    if category not in DataCategory.values:
        raise ValidationError({"category": [_("Valitse tietoryhmä.")]})
    if len(data) > settings.DOCUMENT_MAX_BYTES or not data:
        raise ValidationError({"file": [_("Tiedoston koko ei kelpaa.")]})
    kind = content_type_of(data)
    if kind is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Tiedoston on oltava PDF, PNG tai JPEG. "
                        "Tiedoston sisältö ratkaisee, ei nimi."
                    )
                ]
            }
        )
    try:
        result = scan(data)
    except ScannerUnavailable:
        raise ValidationError(
            {"file": [_("Virustarkistus ei ole nyt käytettävissä. Yritä myöhemmin uudelleen.")]}
        ) from None
    if result.found:
        raise ValidationError(
            {"file": [_("Tiedostosta löytyi haittaohjelma. Sitä ei tallennettu.")]}
        )
    content_type, extension = kind
    stored_as = secrets.token_hex(20)
    path = _root() / stored_as
    path.write_bytes(encrypt_bytes(data, context=_context(stored_as)))
    try:
        with transaction.atomic():
            return Document.objects.create(
                client_id=client_id,
                owner_organisation_id=owner_organisation_id,
                category=category,
                created_at=at,
                title=title,
                filename=_safe_name(filename, extension),
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                stored_as=stored_as,
                scan=ScanState.CLEAN if result.scanned else ScanState.NOT_SCANNED,
                uploaded_by=uploaded_by,
                shared_with_client=shared_with_client,
                attachment=attachment,
            )
    except Exception:
        path.unlink(missing_ok=True)
        raise


def _safe_name(filename: str, extension: str) -> str:
    """The name the file is downloaded with: the given stem, the extension its content shows."""
    stem = Path(filename.replace("\\", "/")).name.rsplit(".", 1)[0]
    stem = "".join(c for c in stem if c.isalnum() or c in " -_")[:80].strip() or "asiakirja"
    return f"{stem}.{extension}"


def document_bytes(document: Document) -> bytes:
    return decrypt_bytes(
        (_root() / document.stored_as).read_bytes(), context=_context(document.stored_as)
    )


def document_upload(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    category: str,
    upload: UploadedFile,
    title: str,
    shared_with_client: bool,
    at: dt.datetime | None = None,
) -> Document:
    """A professional adds a document to the client's record in their organisation's category."""
    at = at or timezone.now()
    ctx = access_context_load(client_id, at=at)
    if category not in DataCategory.values:
        raise ValidationError({"category": [_("Valitse tietoryhmä.")]})
    decision = decide_write(
        actor, ctx, owner_organisation_id=actor.organisation_id, category=category
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.CREATE, at=at, purpose="document upload"
        )
    document = document_store(
        client_id=client_id,
        owner_organisation_id=actor.organisation_id,
        category=category,
        data=file_read(upload),
        filename=upload.name or "",
        title=title,
        uploaded_by=actor,
        shared_with_client=shared_with_client,
        at=at,
    )
    access_log_event(
        actor=actor,
        client_id=client_id,
        action=Action.CREATE,
        purpose="document upload",
        categories=[category],
        object_type="document",
        object_id=str(document.pk),
        basis=decision.basis,
        at=at,
    )
    return document
