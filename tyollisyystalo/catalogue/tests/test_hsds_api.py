"""The HSDS 3.0 API: every response validates against the official schemas."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tyollisyystalo.catalogue.models import (
    CatalogueOrganization,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from tyollisyystalo.catalogue.services import catalogue_import

from .test_import import snapshot

HSDS = Path(settings.BASE_DIR).parent / "shared" / "standards" / "hsds-3.0" / "schema"
RAW = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
BASE = "/api/v1/hsds/"


def _registry() -> Registry:
    resources = []
    for path in list(HSDS.glob("*.json")) + list((HSDS / "compiled").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        rel = path.relative_to(HSDS).as_posix()
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources += [(RAW + rel, resource), (rel, resource)]
    return Registry().with_resources(resources)


REGISTRY = _registry()
PAGE = json.loads((HSDS / "openapi.json").read_text(encoding="utf-8"))["components"]["schemas"][
    "Page"
]


def validate(instance, schema_file):
    schema = {"$ref": RAW + schema_file}
    validator = Draft202012Validator(
        schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: e.path)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def validate_page(body, item_schema):
    page = dict(
        PAGE,
        required=[
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
        ],
    )
    errors = list(
        Draft202012Validator(page, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(
            body
        )
    )
    assert not errors, [e.message for e in errors]
    for item in body["contents"]:
        validate(item, item_schema)


def test_the_validator_catches_broken_responses():
    good = {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "Palvelu", "status": "active"}
    validate(good, "compiled/service.json")
    for broken in (
        {k: v for k, v in good.items() if k != "status"},
        {**good, "id": "not-a-uuid"},
        {**good, "status": "open"},
        {
            **good,
            "organization": {
                "id": good["id"],
                "name": "X",
                "description": "",
                "website": "not a uri",
            },
        },
    ):
        with pytest.raises(AssertionError):
            validate(broken, "compiled/service.json")


@pytest.fixture
def api(client, catalogue):
    return client


@pytest.fixture
def located(catalogue):
    service = Service.objects.get(source_id="svc-001")
    location = Location.objects.create(
        organization=service.organization,
        location_type="physical",
        name_fi="Työllisyyspalvelujen asiakaspalvelu",
        address_1="Torikatu 5",
        city="Esimerkkilä",
        postal_code="99100",
        accessibility_fi="Esteetön sisäänkäynti.",
    )
    return ServiceAtLocation.objects.create(service=service, location=location)


@pytest.mark.django_db
def test_root_tells_version_and_openapi(api):
    body = api.get(BASE).json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/schema/")


@pytest.mark.django_db
@pytest.mark.parametrize("full", ["false", "true"])
def test_every_service_in_the_list_validates(api, full):
    seen = 0
    for page in (1, 2):
        body = api.get(f"{BASE}services", {"per_page": 100, "page": page, "full": full}).json()
        validate_page(
            body, "compiled/service_list.json" if full == "false" else "compiled/service.json"
        )
        seen += body["size"]
    assert seen == 140


@pytest.mark.django_db
def test_every_service_detail_validates(api, located):
    for service_id in Service.objects.values_list("id", flat=True):
        response = api.get(f"{BASE}services/{service_id}")
        assert response.status_code == 200
        validate(response.json(), "compiled/service.json")
    detail = api.get(f"{BASE}services/{located.service_id}").json()
    assert (
        detail["service_at_locations"][0]["location"]["addresses"][0]["address_1"] == "Torikatu 5"
    )


@pytest.mark.django_db
def test_organizations_taxonomies_terms_and_locations_validate(api, located):
    body = api.get(f"{BASE}organizations", {"per_page": 100}).json()
    validate_page(body, "compiled/organization_list.json")
    assert body["total_items"] == 28
    for org_id in CatalogueOrganization.objects.values_list("id", flat=True):
        validate(
            api.get(f"{BASE}organizations/{org_id}", {"full_service": "true"}).json(),
            "compiled/organization.json",
        )
    body = api.get(f"{BASE}taxonomies").json()
    validate_page(body, "taxonomy.json")
    for tax_id in Taxonomy.objects.values_list("id", flat=True):
        validate(api.get(f"{BASE}taxonomies/{tax_id}").json(), "taxonomy.json")
    body = api.get(f"{BASE}taxonomy_terms", {"per_page": 100}).json()
    validate_page(body, "taxonomy_term.json")
    for term_id in TaxonomyTerm.objects.values_list("id", flat=True)[:50]:
        validate(api.get(f"{BASE}taxonomy_terms/{term_id}").json(), "taxonomy_term.json")
    body = api.get(f"{BASE}service_at_locations").json()
    validate_page(body, "compiled/service_at_location_list.json")
    validate(
        api.get(f"{BASE}service_at_locations/{located.id}").json(),
        "compiled/service_at_location.json",
    )


@pytest.mark.django_db
def test_paging_envelope(api):
    body = api.get(f"{BASE}services", {"per_page": 50, "page": 3}).json()
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (
        140,
        3,
        3,
        40,
    )
    assert (body["first_page"], body["last_page"], body["empty"]) == (False, True, False)
    beyond = api.get(f"{BASE}services", {"per_page": 50, "page": 4}).json()
    assert (beyond["size"], beyond["empty"], beyond["contents"]) == (0, True, [])


@pytest.mark.django_db
def test_filters_by_term_taxonomy_organization_and_time(api):
    work = TaxonomyTerm.objects.get(taxonomy__code="tt-area", code="tyo")
    body = api.get(f"{BASE}services", {"taxonomy_term_id": str(work.id), "per_page": 100}).json()
    expected = set(
        Service.objects.filter(attributes__taxonomy_term=work).values_list("source_id", flat=True)
    )
    assert {s["source_id"] for s in body["contents"]} == expected
    assert body["total_items"] == len(expected) > 0
    ptv = Taxonomy.objects.get(code="ptv-life-event")
    assert api.get(f"{BASE}services", {"taxonomy_id": str(ptv.id)}).json()["total_items"] > 0
    org = CatalogueOrganization.objects.get(source_id="org-selva-talous")
    body = api.get(f"{BASE}services", {"organization_id": str(org.id)}).json()
    assert {s["organization_id"] for s in body["contents"]} == {str(org.id)}
    assert (
        api.get(f"{BASE}services", {"modified_after": "2999-01-01T00:00:00Z"}).json()["total_items"]
        == 0
    )
    assert api.get(f"{BASE}services", {"modified_after": "2000-01-01"}).json()["total_items"] == 140
    assert api.get(f"{BASE}services", {"search": "velkaneuvonta"}).json()["total_items"] >= 1


def test_search_parameter_understands_finnish(api):
    """Inflected forms, compound parts and typos find services, as on the portal."""
    for query in ("velkoihin", "velka", "velkaneuvontaa", "velkanevonta"):
        names = [
            s["name"] for s in api.get(f"{BASE}services", {"search": query}).json()["contents"]
        ]
        assert "Talous- ja velkaneuvonta" in names, query
    swedish = api.get(f"{BASE}services", {"search": "skuldrådgivning", "lang": "sv"}).json()
    assert swedish["total_items"] >= 1


@pytest.mark.django_db
def test_language_of_the_texts(api):
    service = Service.objects.get(source_id="svc-001")
    assert api.get(f"{BASE}services/{service.id}", {"lang": "sv"}).json()["name"] == service.name_sv
    assert (
        api.get(f"{BASE}services/{service.id}", HTTP_ACCEPT_LANGUAGE="en").json()["name"]
        == service.name_en
    )
    assert api.get(f"{BASE}services/{service.id}").json()["name"] == service.name_fi


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"taxonomy_term_id": "abc"}, "taxonomy_term_id"),
        ({"modified_after": "eilen"}, "modified_after"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(api, params, field):
    response = api.get(f"{BASE}services", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_unknown_ids_are_404(api):
    for kind in (
        "services",
        "organizations",
        "taxonomies",
        "taxonomy_terms",
        "service_at_locations",
    ):
        assert api.get(f"{BASE}{kind}/00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.django_db
def test_unpublished_services_are_not_served(api):
    service = Service.objects.get(source_id="svc-001")
    Service.objects.filter(pk=service.pk).update(is_published=False)
    assert api.get(f"{BASE}services/{service.id}").status_code == 404
    assert api.get(f"{BASE}services").json()["total_items"] == 139


@pytest.mark.django_db
def test_query_count_does_not_grow_with_page_size(api):
    def queries(per_page):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                api.get(f"{BASE}services", {"per_page": per_page, "full": "true"}).status_code
                == 200
            )
        return len(ctx.captured_queries)

    assert queries(5) == queries(100)


@pytest.mark.django_db
def test_export_then_import_reproduces_the_catalogue(api, municipalities):
    before = snapshot()
    exported = []
    for page in (1, 2):
        exported += api.get(
            f"{BASE}services", {"per_page": 100, "page": page, "full": "true"}
        ).json()["contents"]
    Service.objects.all().delete()
    CatalogueOrganization.objects.all().delete()
    Taxonomy.objects.all().delete()

    report = catalogue_import(data={"contents": exported})

    assert (report.created, report.rejected) == (140, [])
    assert snapshot() == before
    assert catalogue_import(data={"contents": exported}).unchanged == 140
