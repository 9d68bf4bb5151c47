"""Providers keep their own services up to date: drafts, publication by an administrator, history.

A service's editable content is a *snapshot*: a plain dictionary of its texts, cost, status,
classification (areas of life, target groups, access route, channels) and languages. An edit is a
``ServiceRevision`` holding the snapshot it started from and the edited one; publishing applies
the edited snapshot to the live service and re-indexes it for search.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability, roles_with
from tyollisyystalo.catalogue import vocabularies as vocab
from tyollisyystalo.catalogue.gatekeeper import (
    editable_revision_or_404,
    editable_service_or_404,
    may_edit,
)
from tyollisyystalo.catalogue.models import (
    OPEN_REVISION_STATUSES,
    Attribute,
    RevisionStatus,
    Service,
    ServiceLanguage,
    ServiceRevision,
    Status,
    TaxonomyTerm,
)
from tyollisyystalo.catalogue.search.index import search_index_rebuild
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

TEXT_FIELDS = (
    "name_fi",
    "name_sv",
    "name_en",
    "description_fi",
    "description_sv",
    "description_en",
    "summary_easy_fi",
    "application_process_fi",
    "application_process_sv",
    "application_process_en",
    "fees_description_fi",
    "url",
    "email",
    "status",
)
EDITABLE_TAXONOMIES = (vocab.AREA, vocab.TARGET_GROUP, vocab.ACCESS, vocab.CHANNEL)
EDITABLE_STATUSES = (Status.ACTIVE, Status.TEMPORARILY_CLOSED, Status.INACTIVE)

Snapshot = dict[str, Any]


def service_snapshot(service: Service) -> Snapshot:
    """The editable content of a live service."""
    snapshot: Snapshot = {name: getattr(service, name) for name in TEXT_FIELDS}
    snapshot["is_free"] = service.is_free
    codes: dict[str, list[str]] = {code: [] for code in EDITABLE_TAXONOMIES}
    for attribute in service.attributes.select_related("taxonomy_term__taxonomy"):
        taxonomy = attribute.taxonomy_term.taxonomy.code
        if taxonomy in codes:
            codes[taxonomy].append(attribute.taxonomy_term.code)
    snapshot["terms"] = {k: sorted(v) for k, v in codes.items()}
    snapshot["languages"] = sorted(service.languages.values_list("code", flat=True))
    return snapshot


def _terms_by_code(taxonomies: tuple[str, ...]) -> dict[tuple[str, str], TaxonomyTerm]:
    """(taxonomy code, term code) → term, for the given taxonomies, in one query."""
    return {
        (t.taxonomy.code, t.code): t
        for t in TaxonomyTerm.objects.filter(taxonomy__code__in=taxonomies).select_related(
            "taxonomy"
        )
    }


def snapshot_validate(data: Snapshot) -> Snapshot:
    """Check an edited snapshot; return it normalised. Errors name the form fields."""
    errors: dict[str, list[str]] = {}
    clean: Snapshot = {name: str(data.get(name) or "").strip() for name in TEXT_FIELDS}
    clean["is_free"] = bool(data.get("is_free"))
    if not clean["name_fi"]:
        errors["name_fi"] = [_("Anna palvelun nimi suomeksi.")]
    if not clean["description_fi"]:
        errors["description_fi"] = [_("Kuvaile palvelu suomeksi.")]
    if not clean["is_free"] and not clean["fees_description_fi"]:
        errors["fees_description_fi"] = [_("Kerro, mitä palvelu maksaa.")]
    if clean["is_free"]:
        clean["fees_description_fi"] = ""
    if clean["status"] not in EDITABLE_STATUSES:
        errors["status"] = [_("Valitse palvelun tila.")]
    if clean["url"]:
        try:
            URLValidator(schemes=["https", "http"])(clean["url"])
        except ValidationError:
            errors["url"] = [_("Anna verkkosivun koko osoite, esimerkiksi https://esimerkki.fi.")]
    if clean["email"]:
        try:
            EmailValidator()(clean["email"])
        except ValidationError:
            errors["email"] = [_("Tarkista sähköpostiosoite.")]
    raw_terms = data.get("terms") or {}
    known = _terms_by_code(EDITABLE_TAXONOMIES)
    terms: dict[str, list[str]] = {}
    for taxonomy in EDITABLE_TAXONOMIES:
        codes = sorted(set(raw_terms.get(taxonomy) or []))
        if any((taxonomy, code) not in known for code in codes):
            errors.setdefault(taxonomy, []).append(_("Valitse luettelosta."))
        terms[taxonomy] = codes
    if not terms[vocab.AREA]:
        errors[vocab.AREA] = [_("Valitse vähintään yksi elämän alue.")]
    if not terms[vocab.ACCESS]:
        errors[vocab.ACCESS] = [_("Valitse, miten palveluun pääsee.")]
    clean["terms"] = terms
    languages = sorted(set(data.get("languages") or []))
    if any(code not in vocab.language_names() for code in languages):
        errors["languages"] = [_("Valitse luettelosta.")]
    if not languages:
        errors["languages"] = [_("Valitse vähintään yksi kieli.")]
    clean["languages"] = languages
    if errors:
        raise ValidationError(errors)
    return clean


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def _labels() -> dict[str, str]:
    def label(name: str) -> str:
        return capfirst(str(getattr(Service._meta.get_field(name), "verbose_name", name)))

    labels = {name: label(name) for name in (*TEXT_FIELDS, "is_free")}
    labels[vocab.AREA] = _("Elämän alueet")
    labels[vocab.TARGET_GROUP] = _("Kenelle")
    labels[vocab.ACCESS] = _("Miten pääsee")
    labels[vocab.CHANNEL] = _("Asiointitavat")
    labels["languages"] = _("Kielet")
    return labels


def snapshot_diff(before: Snapshot, after: Snapshot) -> list[Change]:
    """What changed, field by field, in words a reviewer reads (term and language names)."""
    labels = _labels()
    names = {pair: term.name for pair, term in _terms_by_code(EDITABLE_TAXONOMIES).items()}
    language_names = vocab.language_names()
    statuses = dict(Status.choices)
    changes: list[Change] = []

    def show(name: str, value: Any) -> str:
        if name == "is_free":
            return _("kyllä") if value else _("ei")
        if name == "status":
            return str(statuses.get(value, value))
        return str(value or "")

    for name in (*TEXT_FIELDS, "is_free"):
        if before.get(name) != after.get(name):
            changes.append(
                Change(
                    name, labels[name], show(name, before.get(name)), show(name, after.get(name))
                )
            )
    for taxonomy in EDITABLE_TAXONOMIES:
        old = before.get("terms", {}).get(taxonomy, [])
        new = after.get("terms", {}).get(taxonomy, [])
        if sorted(old) != sorted(new):
            changes.append(
                Change(
                    taxonomy,
                    labels[taxonomy],
                    ", ".join(names.get((taxonomy, c), c) for c in old),
                    ", ".join(names.get((taxonomy, c), c) for c in new),
                )
            )
    if sorted(before.get("languages", [])) != sorted(after.get("languages", [])):
        changes.append(
            Change(
                "languages",
                labels["languages"],
                ", ".join(language_names.get(c, c) for c in before.get("languages", [])),
                ", ".join(language_names.get(c, c) for c in after.get("languages", [])),
            )
        )
    return changes


def open_revision(service: Service, *, lock: bool = False) -> ServiceRevision | None:
    revisions = service.revisions.filter(status__in=OPEN_REVISION_STATUSES)
    if lock:
        revisions = revisions.select_for_update()
    return revisions.first()


def _next_number(service: Service) -> int:
    current: int | None = service.revisions.aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


def service_draft_save(
    *,
    actor: StaffMember,
    service_id: Any,
    data: Snapshot,
    submit: bool = False,
    at: dt.datetime | None = None,
) -> ServiceRevision:
    """Save the edit as the service's draft (one open edit per service); optionally submit it."""
    at = at or timezone.now()
    clean = snapshot_validate(data)
    with transaction.atomic():
        require_capability(actor, Capability.CATALOGUE_EDIT)
        service = editable_service_or_404(actor, service_id, lock=True)
        revision = open_revision(service, lock=True)
        if revision is None:
            revision = ServiceRevision(
                service=service,
                number=_next_number(service),
                base=service_snapshot(service),
                created_by=actor,
                created_at=at,
            )
        if submit and clean == revision.base:
            raise ValidationError(
                _(
                    "Et muuttanut mitään. Jos tiedot ovat ajan tasalla, valitse "
                    "Vahvista tiedot ajantasaisiksi."
                )
            )
        revision.data = clean
        revision.updated_at = at
        if submit:
            revision.status = RevisionStatus.SUBMITTED
            revision.submitted_at = at
        elif revision.status == RevisionStatus.SUBMITTED:
            revision.status = RevisionStatus.DRAFT  # taken back for more editing
            revision.submitted_at = None
        revision.save()
    return revision


def _apply(service: Service, data: Snapshot, at: dt.datetime) -> None:
    for name in TEXT_FIELDS:
        setattr(service, name, data[name])
    service.is_free = data["is_free"]
    service.reviewed_at = at
    service.stale_notified_at = None
    service.save()
    terms = _terms_by_code((*EDITABLE_TAXONOMIES, *vocab.PTV_TAXONOMIES))
    wanted = [(taxonomy, code) for taxonomy, codes in data["terms"].items() for code in codes]
    wanted += vocab.ptv_pairs(data["terms"][vocab.AREA], data["terms"][vocab.TARGET_GROUP])
    service.attributes.filter(
        taxonomy_term__taxonomy__code__in=(*EDITABLE_TAXONOMIES, *vocab.PTV_TAXONOMIES)
    ).delete()
    Attribute.objects.bulk_create(
        [Attribute(service=service, taxonomy_term=terms[pair]) for pair in wanted if pair in terms]
    )
    names = vocab.language_names()
    service.languages.all().delete()
    ServiceLanguage.objects.bulk_create(
        [ServiceLanguage(service=service, code=c, name=names.get(c, c)) for c in data["languages"]]
    )


def service_draft_publish(
    *, actor: StaffMember, revision_id: int, note: str = "", at: dt.datetime | None = None
) -> ServiceRevision:
    """A catalogue administrator publishes a submitted edit: the public sees it at once."""
    at = at or timezone.now()
    require_capability(actor, Capability.CATALOGUE_PUBLISH)
    with transaction.atomic():
        revision = editable_revision_or_404(actor, revision_id, lock=True)
        if revision.status != RevisionStatus.SUBMITTED:
            raise ValidationError(_("Vain julkaistavaksi lähetetyn muutoksen voi julkaista."))
        service = Service.objects.select_for_update().get(pk=revision.service_id)
        _apply(service, revision.data, at)
        revision.status = RevisionStatus.PUBLISHED
        revision.decided_by, revision.decided_at, revision.note = actor, at, note.strip()
        revision.save()
        search_index_rebuild([service.pk])
    return revision


def service_draft_return(
    *, actor: StaffMember, revision_id: int, note: str, at: dt.datetime | None = None
) -> ServiceRevision:
    """Send a submitted edit back to its editor with a note on what to fix."""
    at = at or timezone.now()
    require_capability(actor, Capability.CATALOGUE_PUBLISH)
    if not note.strip():
        raise ValidationError({"note": [_("Kerro muokkaajalle, mitä pitää korjata.")]})
    with transaction.atomic():
        revision = editable_revision_or_404(actor, revision_id, lock=True)
        if revision.status != RevisionStatus.SUBMITTED:
            raise ValidationError(_("Vain julkaistavaksi lähetetyn muutoksen voi palauttaa."))
        revision.status = RevisionStatus.DRAFT
        revision.submitted_at = None
        revision.decided_by, revision.decided_at, revision.note = actor, at, note.strip()
        revision.save()
    return revision


def service_draft_discard(
    *, actor: StaffMember, revision_id: int, at: dt.datetime | None = None
) -> ServiceRevision:
    """Throw an unpublished edit away; the live service stays as it is."""
    at = at or timezone.now()
    require_capability(actor, Capability.CATALOGUE_EDIT)
    with transaction.atomic():
        revision = editable_revision_or_404(actor, revision_id, lock=True)
        if not revision.is_open:
            raise ValidationError(_("Muutos on jo käsitelty."))
        revision.status = RevisionStatus.DISCARDED
        revision.decided_by, revision.decided_at = actor, at
        revision.save()
    return revision


def service_confirm_current(
    *, actor: StaffMember, service_id: Any, at: dt.datetime | None = None
) -> ServiceRevision:
    """The editor checked the service and nothing needs changing: it is no longer stale."""
    at = at or timezone.now()
    with transaction.atomic():
        require_capability(actor, Capability.CATALOGUE_EDIT)
        service = editable_service_or_404(actor, service_id, lock=True)
        if open_revision(service) is not None:
            raise ValidationError(
                _("Palvelulla on keskeneräinen muutos. Julkaise tai hylkää se ensin.")
            )
        snapshot = service_snapshot(service)
        revision = ServiceRevision.objects.create(
            service=service,
            number=_next_number(service),
            status=RevisionStatus.CONFIRMED,
            base=snapshot,
            data=snapshot,
            created_by=actor,
            created_at=at,
            updated_at=at,
            decided_by=actor,
            decided_at=at,
        )
        Service.objects.filter(pk=service.pk).update(reviewed_at=at, stale_notified_at=None)
    return revision


def stale_before(at: dt.datetime | None = None) -> dt.datetime:
    """Services last reviewed before this moment are stale: CATALOGUE_STALE_MONTHS calendar
    months ago, the same day number or the month's last day when there is none."""
    at = at or timezone.now()
    year, month = divmod(at.year * 12 + at.month - 1 - settings.CATALOGUE_STALE_MONTHS, 12)
    day = min(at.day, calendar.monthrange(year, month + 1)[1])
    return at.replace(year=year, month=month + 1, day=day)


def stale_services_notify(*, at: dt.datetime | None = None) -> int:
    """E-mail each editor and catalogue administrator the stale services they look after.

    A service is reported once per stale period: publishing or confirming it starts a new one.
    Safe to run as often as wanted. Returns the number of e-mails sent.
    """
    at = at or timezone.now()
    with transaction.atomic():
        due = list(
            Service.objects.select_for_update()
            .filter(reviewed_at__lt=stale_before(at), stale_notified_at__isnull=True)
            .select_related("organization")
            .order_by("name_fi")
        )
        if not due:
            return 0
        editors = StaffMember.objects.filter(
            is_active=True, user__is_active=True, role__in=roles_with(Capability.CATALOGUE_EDIT)
        ).select_related("user")
        by_address: dict[str, list[Service]] = {}
        for staff in editors:
            if not staff.user.email:
                continue
            mine = [s for s in due if may_edit(staff, s)]
            if mine:
                by_address.setdefault(staff.user.email, []).extend(mine)
        messages = []
        for address, services in sorted(by_address.items()):
            lines = [
                _(
                    "Näiden palvelujen tietoja ei ole tarkistettu %(months)s kuukauteen. "
                    "Tarkista ja päivitä ne, tai vahvista, että ne ovat ajan tasalla:"
                )
                % {"months": settings.CATALOGUE_STALE_MONTHS},
                "",
            ]
            lines += [
                f"- {s.name_fi}: {settings.SITE_URL}/palvelutiedot/{s.pk}/"
                for s in dict.fromkeys(services)
            ]
            messages.append(
                EmailMessage(
                    subject=_("Päivitä palvelutiedot (%(n)s)") % {"n": len(set(services))},
                    body="\n".join(lines),
                    to=[address],
                )
            )
        # Only services someone was told about; the others wait for an editor with an address.
        told = {s.pk for services in by_address.values() for s in services}
        Service.objects.filter(pk__in=told).update(stale_notified_at=at)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
