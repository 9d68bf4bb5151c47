"""Importing the catalogue: idempotent, all or nothing, every bad record named with its reason."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tyollisyystalo.catalogue.models import (
    Attribute,
    CatalogueOrganization,
    Service,
    ServiceArea,
    Taxonomy,
)
from tyollisyystalo.catalogue.services import CatalogueImportRejected, catalogue_import


def snapshot():
    return {
        s.source_id: (
            str(s.id),
            s.name_fi,
            s.name_sv,
            s.is_free,
            s.fees_description_fi,
            s.organization.source_id,
            sorted(
                f"{a.taxonomy_term.taxonomy.code}:{a.taxonomy_term.code}"
                for a in s.attributes.all()
            ),
            sorted(s.languages.values_list("code", flat=True)),
            sorted(s.service_areas.values_list("extent_type", "name")),
        )
        for s in Service.objects.select_related("organization").prefetch_related(
            "attributes__taxonomy_term__taxonomy"
        )
    }


@pytest.mark.django_db
def test_demo_catalogue_imports_every_service_with_its_vocabulary(catalogue):
    assert (catalogue.created, catalogue.rejected) == (140, [])
    assert CatalogueOrganization.objects.count() == 28
    svc = Service.objects.get(source_id="svc-001")
    codes = {
        f"{a.taxonomy_term.taxonomy.code}:{a.taxonomy_term.code}"
        for a in svc.attributes.select_related("taxonomy_term__taxonomy")
    }
    assert {
        "tt-area:tyo",
        "tt-target-group:kaikki",
        "tt-service-type:public",
        "tt-access:itse_hakeutuen",
    } <= codes
    assert {"tt-channel:verkko", "tt-channel:kasvokkain", "tt-channel:puhelin"} <= codes
    assert {"ptv-service-class:P10.1", "ptv-life-event:KE8"} <= codes
    assert set(Taxonomy.objects.values_list("code", flat=True)) >= {
        "tt-area",
        "ptv-service-class",
        "ptv-life-event",
    }
    assert svc.service_areas.get().extent_type == ServiceArea.Extent.MUNICIPALITY


@pytest.mark.django_db
def test_channel_eta_is_accepted_with_or_without_the_umlaut(catalogue):
    remote = Attribute.objects.filter(
        taxonomy_term__taxonomy__code="tt-channel", taxonomy_term__code="eta"
    ).count()
    assert remote == 38  # "etä" in the demo file


@pytest.mark.django_db
def test_second_import_changes_nothing(catalogue, demo_data):
    before = snapshot()
    report = catalogue_import(data=demo_data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 140)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_changed_record_is_updated_in_place(catalogue, demo_data):
    demo_data["services"][0]["name_fi"] = "Uusi nimi"
    report = catalogue_import(data=demo_data)
    assert (report.created, report.updated) == (0, 1)
    assert Service.objects.get(source_id=demo_data["services"][0]["id"]).name_fi == "Uusi nimi"


@pytest.fixture
def bad_data(demo_data):
    demo_data["services"][0]["domains"] = ["avaruus"]
    demo_data["services"][1]["organization_id"] = "org-ei-ole"
    demo_data["services"][2]["municipality"] = "Atlantis"
    del demo_data["services"][3]["name_fi"]
    demo_data["services"][4]["channels"] = "verkko"
    demo_data["organizations"][-1]["website"] = "not a url"  # org-uraverso
    return demo_data


@pytest.mark.django_db
def test_bad_records_are_named_and_nothing_is_imported(municipalities, bad_data):
    with pytest.raises(CatalogueImportRejected) as rejected:
        catalogue_import(data=bad_data)
    reasons = dict(rejected.value.report.rejected)
    assert "unknown domain code 'avaruus'" in reasons["svc-001"]
    assert "unknown organization 'org-ei-ole'" in reasons["svc-002"]
    assert "unknown municipality 'Atlantis'" in reasons["svc-003"]
    assert "name_fi is missing" in reasons["svc-004"]
    assert "channels must be a list" in reasons["svc-005"]
    assert "website is not a web address" in reasons["org-uraverso"]
    assert (
        Service.objects.count(),
        CatalogueOrganization.objects.count(),
        Taxonomy.objects.count(),
    ) == (0, 0, 0)


@pytest.mark.django_db
def test_partial_import_takes_the_good_records_and_lists_the_bad(municipalities, bad_data):
    report = catalogue_import(data=bad_data, partial=True)
    rejected = {source_id for source_id, _ in report.rejected}
    # Services of the rejected organisation are rejected too, with their own reason.
    org_services = {s["id"] for s in bad_data["services"] if s["organization_id"] == "org-uraverso"}
    assert {"svc-001", "svc-002", "svc-003", "svc-004", "svc-005"} <= rejected
    assert org_services <= rejected
    assert Service.objects.count() == 140 - len(rejected - {"org-uraverso"})
    assert not Service.objects.filter(source_id__in=rejected).exists()


@pytest.mark.django_db
def test_command_reports_rejections_and_exits_with_an_error(
    municipalities, bad_data, tmp_path, capsys
):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad_data), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_services", str(path))
    assert "rejected svc-003: unknown municipality 'Atlantis'" in capsys.readouterr().err
    call_command("import_services", str(path), "--partial")
    assert "rejected svc-003" in capsys.readouterr().err
    assert Service.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"), [("{not json", "not valid JSON"), ('{"x": 1}', "neither")]
)
def test_command_refuses_unreadable_files(municipalities, tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_services", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_services", str(tmp_path / "missing.json"))
