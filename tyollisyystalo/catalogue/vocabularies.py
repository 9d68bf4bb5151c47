"""Loading the catalogue vocabularies (``data/vocabularies.json``) and PTV code lists."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data" / "vocabularies.json"
# Identifiers of imported objects are derived from their source ids, so the same catalogue
# gets the same HSDS ids on every installation.
NAMESPACE = uuid.UUID("6f1d6f0e-3b7a-4a53-9d0b-2f2f0a5c7e11")
AREA = "tt-area"
TARGET_GROUP = "tt-target-group"
SERVICE_TYPE = "tt-service-type"
ACCESS = "tt-access"
CHANNEL = "tt-channel"
PTV_SERVICE_CLASS = "ptv-service-class"
PTV_LIFE_EVENT = "ptv-life-event"
PTV_TARGET_GROUP = "ptv-target-group"
PTV_TAXONOMIES = (PTV_SERVICE_CLASS, PTV_LIFE_EVENT, PTV_TARGET_GROUP)


def stable_id(kind: str, source_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{source_id}")


@dataclass(frozen=True)
class TermDef:
    code: str
    fi: str
    sv: str = ""
    en: str = ""
    description_fi: str = ""
    uri: str = ""
    parent: str = ""
    aliases: tuple[str, ...] = ()
    description_sv: str = ""
    description_en: str = ""


@dataclass
class TaxonomyDef:
    code: str
    name: str
    description: str
    version: str = ""
    uri: str = ""
    terms: list[TermDef] = field(default_factory=list)
    # Our vocabulary file and the PTV lists are authoritative; taxonomies read back from an
    # HSDS file only fill in what is missing.
    authoritative: bool = True

    def code_for(self, value: str) -> str | None:
        for term in self.terms:
            if value == term.code or value in term.aliases:
                return term.code
        return None


@lru_cache(maxsize=1)
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def ptv_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "standards" / "ptv-codelists"


def taxonomies(domains: list[dict[str, str]]) -> dict[str, TaxonomyDef]:
    """Our vocabularies plus the PTV code lists, with area terms from the catalogue file."""
    result: dict[str, TaxonomyDef] = {}
    for spec in raw()["taxonomies"]:
        tax = TaxonomyDef(spec["code"], spec["name"], spec["description"], spec.get("version", ""))
        if spec.get("terms_from") == "domains":
            tax.terms = [
                TermDef(
                    d["code"],
                    d["name_fi"],
                    d.get("name_sv", ""),
                    d.get("name_en", ""),
                    d.get("description_fi", ""),
                    description_sv=d.get("description_sv", ""),
                    description_en=d.get("description_en", ""),
                )
                for d in domains
            ]
        else:
            tax.terms = [
                TermDef(t["code"], t["fi"], t["sv"], t["en"], aliases=tuple(t.get("aliases", [])))
                for t in spec["terms"]
            ]
        result[tax.code] = tax
    for spec in raw()["ptv"]:
        tax = TaxonomyDef(spec["code"], spec["name"], spec["name"], "2022-06", spec["uri"])
        path = ptv_dir() / spec["file"]
        if path.is_file():
            entries = json.loads(path.read_text(encoding="utf-8-sig"))
            by_uri = {e["Id"]: e["Notation"] for e in entries if e.get("Id")}
            tax.terms = [
                TermDef(
                    e["Notation"],
                    e["Label"]["Fi"],
                    e["Label"].get("Sv") or "",
                    e["Label"].get("En") or "",
                    ((e.get("Notes") or {}).get("Fi") or "")[:2000],
                    e.get("Id") or "",
                    by_uri.get((e.get("BroaderUris") or [""])[0], ""),
                )
                for e in entries
            ]
        result[tax.code] = tax
    return result


def area_mappings() -> dict[str, dict[str, list[str]]]:
    mappings: dict[str, dict[str, list[str]]] = raw()["area_mappings"]
    return mappings


def target_group_mappings() -> dict[str, dict[str, list[str]]]:
    for spec in raw()["taxonomies"]:
        if spec["code"] == TARGET_GROUP:
            return {
                t["code"]: {"ptv": t.get("ptv", []), "life_events": t.get("life_events", [])}
                for t in spec["terms"]
            }
    return {}


def ptv_pairs(areas: list[str], groups: list[str]) -> list[tuple[str, str]]:
    """(taxonomy, code) of the PTV service classes, life events and target groups that our
    areas of life and target groups map to, without duplicates, in mapping order."""
    wanted: list[tuple[str, str]] = []
    for area in areas:
        mapping = area_mappings().get(area, {})
        wanted += [(PTV_SERVICE_CLASS, c) for c in mapping.get("service_classes", [])]
        wanted += [(PTV_LIFE_EVENT, c) for c in mapping.get("life_events", [])]
    for group in groups:
        mapping = target_group_mappings().get(group, {})
        wanted += [(PTV_TARGET_GROUP, c) for c in mapping.get("ptv", [])]
        wanted += [(PTV_LIFE_EVENT, c) for c in mapping.get("life_events", [])]
    return list(dict.fromkeys(wanted))


def language_names() -> dict[str, str]:
    names: dict[str, str] = raw()["languages"]
    return names
