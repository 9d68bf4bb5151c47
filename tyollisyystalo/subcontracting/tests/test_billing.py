"""Invoice arithmetic: reference numbers against published examples, VAT as a treatment with
its legal basis, amounts per line, and the household deduction's estimate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum import iso11649

from tyollisyystalo.rules.parameters import DateOutOfRange
from tyollisyystalo.subcontracting import billing
from tyollisyystalo.subcontracting.billing import LABOUR, MATERIALS, TRAVEL, Line


@pytest.mark.parametrize(
    ("base", "reference"),
    [
        ("123", "1232"),  # Finanssiala's guide
        ("1234567", "12345672"),
        ("100", "1009"),
        ("234823", "2348236"),
        ("1000000000000000000", "10000000000000000003"),  # 19 digits, the longest base
    ],
)
def test_finnish_reference_numbers(base, reference):
    assert billing.reference_number(base) == reference
    assert billing.reference_valid(reference)
    wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    assert not billing.reference_valid(wrong)


@pytest.mark.parametrize("base", ["12", "12a", "", "12345678901234567890", "١٢٣"])
def test_a_reference_base_is_three_to_nineteen_digits(base):
    with pytest.raises(billing.ReferenceNumberError):
        billing.reference_number(base)


def test_rf_references_match_published_examples():
    # ISO 11649's own example and the Finnish banks' example of the RF form.
    assert billing.rf_of("539007547034") == "RF18539007547034"
    assert billing.rf_grouped(billing.rf_of("539007547034")) == "RF18 5390 0754 7034"
    assert billing.rf_reference("2348236") == "RF332348236"
    for base in ("123", "98765", "1000000000000000000"):
        assert iso11649.is_valid(billing.rf_reference(billing.reference_number(base)))
    with pytest.raises(billing.ReferenceNumberError):
        billing.rf_reference("2348237")


def test_grouped_in_fives_from_the_right():
    assert billing.grouped("12345672") == "123 45672"
    assert billing.grouped("1232") == "1232"


def test_the_pilots_sale_is_exempt_not_zero_rated():
    vat = billing.vat_treatment(dt.date(2026, 6, 1))
    assert vat.category == "E"
    assert vat.exempt
    assert vat.rate == 0
    assert vat.exemption_code == "VATEX-EU-132-1G"
    assert billing.hour_price_cents(dt.date(2026, 6, 1)) == 3500


def test_line_amounts_and_totals_exempt_and_taxed():
    lines = [
        Line(LABOUR, Decimal("7.5"), 3500),
        Line(MATERIALS, Decimal(1), 4990),
        Line(TRAVEL, Decimal(24), 57),
    ]
    exempt = billing.invoice_totals(lines, billing.vat_treatment(dt.date(2026, 6, 1)))
    assert [a.net_cents for a in exempt.lines] == [26250, 4990, 1368]
    assert exempt.vat_cents == 0
    assert exempt.gross_cents == 26250 + 4990 + 1368
    assert exempt.labour_gross_cents == 26250
    standard = billing.VatTreatment("S", Decimal("25.5"), "")
    taxed = billing.invoice_totals(lines, standard)
    # 262.50 × 25.5 % = 66.9375 → 66.94; 49.90 → 12.7245 → 12.72; 13.68 → 3.4884 → 3.49
    assert [a.vat_cents for a in taxed.lines] == [6694, 1272, 349]
    assert taxed.vat_cents == 6694 + 1272 + 349
    assert taxed.labour_gross_cents == 26250 + 6694
    with pytest.raises(ValueError, match="unknown line kind"):
        billing.line_amounts(Line("voucher", Decimal(1), 100), standard)


@pytest.mark.parametrize(
    ("labour_euros", "deduction_euros"),
    [
        (0, 0),
        (300, 0),  # 35 % of 300 = 105 < the own share 150
        (1000, 200),  # 350 - 150
        (5000, 1600),  # 1,750 - 150 = 1,600: the maximum is reached at 5,000 €
        (12000, 1600),
        (Decimal("428.57"), 0),  # 150.00 - 150
        (Decimal("428.60"), Decimal("0.01")),  # 150.01 - 150
    ],
)
def test_household_deduction_estimate_2025_and_after(labour_euros, deduction_euros):
    cents = int(Decimal(labour_euros) * 100)
    for year in (2025, 2026):
        estimate = billing.household_deduction_estimate(cents, year)
        assert estimate.deduction_cents == int(Decimal(deduction_euros) * 100)
        assert estimate.percent == 35
        assert estimate.yearly_max_cents == 160000
        assert estimate.own_share_cents == 15000


def test_years_before_the_modelled_parameters_are_refused_not_guessed():
    with pytest.raises(DateOutOfRange):
        billing.household_deduction_estimate(100000, 2024)
    with pytest.raises(DateOutOfRange):
        billing.vat_treatment(dt.date(2020, 12, 31))


def test_a_ruling_switches_the_service_to_the_standard_rate_by_a_dated_parameter(tmp_path):
    from tyollisyystalo.rules.parameters import load_directory, params_of
    from tyollisyystalo.subcontracting.parameters import PARAMETER_DIR

    text = (PARAMETER_DIR / "invoicing.toml").read_text(encoding="utf-8")
    ruled = text.replace(
        '[[parameters.vat_treatment]]\nfrom = 2021-01-01\nvalue = "exempt"',
        '[[parameters.vat_treatment]]\nfrom = 2021-01-01\nto = 2026-12-31\nvalue = "exempt"',
    ).replace(
        "[[parameters.standard_vat_rate_percent]]\nfrom = 2021-01-01",
        '[[parameters.vat_treatment]]\nfrom = 2027-01-01\nvalue = "standard"\n'
        'source = { act = "1501/1993", section = "37 §", note = "the tax office\'s ruling" }\n\n'
        "[[parameters.standard_vat_rate_percent]]\nfrom = 2021-01-01",
        1,
    )
    assert ruled != text
    (tmp_path / "invoicing.toml").write_text(ruled, encoding="utf-8")
    definition = load_directory(tmp_path)["subcontracting_invoicing"]
    assert params_of(definition, dt.date(2026, 12, 31)).vat_treatment == "exempt"
    assert params_of(definition, dt.date(2027, 1, 1)).vat_treatment == "standard"
    assert params_of(definition, dt.date(2027, 1, 1)).standard_vat_rate_percent == "25.5"
