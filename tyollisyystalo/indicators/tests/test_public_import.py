"""import_public_indicators: the ministry-shaped CSV, every bad row reported, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient

from conftest import StaffFactory, login
from tyollisyystalo.indicators.demo import DEMO_CSV, seed_indicators
from tyollisyystalo.indicators.models import (
    IndicatorGoal,
    PublicIndicatorImport,
    PublicIndicatorValue,
)
from tyollisyystalo.indicators.periods import parse_period
from tyollisyystalo.indicators.selectors import IndicatorValue, indicator_values
from tyollisyystalo.indicators.tests.conftest import World
from tyollisyystalo.staff.roles import Role

GOOD = """alue;kuukausi;tunnusluku;arvo
KUX01;2026M01;TYOTTOMAT;120
X01;2026M02;TYOTTOMAT;110
X02;2026-02;TYOTTOMAT;40
X01;2026M03;AKTIVOINTIASTE;31,5
X02;2026M03;PITKAAIKAISTYOTTOMAT;3
"""


def figure(world: World, key: str, municipality: str | None) -> list[IndicatorValue]:
    return indicator_values(
        key,
        organisation_id=world.own.pk,
        municipality_code=municipality,
        periods=[parse_period("2026-Q1")],
        using="default",
    )


def run(tmp_path: Path, text: str, date: str = "2026-04-10") -> None:
    path = tmp_path / "tilasto.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_public_indicators", str(path), "--date", date, "--source", "TEM testi")


@pytest.mark.django_db
def test_import_and_figures_with_source_and_date(world: World, tmp_path: Path) -> None:
    run(tmp_path, GOOD)
    assert PublicIndicatorValue.objects.count() == 5
    batch = PublicIndicatorImport.objects.get()
    assert (batch.source, batch.published_on, batch.rows) == ("TEM testi", dt.date(2026, 4, 10), 5)
    [x01] = figure(world, "unemployed_jobseekers", "X01")
    assert x01.value == Decimal(110)  # the quarter's last month with a figure (February)
    assert (x01.source, x01.source_date) == ("TEM testi", dt.date(2026, 4, 10))
    [total] = figure(world, "unemployed_jobseekers", None)
    assert total.value == Decimal(150)  # X01 110 + X02 40
    [rate] = figure(world, "activation_rate", "X01")
    assert rate.value == Decimal("31.5")
    [small] = figure(world, "long_term_unemployed", "X02")
    assert str(small.figure) == "< 5"
    assert small.suppressed  # 3 people: a small number even in public statistics


@pytest.mark.django_db
def test_a_later_import_replaces_the_same_figure(world: World, tmp_path: Path) -> None:
    run(tmp_path, GOOD)
    run(tmp_path, "alue;kuukausi;tunnusluku;arvo\nX01;2026M02;TYOTTOMAT;115\n", "2026-05-10")
    assert PublicIndicatorValue.objects.count() == 5
    assert PublicIndicatorValue.objects.get(
        month=dt.date(2026, 2, 1), indicator="unemployed_jobseekers", municipality__code="X01"
    ).value == Decimal(115)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("X09;2026M01;TYOTTOMAT;5", "Rivi 3: tuntematon kunta ”X09”."),
        ("X01;2026M13;TYOTTOMAT;5", "Rivi 3: kuukausi ”2026M13” ei ole muotoa 2026M05."),
        ("X01;2026M01;TYOLLISET;5", "Rivi 3: tuntematon tunnusluku ”TYOLLISET”."),
        ("X01;2026M01;TYOTTOMAT;..", "Rivi 3: arvo ”..” ei ole luku."),
        ("X01;2026M01;TYOTTOMAT;-4", "Rivi 3: arvo -4 on sallitun alueen ulkopuolella."),
        ("X01;2026M01;AKTIVOINTIASTE;101", "Rivi 3: arvo 101 on sallitun alueen ulkopuolella."),
        ("X01;2026M01;TYOTTOMAT;5,5", "Rivi 3: lukumäärän pitää olla kokonaisluku."),
        ("X01;2026M01;TYOTTOMAT", "Rivi 3: sarakkeita on liian vähän."),
        ("X01;2026M01;TYOTTOMAT;7", "Rivi 3: sama kunta, kuukausi ja tunnusluku kuin rivillä 2."),
    ],
)
def test_a_bad_row_imports_nothing(world: World, tmp_path: Path, line: str, message: str) -> None:
    text = f"alue;kuukausi;tunnusluku;arvo\nX01;2026M01;TYOTTOMAT;120\n{line}\n"
    with pytest.raises(CommandError) as error:
        run(tmp_path, text)
    assert message in str(error.value)
    assert not PublicIndicatorValue.objects.exists()
    assert not PublicIndicatorImport.objects.exists()


@pytest.mark.django_db
def test_missing_columns_bad_date_and_unreadable_file(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Sarakkeet puuttuvat: arvo"):
        run(tmp_path, "alue;kuukausi;tunnusluku\nX01;2026M01;TYOTTOMAT\n")
    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD"):
        run(tmp_path, GOOD, "10.4.2026")
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command(
            "import_public_indicators", str(tmp_path / "binary.csv"), "--date", "2026-01-01"
        )
    assert not PublicIndicatorImport.objects.exists()


@pytest.mark.django_db
def test_demo_goals_and_figures(world: World, client: HttpClient) -> None:
    assert seed_indicators(today=dt.date(2026, 12, 4)) == 12  # 4 goals × 3 years
    seed_indicators(today=dt.date(2026, 12, 4))  # again: nothing added
    goals = {
        g.indicator: g.target
        for g in IndicatorGoal.objects.filter(period_start=dt.date(2026, 1, 1))
    }
    # Seed 002: 8,5 – 35 % – 28 % – 3,6
    assert goals == {
        "client_satisfaction": Decimal("8.5"),
        "client_activation": Decimal(35),
        "placed_in_working_life": Decimal(28),
        "cooperation": Decimal("3.6"),
    }
    assert IndicatorGoal.objects.count() == 12
    assert PublicIndicatorImport.objects.get().file_name == DEMO_CSV.name
    login(client, StaffFactory.create(organisation=world.own, role=Role.MANAGER))
    body = client.get("/johtaminen/mittarit/?jakso=2026-Q3").content.decode()
    assert "(8,5)" in body  # client satisfaction's goal with its one decimal
    assert "(3,6)" in body  # cooperation's
    assert (
        "Tuotu: Työ- ja elinkeinoministeriö, työnvälitystilasto (demoaineisto), tilasto 24.11.2026."
        in body
    )
