"""The package's contents against the hand-built dataset, its validity, and what it never holds."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import re
import zipfile
from pathlib import Path
from typing import cast

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from conftest import StaffFactory
from tyollisyystalo.cases.models import Case
from tyollisyystalo.coaching.models import CoachingPeriod, Placement
from tyollisyystalo.evaluation import schema
from tyollisyystalo.evaluation.package import Package, package_build, package_zip
from tyollisyystalo.evaluation.pseudonyms import Pseudonymiser
from tyollisyystalo.evaluation.schema import TABLES, datapackage_descriptor
from tyollisyystalo.evaluation.selectors import evaluation_rows
from tyollisyystalo.evaluation.services import evaluation_package_export
from tyollisyystalo.evaluation.tests import dataset
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys.models import Answer

KEY = b"evaluation-test-key-32-bytes-ok!"
PURPOSE = "Työkykyohjelman arviointi, THL 2026"


def token(kind: str, identifier: object) -> str:
    """The documented pseudonym, computed here independently of the code under test."""
    return hmac.new(KEY, f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()[:16]


@pytest.fixture
def data(employment, county, aino) -> dataset.Dataset:
    return dataset.build(employment, county, aino)


def built(data: dataset.Dataset) -> Package:
    return package_build(evaluation_rows(data.employment), Pseudonymiser(KEY))


def files(package: Package) -> dict[str, list[list[str]]]:
    """Every file's rows as they are written (numbered tables with their running numbers)."""
    return {name: list(package.rows(name)) for name in package.tables}


def read_zip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_files_match_the_hand_built_dataset(data):
    tables = files(built(data))
    sari = token("client", data.sari.id)
    case = Case.objects.get(client=data.sari, owner_organisation=data.employment)
    path = token("path", case.id)
    others = [token("client", c.id) for c in data.clients[1:]]

    assert sorted(tables["clients"]) == sorted(
        [
            [sari, "30-34", "X91"],  # 34 on 10.3.2025
            [others[0], "-19", "X91"],
            [others[1], "65-", "X91"],
            [others[2], "25-29", "X91"],  # the day before turning 30
            [others[3], "30-34", "X91"],  # turned 30 that day
            [others[4], "40-44", ""],  # the only one from Pikkukylä: not shown
        ]
    )
    assert [row for row in tables["paths"] if row[0] == path] == [
        [
            path,
            sari,
            "employment_services",
            "closed",
            *["2025-03", "2025-03", "2025-11"],
            "job_or_study",
            "2025-11",
        ]
    ]
    assert len(tables["paths"]) == 6
    events = [row[2:] for row in tables["path_events"] if row[1] == path]
    assert events == [
        ["2025-03", "opened", "", "referred", ""],
        ["2025-03", "status", "referred", "intake", ""],
        ["2025-04", "status", "intake", "active", ""],
        ["2025-04", "coordinator", "", "", ""],  # in time order, not in the order of names
        ["2025-05", "review", "", "", ""],
        ["2025-11", "outcome", "", "", "job_or_study"],
        ["2025-11", "status", "active", "closed", ""],
    ]
    assert len(tables["path_events"]) == 7 + 5  # one "opened" for each of the other five
    assert [row[0] for row in tables["path_events"]] == [str(n) for n in range(1, 13)]
    assert [row[1:] for row in tables["path_deadlines"]] == [
        [path, "interim_review", "1", "2025-04", "2025-05", "false"],
        [path, "interim_review", "3", "2025-06", "", "true"],
    ]
    responses = {
        r.answered_on.month: token("response", r.id)
        for r in InstrumentResponse.objects.filter(owner_organisation=data.employment)
    }
    assert sorted(tables["instrument_responses"]) == sorted(
        [
            [responses[3], sari, "work_ability_score", "1", "2025-03", "client", "6", "moderate"],
            [responses[10], sari, "work_ability_score", "1", "2025-10", "client", "8", "good"],
        ]
    )
    assert sorted(tables["instrument_domain_scores"]) == sorted(
        [[responses[3], "was", "6"], [responses[10], "was", "8"]]
    )
    referral = token("referral", Referral.objects.get().id)
    assert tables["referrals"] == [
        [
            referral,
            path,
            "wellbeing_county",
            "work health",
            "completed",
            "2025-04",
            "2025-04",
            "2025-04",
            "2025-06",
        ]
    ]
    assert tables["work_trial_feedback"] == [
        ["1", path, "2025-07", "5", "3", "4", "4", "5", "4", "5"]
    ]
    period = token("period", CoachingPeriod.objects.get().id)
    assert tables["coaching_periods"] == [
        [period, sari, path, "ips", "intensive", "ended", "2025-05", "2025-11", "competitive_job"]
    ]
    assert tables["coaching_events"] == [
        ["1", period, "2025-05", "", "started", ""],
        ["2", period, "2025-11", "started", "ended", "competitive_job"],
    ]
    placement = token("placement", Placement.objects.get().id)
    assert tables["placements"] == [
        [placement, period, "2025-09", "", "25", "permanent", "true", "13.5", "false", ""]
    ]
    assert tables["placement_feedback"] == [
        ["1", placement, "2025-10", "4", "4", "5", "", "4", "5", "5"]
    ]
    answers = {row[0]: row[1:] for row in tables["survey_answers"]}
    assert sorted(answers.values()) == sorted(
        [["client_satisfaction", "1", "2025-Q4", "X91"]] * 5
        + [["client_satisfaction", "1", "2025-Q4", ""]]  # the only one from Pikkukylä
    )  # the three employer answers of 2025-Q3 are too few; the county's are the county's
    overall = sorted(
        int(value) for answer_token, item, value in tables["survey_values"] if item == "overall"
    )
    assert overall == [6, 7, 8, 8, 9, 10]
    assert {row[0] for row in tables["survey_values"]} == set(answers)
    assert len(tables["survey_values"]) == 12


@pytest.mark.django_db
def test_only_the_exporting_organisations_records(data):
    """The county's manager gets the county's two paths (Sari's and its own client's), nothing
    of employment services; employment services' package holds nothing the county owns."""
    county_package = files(package_build(evaluation_rows(data.county), Pseudonymiser(KEY)))
    assert sorted(row[0] for row in county_package["clients"]) == sorted(
        [token("client", data.sari.id), token("client", data.foreign_client.id)]
    )
    assert len(county_package["paths"]) == 2
    assert [row[5:7] for row in county_package["instrument_responses"]] == [["professional", "3"]]
    for name in ("referrals", "coaching_periods", "placements", "work_trial_feedback"):
        assert county_package[name] == []

    own = files(built(data))
    county_paths = {
        token("path", c.id) for c in Case.objects.filter(owner_organisation=data.county)
    }
    assert not county_paths & {row[0] for row in own["paths"]}
    assert token("client", data.foreign_client.id) not in {row[0] for row in own["clients"]}
    assert token("client", data.anonymised.id) not in {row[0] for row in own["clients"]}
    assert "3" not in [row[6] for row in own["instrument_responses"]]  # the county's score


@pytest.mark.django_db
def test_survey_answers_join_no_client_row(data):
    """An answer's pseudonym is of its own kind, never a client's or a path's, and no survey
    column holds anything of the client rows (no month either: quarters only)."""
    tables = files(built(data))
    answer_tokens = {row[0] for row in tables["survey_answers"]}
    record_tokens = {cell for name in ("clients", "paths") for row in tables[name] for cell in row}
    assert answer_tokens
    assert not answer_tokens & record_tokens
    assert answer_tokens == {
        token("answer", a.id)
        for a in Answer.objects.filter(organisation=data.employment, survey="client_satisfaction")
    }
    header = [c.name for c in schema.SURVEY_ANSWERS.columns]
    assert header == ["answer", "survey", "version", "quarter", "municipality"]


@pytest.mark.django_db
def test_pseudonyms_stable_within_an_export_and_different_across(data, mikko):
    first = read_zip(evaluation_package_export(actor=mikko, purpose=PURPOSE).content)
    second = read_zip(evaluation_package_export(actor=mikko, purpose=PURPOSE).content)

    def clients(files: dict[str, str]) -> set[str]:
        return {row[0] for row in csv_rows(files["data/clients.csv"])[1:]}

    def path_clients(files: dict[str, str]) -> set[str]:
        return {row[1] for row in csv_rows(files["data/paths.csv"])[1:]}

    # Within one package every path's client is one of its clients (the files join) ...
    assert path_clients(first) <= clients(first)
    assert len(clients(first)) == 6
    # ... and no pseudonym, of a client or a path, is shared by two packages.
    assert not clients(first) & clients(second)
    assert not {r[0] for r in csv_rows(first["data/paths.csv"])[1:]} & {
        r[0] for r in csv_rows(second["data/paths.csv"])[1:]
    }
    assert (
        json.loads(first["datapackage.json"])["id"] != json.loads(second["datapackage.json"])["id"]
    )


@pytest.mark.django_db
def test_no_identifier_birth_date_exact_date_or_free_text_in_any_file(data, mikko):
    files = read_zip(evaluation_package_export(actor=mikko, purpose=PURPOSE).content)
    assert sorted(files) == sorted(["datapackage.json", *(t.path for t in TABLES)])
    cells = [
        cell
        for name, text in files.items()
        if name.endswith(".csv")
        for row in csv_rows(text)
        for cell in row
    ]
    assert len(cells) > 100
    everything = "\n".join([*cells, files["datapackage.json"]]).casefold()
    identifiers = {dataset.SARI_HETU, dataset.SARI_HETU.replace("-", ""), "170590", "998d"}
    names = {"sari", "esimerkki", "asiakas2", "testi", "poistettu", "vieras", "olli", "eero"}
    names |= {"varasto", "varastotyö", "työkokeilupaikka", "lähettäjän"}
    dates = {"1990-05-17", "17.5.1990", "17.05.1990", "2006-01-02", "1960-02-01"}
    ids = {str(c.id) for c in data.clients} | {str(c.id) for c in Case.objects.all()}
    ids |= {c.id.hex for c in data.clients}
    for secret in identifiers | names | dates | ids | {dataset.FREE_TEXT, "vapaa"}:
        assert not re.search(rf"\b{re.escape(secret.casefold())}\b", everything), secret
    # No exact date or time anywhere: the only dates are months.
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{2}:\d{2}", everything)
    for cell in cells:
        assert not re.fullmatch(r"[0-9a-f]{32}|[0-9a-f-]{36}", cell), cell


@pytest.mark.django_db
def test_package_validates_with_frictionless(data, mikko, tmp_path: Path):
    frictionless = pytest.importorskip("frictionless")
    content = evaluation_package_export(actor=mikko, purpose=PURPOSE).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    assert [resource.name for resource in package.resources] == [t.name for t in TABLES]
    clients = package.get_resource("clients")
    assert clients.schema.primary_key == ["client"]
    assert package.get_resource("paths").schema.foreign_keys == [
        {"fields": ["client"], "reference": {"resource": "clients", "fields": ["client"]}}
    ]


@pytest.mark.django_db
def test_frictionless_catches_a_broken_package(data, tmp_path: Path):
    """The validation in the test above can fail: a path pointing to no client, a day instead of
    a month and an unknown code are each reported."""
    frictionless = pytest.importorskip("frictionless")
    package = built(data)
    paths = cast(list[list[str]], package.tables["paths"])
    paths[0][1] = "0" * 16
    paths[1][4] = "2025-03-10"
    paths[2][2] = "by_pigeon"
    descriptor = datapackage_descriptor(TABLES, organisation="Testi", month="2026-12")
    with zipfile.ZipFile(io.BytesIO(package_zip(package, descriptor, made=_made()))) as archive:
        archive.extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    types = {error[0] for error in report.flatten(["type"])}
    assert {"foreign-key", "type-error", "constraint-error"} <= types


def _made() -> dt.date:
    return dt.date(2026, 12, 4)


@pytest.mark.django_db
def test_query_count_constant_in_data_size(data, aino):
    StaffFactory.create(organisation=data.county, role=Role.NURSE)
    connection = connections[reporting_db()]
    with CaptureQueriesContext(connection) as small:
        package = built(data)  # the streamed tables are read while building
    assert package.clients == 6
    dataset.add_clients(data.employment, data.county, aino, 12)
    with CaptureQueriesContext(connection) as large:
        package = built(data)
    assert package.clients == 18
    assert len(list(package.rows("path_events"))) == 7 + 5 + 12
    assert len(large.captured_queries) == len(small.captured_queries) <= 14


@pytest.mark.django_db
def test_a_client_outside_the_package_takes_their_records_with_them(data):
    """A score of a client with no path or period here is not in the package (nor its client)."""
    dataset.score(data.foreign_client, data.employment, dataset.day(2025, 5, 5), "4", "poor")
    tables = files(built(data))
    assert len(tables["instrument_responses"]) == 2
    assert {row[1] for row in tables["instrument_responses"]} == {token("client", data.sari.id)}
    assert token("client", data.foreign_client.id) not in {row[0] for row in tables["clients"]}
