"""Catalogue objects as Open Referral HSDS 3.0 JSON.

``name`` / ``description`` / ``application_process`` are in the requested language (Finnish by
default). Extension fields (allowed by HSDS, which sets no ``additionalProperties``) keep every
language and our identifiers, so an export can be imported again without loss:
``source_id``, ``name_fi|sv|en``, ``description_fi|sv|en``, ``application_process_fi|sv|en``,
``summary_easy_fi``, ``fees_description_fi``; on organizations also ``kind`` and ``area_label``.
Empty optional values are left out, as the schemas' formats (uri, email) do not allow "".
"""

from __future__ import annotations

from typing import Any

from tyollisyystalo.catalogue.models import (
    Attribute,
    CatalogueOrganization,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"


def _clean(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in keep or v not in (None, "", [])}


def _pick(obj: Any, field: str, lang: str) -> str:
    value: str = getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_fi")
    return value


def taxonomy(tax: Taxonomy) -> dict[str, Any]:
    return _clean(
        {
            "id": str(tax.id),
            "name": tax.name,
            "description": tax.description,
            "uri": tax.uri,
            "version": tax.version,
        },
        keep=("description",),
    )


def taxonomy_term(term: TaxonomyTerm, lang: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(term.id),
            "code": term.code,
            "name": _pick(term, "name", lang),
            "description": _pick(term, "description", lang),
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "parent_code": term.parent.code if term.parent else None,
            "taxonomy": term.taxonomy.code,
            "taxonomy_id": str(term.taxonomy_id),
            "taxonomy_detail": taxonomy(term.taxonomy),
            "language": lang,
            "term_uri": term.term_uri,
            "name_fi": term.name_fi,
            "name_sv": term.name_sv,
            "name_en": term.name_en,
            "description_fi": term.description_fi,
        },
        keep=("description",),
    )


def organization(org: CatalogueOrganization, lang: str, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(org.id),
        "name": _pick(org, "name", lang),
        "description": _pick(org, "description", lang),
        "email": org.email,
        "website": org.website,
        "source_id": org.source_id,
        "name_fi": org.name_fi,
        "name_sv": org.name_sv,
        "name_en": org.name_en,
        "description_fi": org.description_fi,
        "kind": org.kind,
        "area_label": org.area_label,
    }
    if full:
        data["phones"] = [
            _clean(
                {
                    "id": str(p.id),
                    "organization_id": str(org.id),
                    "number": p.number,
                    "type": p.type,
                }
            )
            for p in org.phones.all()
        ]
        data["locations"] = [location(loc, lang) for loc in org.locations.all()]
    return _clean(data, keep=("description",))


def location(loc: Location, lang: str) -> dict[str, Any]:
    address = None
    if loc.address_1:
        address = {
            "id": str(loc.id),
            "location_id": str(loc.id),
            "address_1": loc.address_1,
            "city": loc.city,
            "state_province": "",
            "postal_code": loc.postal_code,
            "country": loc.country,
            "address_type": loc.location_type if loc.location_type != "virtual" else "physical",
        }
    return _clean(
        {
            "id": str(loc.id),
            "location_type": loc.location_type,
            "url": loc.url,
            "organization_id": str(loc.organization_id) if loc.organization_id else None,
            "name": _pick(loc, "name", lang),
            "description": _pick(loc, "description", lang),
            "latitude": float(loc.latitude) if loc.latitude is not None else None,
            "longitude": float(loc.longitude) if loc.longitude is not None else None,
            "addresses": [address] if address else [],
            "accessibility": [
                {"id": str(loc.id), "location_id": str(loc.id), "description": loc.accessibility_fi}
            ]
            if loc.accessibility_fi
            else [],
        }
    )


def attribute(attr: Attribute, lang: str) -> dict[str, Any]:
    return {
        "id": str(attr.id),
        "link_id": str(attr.service_id),
        "link_type": attr.taxonomy_term.taxonomy.code,
        "link_entity": "service",
        "taxonomy_term_id": str(attr.taxonomy_term_id),
        "taxonomy_term": taxonomy_term(attr.taxonomy_term, lang),
        **({"value": attr.value} if attr.value else {}),
    }


def service(svc: Service, lang: str, *, full: bool) -> dict[str, Any]:
    """One service; ``full`` nests everything (the /services/{id} shape)."""
    data: dict[str, Any] = {
        "id": str(svc.id),
        "organization_id": str(svc.organization_id),
        "name": _pick(svc, "name", lang),
        "description": _pick(svc, "description", lang),
        "url": svc.url,
        "email": svc.email,
        "status": svc.status,
        "application_process": _pick(svc, "application_process", lang),
        "fees_description": svc.fees_description_fi,
        "last_modified": svc.last_modified.isoformat(),
        "organization": organization(svc.organization, lang),
        "source_id": svc.source_id,
        "name_fi": svc.name_fi,
        "name_sv": svc.name_sv,
        "name_en": svc.name_en,
        "description_fi": svc.description_fi,
        "description_sv": svc.description_sv,
        "description_en": svc.description_en,
        "application_process_fi": svc.application_process_fi,
        "application_process_sv": svc.application_process_sv,
        "application_process_en": svc.application_process_en,
        "summary_easy_fi": svc.summary_easy_fi,
    }
    if full:
        data.update(
            {
                "attributes": [attribute(a, lang) for a in svc.attributes.all()],
                "languages": [
                    {
                        "id": str(lang_row.id),
                        "service_id": str(svc.id),
                        "code": lang_row.code,
                        "name": lang_row.name,
                    }
                    for lang_row in svc.languages.all()
                ],
                "service_areas": [
                    _clean(
                        {
                            "id": str(area.id),
                            "service_id": str(svc.id),
                            "name": area.name,
                            "extent_type": area.extent_type,
                            "extent": area.municipality.code if area.municipality else "",
                        }
                    )
                    for area in svc.service_areas.all()
                ],
                "phones": [
                    _clean(
                        {
                            "id": str(p.id),
                            "service_id": str(svc.id),
                            "number": p.number,
                            "type": p.type,
                        }
                    )
                    for p in svc.phones.all()
                ],
                "cost_options": [
                    _clean(
                        {
                            "id": str(c.id),
                            "service_id": str(svc.id),
                            "option": c.option,
                            "amount": float(c.amount) if c.amount is not None else None,
                            "currency": c.currency,
                            "amount_description": c.amount_description,
                        }
                    )
                    for c in svc.cost_options.all()
                ],
                "service_at_locations": [
                    service_at_location(sal, lang, nest_service=False)
                    for sal in svc.at_locations.all()
                ],
            }
        )
    return _clean(data)


def service_at_location(
    sal: ServiceAtLocation, lang: str, *, nest_service: bool = True
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "description": sal.description_fi,
        "location": location(sal.location, lang),
    }
    if nest_service:
        data["service"] = service(sal.service, lang, full=False)
    return _clean(data)
