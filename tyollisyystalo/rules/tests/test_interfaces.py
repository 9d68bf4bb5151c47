"""The REST endpoint and the batch command: answers and error handling."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.urls import reverse

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.rules import screening
from tyollisyystalo.rules.screening import screen


def url(rule):
    return reverse("v1:rule-evaluate", kwargs={"rule_id": rule})


@pytest.fixture
def api(aino):
    http = HttpClient()
    login(http, aino)
    return http


def post(api, rule, body, **extra):
    return api.post(url(rule), json.dumps(body), content_type="application/json", **extra)


@pytest.mark.django_db
def test_api_evaluates_and_explains(api):
    response = post(
        api,
        "activation_plan_target_group",
        {
            "on": "2024-06-01",
            "facts": {
                "birth_date": "1980-01-01",
                "has_employment_plan": True,
                "labour_market_subsidy_days_total": 520,
            },
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["decision"] == "yes"
    assert data["on"] == "2024-06-01"
    assert any(
        r["condition"] == "adult_labour_market_subsidy" and r["met"] for r in data["reasons"]
    )
    assert {"act": "189/2001", "section": "3 § 2 mom. 1 kohta", "amended_by": "1384/2021"} in data[
        "sources"
    ]
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_api_texts_follow_the_language(api):
    response = post(
        api,
        "plan_deadlines",
        {"on": "2025-01-01", "facts": {"mapping_start_date": "2024-12-30"}},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.json()["values"]["mapping_period_end_falls_on"] == "Sunday"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "body", "status", "field"),
    [
        ("no_such_rule", {"on": "2024-01-01", "facts": {}}, 404, None),
        ("pay_subsidy", {"on": "2024-02-30", "facts": {}}, 400, "on"),
        ("pay_subsidy", {"facts": {}}, 400, "on"),
        (
            "pay_subsidy",
            {"on": "2024-01-01", "facts": {"pay_subsidy_ground": "lottery"}},
            400,
            "facts",
        ),
        ("pay_subsidy", {"on": "2024-01-01", "facts": {"birth_date": 19800101}}, 400, "facts"),
        (
            "pay_subsidy",
            {"on": "2024-01-01", "facts": {"unemployed_months_last_14": "12"}},
            400,
            "facts",
        ),
        ("pay_subsidy", {"on": "2024-01-01", "facts": {"shoe_size": 44}}, 400, "facts"),
        ("pay_subsidy", {"on": "2024-01-01", "facts": []}, 400, "facts"),
        ("pay_subsidy", {"on": "1999-01-01", "facts": {}}, 400, "on"),
    ],
)
def test_api_refuses_bad_input_with_4xx(api, rule, body, status, field):
    response = post(api, rule, body)
    assert response.status_code == status
    if field:
        assert field in response.json()


@pytest.mark.django_db
def test_api_fact_errors_are_in_the_users_language(api):
    response = post(
        api,
        "pay_subsidy",
        {"on": "2024-01-01", "facts": {"unemployed_months_last_14": -1}},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["facts"]["unemployed_months_last_14"] == [
        "The value cannot be negative."
    ]


@pytest.mark.django_db
def test_api_needs_a_logged_in_staff_member():
    response = HttpClient().post(url("pay_subsidy"), "{}", content_type="application/json")
    assert response.status_code in {401, 403}


def run(tmp_path, *args, data="", name="in.jsonl"):
    source = tmp_path / name
    source.write_text(data, encoding="utf-8")
    target = tmp_path / "out.jsonl"
    err = io.StringIO()
    call_command(
        "screen_population",
        *args,
        "--input",
        str(source),
        "--output",
        str(target),
        "--workers",
        "1",
        stderr=err,
    )
    return [json.loads(line) for line in target.read_text().splitlines()], err.getvalue()


def test_cli_screens_jsonl_and_reports_bad_rows(tmp_path):
    data = "\n".join(
        [
            json.dumps(
                {
                    "id": "a",
                    "facts": {
                        "birth_date": "1980-01-01",
                        "has_employment_plan": True,
                        "labour_market_subsidy_days_total": 600,
                    },
                }
            ),
            "{not json",
            json.dumps({"id": "c", "facts": {"birth_date": "1980-02-30"}}),
            json.dumps({"id": "d", "facts": {"social_assistance_main_income_months": 12}}),
        ]
    )
    rows, summary = run(
        tmp_path, "--rule", "activation_plan_target_group", "--on", "2024-06-01", data=data
    )
    assert [r["id"] for r in rows] == ["a", 2, "c", "d"]
    assert rows[0]["decision"] == "yes"
    assert rows[0]["rule"] == "activation_plan_target_group"
    assert set(rows[0]) == {
        "id",
        "rule",
        "on",
        "decision",
        "missing_facts",
        "reasons",
        "sources",
        "values",
    }
    assert "error" in rows[1]
    assert rows[2]["error"]["facts"] == {"birth_date": "Päivämäärän muoto on VVVV-KK-PP."}
    assert rows[3]["decision"] == "unknown"
    assert "has_employment_plan" in rows[3]["missing_facts"]
    assert "4 rows: 1 yes, 0 no, 1 unknown, 2 with errors" in summary


def test_cli_reads_csv_with_empty_cells_as_unknown(tmp_path):
    data = "id,birth_date,unemployed_months_last_28\np1,1960-01-01,24\np2,,26\np3,1960-01-01,many\n"
    rows, _ = run(
        tmp_path, "--rule", "employment_support_55", "--on", "2024-01-01", data=data, name="in.csv"
    )
    assert [r.get("decision") for r in rows] == ["yes", "unknown", None]
    assert rows[2]["error"]["facts"]["unemployed_months_last_28"]


@pytest.mark.parametrize(
    ("args", "data", "name", "message"),
    [
        (["--rule", "nope", "--on", "2024-01-01"], "", "in.jsonl", "Unknown rule"),
        (["--rule", "pay_subsidy", "--on", "1.1.2024"], "", "in.jsonl", "YYYY-MM-DD"),
        (["--rule", "pay_subsidy", "--on", "1990-01-01"], "", "in.jsonl", "modelled from"),
        (
            ["--rule", "pay_subsidy", "--on", "2024-01-01"],
            "id,shoe_size\n1,44\n",
            "in.csv",
            "shoe_size",
        ),
    ],
)
def test_cli_stops_only_for_unusable_input(tmp_path, args, data, name, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, *args, data=data, name=name)


def test_cli_parallel_output_keeps_input_order(tmp_path):
    lines = [
        json.dumps(
            {"id": i, "facts": {"obligation_arose_on": "2024-09-01" if i % 2 else "2024-09-02"}}
        )
        for i in range(12000)
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines))
    target = tmp_path / "out.jsonl"
    call_command(
        "screen_population",
        "--rule",
        "obligation_employment",
        "--on",
        "2025-01-01",
        "--input",
        str(source),
        "--output",
        str(target),
        "--workers",
        "2",
        stderr=io.StringIO(),
    )
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in rows] == list(range(12000))
    assert [r["decision"] for r in rows[:2]] == ["no", "yes"]


def _screen_file(tmp_path, data: str, *, workers: int, detail: str = "full") -> bytes:
    source = tmp_path / "in.jsonl"
    source.write_text(data)
    target = tmp_path / f"out-{workers}-{detail}.jsonl"
    with source.open("rb") as inp, target.open("wb") as out:
        screen(
            rule_id="activation_plan_target_group",
            on=dt.date(2025, 6, 1),
            source=inp,
            target=out,
            kind="jsonl",
            workers=workers,
            detail=detail,
        )
    return target.read_bytes()


def test_workers_write_the_same_bytes_in_the_same_order_as_one_process(tmp_path, monkeypatch):
    # Small blocks: many of them, a line longer than a block, bad rows with their line numbers.
    monkeypatch.setattr(screening, "BLOCK_BYTES", 700)
    rows = [
        json.dumps({"id": i, "facts": {"social_assistance_main_income_months": i % 20}})
        for i in range(400)
    ]
    rows[7] = "{broken"
    rows[50] = json.dumps({"facts": {"has_employment_plan": "maybe"}})
    rows[90] = json.dumps({"id": "long", "facts": {}, "padding": "x" * 2000})
    rows[120] = ""
    data = "\n".join(rows)  # no newline after the last line
    one = _screen_file(tmp_path, data, workers=1)
    two = _screen_file(tmp_path, data, workers=2)
    assert one == two
    lines = [json.loads(line) for line in one.splitlines()]
    assert len(lines) == 399  # the empty line is skipped
    assert lines[7]["error"]["line"] == 8
    assert lines[50]["id"] == 51
    assert lines[50]["error"]["facts"]["has_employment_plan"]
    assert lines[90]["id"] == "long"


def test_decision_detail_gives_the_same_decisions_without_reasons(tmp_path):
    rows = [
        json.dumps(
            {
                "id": i,
                "facts": {
                    "birth_date": f"{1960 + i % 45}-03-01",
                    "has_employment_plan": bool(i % 3),
                    "labour_market_subsidy_days_total": i * 7 % 900,
                },
            }
        )
        for i in range(300)
    ]
    data = "\n".join(rows) + "\n"
    full = [json.loads(line) for line in _screen_file(tmp_path, data, workers=2).splitlines()]
    quick = [
        json.loads(line)
        for line in _screen_file(tmp_path, data, workers=2, detail="decision").splitlines()
    ]
    assert set(quick[0]) == {"id", "rule", "on", "decision", "missing_facts", "values"}
    for a, b in zip(full, quick, strict=True):
        assert (a["id"], a["decision"], a["missing_facts"]) == (
            b["id"],
            b["decision"],
            b["missing_facts"],
        )
