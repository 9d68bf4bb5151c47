"""Building the search index: each service's texts analysed per language into weighted terms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.db.models import F, Prefetch

from tyollisyystalo.catalogue.models import Attribute, SearchIndexVersion, SearchTerm, Service
from tyollisyystalo.catalogue.search.analysis import analyse
from tyollisyystalo.catalogue.search.needs import AREA_PREFIX, GROUP_PREFIX

LANGUAGES = ("fi", "sv", "en")
# How much a term counts by where it stands, and by how it was reached from the word.
FIELD_WEIGHTS = {
    "name": 3.0,
    "terms": 1.5,
    "summary": 1.5,
    "organization": 1.0,
    "description": 1.0,
    "access": 0.5,
}
KIND_WEIGHTS = {"base": 1.0, "word": 1.0, "part": 0.6, "root": 0.5}
MAX_TERM_LENGTH = 100
CLASSIFICATION_TERMS = {"tt-area": AREA_PREFIX, "tt-target-group": GROUP_PREFIX}


def _fields(service: Service, language: str) -> dict[str, str]:
    def text(obj: object, name: str) -> str:
        value: str = getattr(obj, f"{name}_{language}", "") or ""
        return value

    terms = " ".join(text(a.taxonomy_term, "name") for a in service.attributes.all())
    fields = {
        "name": text(service, "name"),
        "terms": terms,
        "organization": text(service.organization, "name"),
        "description": text(service, "description"),
        "access": text(service, "application_process"),
    }
    if language == "fi":
        fields["summary"] = service.summary_easy_fi
    return fields


def service_terms(service: Service, language: str) -> dict[str, float]:
    """Term → weight: the best weight of the term in each field, summed over the fields."""
    total: dict[str, float] = defaultdict(float)
    for field, text in _fields(service, language).items():
        best: dict[str, float] = {}
        for _word, terms in analyse(text, language):
            for term in terms:
                weight = FIELD_WEIGHTS[field] * KIND_WEIGHTS[term.kind]
                if weight > best.get(term.text, 0.0):
                    best[term.text] = weight
        for text_term, weight in best.items():
            total[text_term[:MAX_TERM_LENGTH]] += weight
    # The areas of life and target groups as terms of their own, reached only through the need
    # vocabulary (a query's words cannot contain the colon).
    for attribute in service.attributes.all():
        prefix = CLASSIFICATION_TERMS.get(attribute.taxonomy_term.taxonomy.code)
        if prefix:
            total[prefix + attribute.taxonomy_term.code] = 1.0
    return total


def search_index_rebuild(service_ids: Iterable[UUID] | None = None, batch: int = 500) -> int:
    """Re-index the given services (all when None). Returns the number of index rows written."""
    services = Service.objects.select_related("organization").prefetch_related(
        Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term__taxonomy"))
    )
    if service_ids is not None:
        services = services.filter(pk__in=list(service_ids))
    written = 0
    with transaction.atomic():
        ids = list(services.values_list("pk", flat=True))
        SearchTerm.objects.filter(service_id__in=ids).delete()
        rows: list[SearchTerm] = []
        for service in services.iterator(chunk_size=batch):
            for language in LANGUAGES:
                for term, weight in service_terms(service, language).items():
                    rows.append(
                        SearchTerm(service=service, language=language, term=term, weight=weight)
                    )
            if len(rows) >= 5000:
                SearchTerm.objects.bulk_create(rows, batch_size=2000)
                written += len(rows)
                rows = []
        SearchTerm.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
        search_index_version_bump()
    return written


def search_index_version_bump() -> None:
    """Tell every process to reload its vocabularies (the index or the need vocabulary changed)."""
    SearchIndexVersion.objects.get_or_create(id=1)
    SearchIndexVersion.objects.filter(id=1).update(version=F("version") + 1)
