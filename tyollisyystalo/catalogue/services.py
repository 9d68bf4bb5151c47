"""Writes to the catalogue. ``catalogue_import`` validates everything before it writes anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.catalogue import vocabularies as vocab
from tyollisyystalo.catalogue.importing import OrgRecord, Parsed, ServiceRecord, parse_catalogue
from tyollisyystalo.catalogue.models import (
    Attribute,
    CatalogueOrganization,
    NeedExpression,
    Phone,
    Service,
    ServiceArea,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
)
from tyollisyystalo.catalogue.search.index import search_index_rebuild, search_index_version_bump
from tyollisyystalo.catalogue.search.needs import expression_problem
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)


class CatalogueImportRejected(Exception):
    """Some records are bad and --partial was not given: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.rejected)} record(s) rejected")
        self.report = report


def catalogue_import(*, data: Any, partial: bool = False) -> ImportReport:
    """Upsert organisations and services by their source ids. All or nothing unless ``partial``."""
    municipalities = {m.name_fi: m for m in Municipality.objects.all()}
    parsed = parse_catalogue(
        data,
        municipalities=set(municipalities),
        known_org_ids=set(CatalogueOrganization.objects.values_list("source_id", flat=True)),
    )
    _reject_unknown_terms(parsed)
    report = ImportReport(rejected=list(parsed.rejected))
    if report.rejected and not partial:
        raise CatalogueImportRejected(report)
    with transaction.atomic():
        terms = _upsert_taxonomies(parsed)
        orgs = {o.source_id: _upsert_organization(o) for o in parsed.organizations}
        report.organizations = len(orgs)
        changed: list[str] = []
        for record in parsed.services:
            organization = orgs.get(
                record.organization_source_id
            ) or CatalogueOrganization.objects.get(source_id=record.organization_source_id)
            outcome = _upsert_service(record, organization, terms, municipalities)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                changed.append(record.source_id)
        # The search index follows the catalogue in the same transaction.
        search_index_rebuild(
            Service.objects.filter(source_id__in=changed).values_list("pk", flat=True)
        )
    return report


def _reject_unknown_terms(parsed: Parsed) -> None:
    known = {(t.code, term.code) for t in parsed.taxonomies.values() for term in t.terms}
    known |= set(TaxonomyTerm.objects.values_list("taxonomy__code", "code"))
    keep = []
    for record in parsed.services:
        unknown = [pair for pair in record.terms if pair not in known]
        if unknown:
            parsed.rejected.append(
                (record.source_id, f"unknown taxonomy term {unknown[0][0]}:{unknown[0][1]}")
            )
        else:
            keep.append(record)
    parsed.services = keep


def _upsert_taxonomies(parsed: Parsed) -> dict[tuple[str, str], TaxonomyTerm]:
    for tax in parsed.taxonomies.values():
        taxonomy, _ = Taxonomy.objects.update_or_create(
            code=tax.code,
            defaults={
                "name": tax.name,
                "description": tax.description,
                "version": tax.version,
                "uri": tax.uri,
            }
            if tax.authoritative
            else {},
            create_defaults={
                "id": vocab.stable_id("taxonomy", tax.code),
                "name": tax.name,
                "description": tax.description,
                "version": tax.version,
                "uri": tax.uri,
            },
        )
        existing = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
        for position, term in enumerate(tax.terms):
            if not tax.authoritative and term.code in existing:
                continue
            values = {
                "name_fi": term.fi,
                "name_sv": term.sv,
                "name_en": term.en,
                "description_fi": term.description_fi,
                "description_sv": term.description_sv,
                "description_en": term.description_en,
                "term_uri": term.uri,
                "position": position,
            }
            row = existing.get(term.code)
            if row is None:
                existing[term.code] = TaxonomyTerm.objects.create(
                    id=vocab.stable_id("term", f"{tax.code}:{term.code}"),
                    taxonomy=taxonomy,
                    code=term.code,
                    **values,
                )
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
        for term in tax.terms:
            if term.parent and term.parent in existing:
                row = existing[term.code]
                if row.parent_id != existing[term.parent].pk:
                    row.parent = existing[term.parent]
                    row.save(update_fields=["parent"])
    return {(t.taxonomy.code, t.code): t for t in TaxonomyTerm.objects.select_related("taxonomy")}


def _network_organisation(source_id: str) -> Organisation | None:
    """The network organisation whose code is the longest prefix of the catalogue id."""
    candidates = [o for o in Organisation.objects.all() if source_id.startswith(o.code)]
    return max(candidates, key=lambda o: len(o.code), default=None)


def _upsert_organization(record: OrgRecord) -> CatalogueOrganization:
    values = {
        "name_fi": record.name_fi,
        "name_sv": record.name_sv,
        "name_en": record.name_en,
        "description_fi": record.description_fi,
        "kind": record.kind,
        "website": record.website,
        "email": record.email,
        "area_label": record.area_label,
        "network_organisation": _network_organisation(record.source_id),
    }
    org = CatalogueOrganization.objects.filter(source_id=record.source_id).first()
    if org is None:
        org = CatalogueOrganization.objects.create(
            id=record.id or vocab.stable_id("organization", record.source_id),
            source_id=record.source_id,
            **values,
        )
    elif any(getattr(org, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(org, k, v)
        org.save()
    numbers = [record.phone] if record.phone else []
    if sorted(org.phones.values_list("number", flat=True)) != numbers:
        org.phones.all().delete()
        for number in numbers:
            Phone.objects.create(organization=org, number=number)
    return org


SERVICE_FIELDS = (
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
    "is_free",
    "fees_description_fi",
    "status",
    "url",
    "email",
)


def _upsert_service(
    record: ServiceRecord,
    organization: CatalogueOrganization,
    terms: dict[tuple[str, str], TaxonomyTerm],
    municipalities: dict[str, Municipality],
) -> str:
    values: dict[str, Any] = {name: getattr(record, name) for name in SERVICE_FIELDS}
    values["organization"] = organization
    service = Service.objects.filter(source_id=record.source_id).first()
    outcome = "unchanged"
    if service is None:
        service = Service.objects.create(
            id=record.id or vocab.stable_id("service", record.source_id),
            source_id=record.source_id,
            **values,
        )
        outcome = "created"
    elif any(getattr(service, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(service, k, v)
        outcome = "updated"
    wanted_terms = {terms[pair].pk for pair in record.terms}
    if set(service.attributes.values_list("taxonomy_term_id", flat=True)) != wanted_terms:
        service.attributes.all().delete()
        Attribute.objects.bulk_create(
            [Attribute(service=service, taxonomy_term_id=t) for t in sorted(wanted_terms)]
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    names = vocab.language_names()
    if sorted(service.languages.values_list("code", flat=True)) != sorted(set(record.languages)):
        service.languages.all().delete()
        ServiceLanguage.objects.bulk_create(
            [
                ServiceLanguage(service=service, code=c, name=names.get(c, c))
                for c in sorted(set(record.languages))
            ]
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    wanted_areas = sorted((a.extent_type, a.name) for a in record.areas)
    if sorted(service.service_areas.values_list("extent_type", "name")) != wanted_areas:
        service.service_areas.all().delete()
        ServiceArea.objects.bulk_create(
            [
                ServiceArea(
                    service=service,
                    extent_type=a.extent_type,
                    name=a.name,
                    municipality=municipalities.get(a.municipality) if a.municipality else None,
                )
                for a in record.areas
            ]
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    if outcome == "updated":
        service.reviewed_at = timezone.now()  # the source has been updated
        service.save()  # bumps last_modified for modified_after
    return outcome


def need_expression_save(
    staff: StaffMember, data: dict[str, Any], expression: NeedExpression | None = None
) -> NeedExpression:
    """Add or change an entry of the need vocabulary; the search reads it at once (the index
    version is bumped, so every process reloads its vocabulary). An expression of only filler
    words ("ja", "mulla") would never match, and one that filler reduces to a single word
    ("en pysty" → pystyä) would match that word anywhere: both are refused."""
    if not staff.can(Capability.CATALOGUE_PUBLISH):
        raise PermissionDenied
    language = data["language"]
    says = [line.strip() for line in data["says"].splitlines() if line.strip()]
    problems = {line: expression_problem(line, language) for line in says}
    empty = [line for line, problem in problems.items() if problem == "filler"]
    single = [line for line, problem in problems.items() if problem == "one word left"]
    errors = []
    if empty:
        errors.append(_("Vain täytesanoja: %(lines)s") % {"lines": ", ".join(empty)})
    if single:
        errors.append(
            _(
                "Täytesanojen jälkeen jää vain yksi sana, joka osuisi kaikkialle: %(lines)s. "
                "Kirjoita se sana omalle rivilleen tai lisää ilmaukseen toinen sisältösana."
            )
            % {"lines": ", ".join(single)}
        )
    if errors:
        raise ValidationError({"says": errors})
    with transaction.atomic():
        if expression is None:
            expression = NeedExpression(created_by=staff)
        else:
            expression = NeedExpression.objects.select_for_update().get(pk=expression.pk)
        expression.language = language
        expression.says = data["says"]
        expression.means = data["means"]
        expression.areas = " ".join(data["areas"])
        expression.groups = " ".join(data["groups"])
        expression.reason = data["reason"]
        expression.is_active = data["is_active"]
        expression.updated_at = timezone.now()
        expression.full_clean()
        expression.save()
        search_index_version_bump()
    return expression
