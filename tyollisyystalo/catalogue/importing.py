"""Reading a catalogue file (our demo format or HSDS 3.0 JSON) into validated records.

Nothing here writes: ``parse_catalogue`` returns the records and, for every bad one, its id and
the reason. ``catalogue.services.catalogue_import`` writes only after validation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from tyollisyystalo.catalogue import vocabularies as vocab
from tyollisyystalo.catalogue.models import ServiceArea, Status

REGION_LABELS = {
    "koko maakunta": ServiceArea.Extent.REGION,
    "valtakunnallinen": ServiceArea.Extent.NATIONAL,
}


@dataclass(kw_only=True)
class TextsRecord:
    """The name and description in three languages, shared by every imported record."""

    source_id: str
    name_fi: str
    id: uuid.UUID | None = None
    name_sv: str = ""
    name_en: str = ""
    description_fi: str = ""
    description_sv: str = ""
    description_en: str = ""


@dataclass(kw_only=True)
class OrgRecord(TextsRecord):
    kind: str
    website: str = ""
    email: str = ""
    phone: str = ""
    area_label: str = ""


@dataclass
class AreaRecord:
    extent_type: str
    name: str
    municipality: str = ""


@dataclass(kw_only=True)
class ServiceRecord(TextsRecord):
    organization_source_id: str
    summary_easy_fi: str = ""
    application_process_fi: str = ""
    application_process_sv: str = ""
    application_process_en: str = ""
    is_free: bool = True
    fees_description_fi: str = ""
    status: str = Status.ACTIVE
    url: str = ""
    email: str = ""
    terms: list[tuple[str, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    areas: list[AreaRecord] = field(default_factory=list)


@dataclass
class Parsed:
    region: str
    taxonomies: dict[str, vocab.TaxonomyDef]
    organizations: list[OrgRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


class BadRecord(Exception):
    """One record cannot be imported; the message says why."""


def _text(record: dict[str, Any], key: str, *, required: bool = False, limit: int = 10_000) -> str:
    value = record.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadRecord(f"{key} must be text")
    value = value.strip()
    if required and not value:
        raise BadRecord(f"{key} is missing")
    if len(value) > limit:
        raise BadRecord(f"{key} is longer than {limit} characters")
    return value


def _list(record: dict[str, Any], key: str) -> list[str]:
    value = record.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRecord(f"{key} must be a list of codes")
    return value


def _url(value: str, key: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise BadRecord(f"{key} is not a web address: {value!r}") from exc
    return value


def _email(value: str, key: str) -> str:
    if value:
        try:
            EmailValidator()(value)
        except ValidationError as exc:
            raise BadRecord(f"{key} is not an e-mail address: {value!r}") from exc
    return value


def _uuid(value: Any, key: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise BadRecord(f"{key} is not a uuid: {value!r}") from exc


def _codes(tax: vocab.TaxonomyDef, values: list[str], key: str) -> list[tuple[str, str]]:
    terms = []
    for value in values:
        code = tax.code_for(value)
        if code is None:
            raise BadRecord(f"unknown {key} code {value!r}")
        terms.append((tax.code, code))
    return terms


def _areas(label: str, region: str, municipalities: set[str]) -> list[AreaRecord]:
    if label in REGION_LABELS:
        extent = REGION_LABELS[label]
        return [AreaRecord(extent, region if extent == ServiceArea.Extent.REGION else "Suomi")]
    if label in municipalities:
        return [AreaRecord(ServiceArea.Extent.MUNICIPALITY, label, label)]
    raise BadRecord(f"unknown municipality {label!r}")


def parse_catalogue(data: Any, *, municipalities: set[str], known_org_ids: set[str]) -> Parsed:
    """Validate a whole file; ``known_org_ids`` are organisations already in the catalogue."""
    if isinstance(data, dict) and "services" in data and "organizations" in data:
        return _parse_demo(data, municipalities, known_org_ids)
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return _parse_hsds(data["contents"], municipalities, known_org_ids)
    if isinstance(data, list):
        return _parse_hsds(data, municipalities, known_org_ids)
    raise BadRecord(
        "the file is neither the demo catalogue format nor HSDS 3.0 JSON (a list of services)"
    )


def _parse_demo(data: dict[str, Any], municipalities: set[str], known: set[str]) -> Parsed:
    domains = data.get("domains") or []
    if not isinstance(domains, list):
        raise BadRecord("domains must be a list")
    parsed = Parsed(
        region=str(data.get("region") or ""),
        taxonomies=vocab.taxonomies(domains),
    )
    org_ids = set(known)
    for raw in data["organizations"]:
        source_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        try:
            if not isinstance(raw, dict):
                raise BadRecord("an organization must be an object")
            kind = _text(raw, "type", required=True)
            if kind not in {"public", "private", "ngo"}:
                raise BadRecord(f"unknown organization type {kind!r}")
            parsed.organizations.append(
                OrgRecord(
                    source_id=_text(raw, "id", required=True, limit=100),
                    name_fi=_text(raw, "name_fi", required=True, limit=300),
                    name_sv=_text(raw, "name_sv", limit=300),
                    name_en=_text(raw, "name_en", limit=300),
                    kind=kind,
                    website=_url(_text(raw, "website", limit=200), "website"),
                    phone=_text(raw, "phone", limit=40),
                    area_label=_text(raw, "municipality", limit=100),
                )
            )
            org_ids.add(source_id)
        except BadRecord as exc:
            parsed.rejected.append((source_id or "?", str(exc)))
    taxes = parsed.taxonomies
    for raw in data["services"]:
        source_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        try:
            if not isinstance(raw, dict):
                raise BadRecord("a service must be an object")
            organization = _text(raw, "organization_id", required=True)
            if organization not in org_ids:
                raise BadRecord(f"unknown organization {organization!r}")
            areas = _list(raw, "domains")
            if not areas:
                raise BadRecord("domains is missing: every service belongs to an area of life")
            groups = _list(raw, "target_groups")
            terms = (
                _codes(taxes[vocab.AREA], areas, "domain")
                + _codes(taxes[vocab.TARGET_GROUP], groups, "target group")
                + _codes(
                    taxes[vocab.SERVICE_TYPE],
                    [_text(raw, "service_type", required=True)],
                    "service type",
                )
                + _codes(taxes[vocab.ACCESS], [_text(raw, "access", required=True)], "access")
                + _codes(taxes[vocab.CHANNEL], _list(raw, "channels"), "channel")
            )
            terms += _ptv_terms(areas, groups, taxes)
            languages = _list(raw, "languages")
            unknown = sorted(set(languages) - vocab.language_names().keys())
            if unknown:
                raise BadRecord(f"unknown language code {unknown[0]!r}")
            cost = _text(raw, "cost", required=True, limit=1000)
            parsed.services.append(
                ServiceRecord(
                    source_id=_text(raw, "id", required=True, limit=100),
                    organization_source_id=organization,
                    name_fi=_text(raw, "name_fi", required=True, limit=300),
                    name_sv=_text(raw, "name_sv", limit=300),
                    name_en=_text(raw, "name_en", limit=300),
                    description_fi=_text(raw, "description_fi", required=True),
                    description_sv=_text(raw, "description_sv"),
                    description_en=_text(raw, "description_en"),
                    summary_easy_fi=_text(raw, "summary_easy_fi"),
                    application_process_fi=_text(raw, "how_to_access_fi"),
                    application_process_sv=_text(raw, "how_to_access_sv"),
                    application_process_en=_text(raw, "how_to_access_en"),
                    is_free=cost == "maksuton",
                    fees_description_fi="" if cost == "maksuton" else cost,
                    terms=terms,
                    languages=languages,
                    areas=_areas(
                        _text(raw, "municipality", required=True), parsed.region, municipalities
                    ),
                )
            )
        except BadRecord as exc:
            parsed.rejected.append((source_id or "?", str(exc)))
    return parsed


def _ptv_terms(
    areas: list[str], groups: list[str], taxes: dict[str, vocab.TaxonomyDef]
) -> list[tuple[str, str]]:
    """PTV service classes, life events and target groups that fit our codes."""
    present = {(t.code, term.code) for t in taxes.values() for term in t.terms}
    return [pair for pair in vocab.ptv_pairs(areas, groups) if pair in present]


def _collect_term(taxonomies: dict[str, vocab.TaxonomyDef], term: dict[str, Any]) -> None:
    """Remember the taxonomy and term an HSDS attribute names, to create them if missing."""
    code = _text(term, "taxonomy", required=True, limit=60)
    raw_detail = term.get("taxonomy_detail")
    detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
    tax = taxonomies.setdefault(
        code,
        vocab.TaxonomyDef(
            code,
            _text(detail, "name", limit=200) or code,
            _text(detail, "description") or code,
            _text(detail, "version", limit=40),
            _text(detail, "uri", limit=200),
            authoritative=False,
        ),
    )
    term_code = _text(term, "code", required=True, limit=100)
    if tax.code_for(term_code) is None:
        tax.terms.append(
            vocab.TermDef(
                term_code,
                _text(term, "name_fi", limit=300) or _text(term, "name", required=True, limit=300),
                _text(term, "name_sv", limit=300),
                _text(term, "name_en", limit=300),
                _text(term, "description_fi") or _text(term, "description"),
                _text(term, "term_uri", limit=200),
                _text(term, "parent_code", limit=100),
            )
        )


def _parse_hsds(items: list[Any], municipalities: set[str], known: set[str]) -> Parsed:
    """HSDS 3.0 services (fully nested), e.g. an export of this catalogue or another system's."""
    parsed = Parsed(region="", taxonomies={})
    orgs: dict[str, OrgRecord] = {}
    for raw in items:
        source_id = ""
        try:
            if not isinstance(raw, dict):
                raise BadRecord("a service must be an object")
            source_id = _text(raw, "source_id", limit=100) or _text(raw, "id", required=True)
            org = raw.get("organization")
            if not isinstance(org, dict):
                raise BadRecord("organization is missing (export with full=true)")
            org_source = _text(org, "source_id", limit=100) or _text(org, "id", required=True)
            if org_source not in orgs:
                orgs[org_source] = OrgRecord(
                    source_id=org_source,
                    id=_uuid(org.get("id"), "organization.id"),
                    name_fi=_text(org, "name_fi", limit=300)
                    or _text(org, "name", required=True, limit=300),
                    name_sv=_text(org, "name_sv", limit=300),
                    name_en=_text(org, "name_en", limit=300),
                    description_fi=_text(org, "description_fi") or _text(org, "description"),
                    kind=_text(org, "kind") or "public",
                    website=_url(_text(org, "website", limit=200), "organization.website"),
                    email=_email(_text(org, "email", limit=200), "organization.email"),
                    area_label=_text(org, "area_label", limit=100),
                    phone=next(
                        (
                            p.get("number", "")
                            for p in org.get("phones") or []
                            if isinstance(p, dict)
                        ),
                        "",
                    ),
                )
            status = _text(raw, "status", required=True)
            if status not in Status.values:
                raise BadRecord(f"unknown status {status!r}")
            terms = []
            for attribute in raw.get("attributes") or []:
                term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
                if not isinstance(term, dict) or not term.get("code") or not term.get("taxonomy"):
                    raise BadRecord("an attribute lacks its taxonomy_term (code and taxonomy)")
                terms.append((str(term["taxonomy"]), str(term["code"])))
                _collect_term(parsed.taxonomies, term)
            areas = []
            for area in raw.get("service_areas") or []:
                extent = _text(area, "extent_type", required=True)
                name = _text(area, "name", required=True)
                if extent == ServiceArea.Extent.MUNICIPALITY and name not in municipalities:
                    raise BadRecord(f"unknown municipality {name!r}")
                if extent not in ServiceArea.Extent.values:
                    raise BadRecord(f"unknown service area extent {extent!r}")
                areas.append(AreaRecord(extent, name, name if extent == "municipality" else ""))
            fees = _text(raw, "fees_description_fi", limit=1000) or _text(
                raw, "fees_description", limit=1000
            )
            parsed.services.append(
                ServiceRecord(
                    source_id=source_id,
                    id=_uuid(raw.get("id"), "id"),
                    organization_source_id=org_source,
                    name_fi=_text(raw, "name_fi", limit=300)
                    or _text(raw, "name", required=True, limit=300),
                    name_sv=_text(raw, "name_sv", limit=300),
                    name_en=_text(raw, "name_en", limit=300),
                    description_fi=_text(raw, "description_fi") or _text(raw, "description"),
                    description_sv=_text(raw, "description_sv"),
                    description_en=_text(raw, "description_en"),
                    summary_easy_fi=_text(raw, "summary_easy_fi"),
                    application_process_fi=_text(raw, "application_process_fi")
                    or _text(raw, "application_process"),
                    application_process_sv=_text(raw, "application_process_sv"),
                    application_process_en=_text(raw, "application_process_en"),
                    is_free=not fees,
                    fees_description_fi=fees,
                    status=status,
                    url=_url(_text(raw, "url", limit=200), "url"),
                    email=_email(_text(raw, "email", limit=200), "email"),
                    terms=terms,
                    languages=[
                        _text(lang, "code", required=True, limit=8)
                        for lang in raw.get("languages") or []
                    ],
                    areas=areas,
                )
            )
        except (BadRecord, AttributeError, TypeError) as exc:
            reason = str(exc) if isinstance(exc, BadRecord) else "malformed record"
            parsed.rejected.append((source_id or "?", reason))
    parsed.organizations = list(orgs.values())
    del known
    return parsed
