"""The Finvoice 3.0 message: element order as the XSD's sequences give it, totals, VAT, credit
notes, payment references, number and date formats, and escaping."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal

import pytest

from tyollisyystalo.subcontracting import billing
from tyollisyystalo.subcontracting.billing import LABOUR, MATERIALS, TRAVEL, Line, VatTreatment
from tyollisyystalo.subcontracting.documents import DocumentLine, InvoiceDocument, Party
from tyollisyystalo.subcontracting.finvoice import FinvoiceError, finvoice_xml

# The sequences of Finvoice3.0.xsd (the elements this writer uses, in the schema's order).
ROOT_SEQUENCE = [
    "MessageTransmissionDetails",
    "SellerPartyDetails",
    "SellerOrganisationUnitNumber",
    "SellerCommunicationDetails",
    "SellerInformationDetails",
    "BuyerPartyDetails",
    "BuyerOrganisationUnitNumber",
    "BuyerCommunicationDetails",
    "InvoiceDetails",
    "InvoiceRow",
    "EpiDetails",
]
DETAILS_SEQUENCE = [
    "InvoiceTypeCode",
    "InvoiceTypeCodeUN",
    "InvoiceTypeText",
    "OriginCode",
    "InvoiceNumber",
    "InvoiceDate",
    "OriginalInvoiceNumber",
    "OriginalInvoiceDate",
    "OriginalInvoiceReference",
    "InvoicingPeriodStartDate",
    "InvoicingPeriodEndDate",
    "OrderIdentifier",
    "RowsTotalVatExcludedAmount",
    "InvoiceTotalVatExcludedAmount",
    "InvoiceTotalVatAmount",
    "InvoiceTotalVatIncludedAmount",
    "VatSpecificationDetails",
    "InvoiceFreeText",
    "PaymentTermsDetails",
]
ROW_SEQUENCE = [
    "ArticleName",
    "DeliveredQuantity",
    "InvoicedQuantity",
    "UnitPriceAmount",
    "RowPositionIdentifier",
    "RowDeliveryDate",
    "RowVatRatePercent",
    "RowVatCode",
    "RowVatAmount",
    "RowVatExcludedAmount",
    "RowAmount",
]
VAT_SEQUENCE = [
    "VatBaseAmount",
    "VatRatePercent",
    "VatCode",
    "VatRateAmount",
    "VatFreeText",
    "VatExemptionReasonCode",
]
PAYMENT_SEQUENCE = [
    "EpiRemittanceInfoIdentifier",
    "EpiInstructedAmount",
    "EpiCharge",
    "EpiDateOptionDate",
    "EpiPaymentMeansCode",
]
SELLER_SEQUENCE = [
    "SellerPartyIdentifier",
    "SellerOrganisationName",
    "SellerOrganisationTaxCode",
    "SellerPostalAddressDetails",
]

EXEMPTION_TEXT = (
    "Arvonlisäverosta vapaa sosiaalihuollon palvelu, arvonlisäverolaki 37 §; "
    "direktiivi 2006/112/EY 132 artiklan 1 kohdan g alakohta"
)

SELLER = Party(
    name="Etelä-Karjalan hyvinvointialue",
    street="Valto Käkelän katu 3",
    postcode="53130",
    city="Lappeenranta",
    business_id="3221318-1",
    vat_number="FI32213181",
    e_invoice_address="003732213181",
    e_invoice_operator="003703575029",
    email="laskutus@example.fi",
)
CITY = Party(
    name="Lappeenrannan kaupunki",
    street="PL 11",
    postcode="53101",
    city="Lappeenranta",
    business_id="0201256-6",
    vat_number="FI02012566",
    e_invoice_address="003702012566",
    e_invoice_operator="003721291126",
)


def _line(kind, description, quantity, unit, price, vat, work_date=None) -> DocumentLine:
    amounts = billing.line_amounts(Line(kind, Decimal(quantity), price), vat)
    return DocumentLine(
        kind,
        description,
        Decimal(quantity),
        unit,
        price,
        amounts.net_cents,
        amounts.vat_cents,
        work_date,
    )


def _document(vat: VatTreatment, *, number="2026-0042", **changes) -> InvoiceDocument:
    lines = (
        _line(LABOUR, "Pihatyöt", "7.5", "HUR", 3500, vat, dt.date(2026, 11, 20)),
        _line(MATERIALS, "Multa 40 l", "3", "C62", 690, vat),
        _line(TRAVEL, "Matkat", "42", "KMT", 57, vat, dt.date(2026, 11, 20)),
    )
    net = sum(line.net_cents for line in lines)
    tax = sum(line.vat_cents for line in lines)
    reference = billing.reference_number("20260042")
    exempt = vat.category == "E"
    doc = InvoiceDocument(
        number=number,
        issued_on=dt.date(2026, 12, 4),
        due_on=dt.date(2026, 12, 18),
        delivered_from=dt.date(2026, 11, 1),
        delivered_to=dt.date(2026, 11, 30),
        reference=reference,
        rf_reference=billing.rf_reference(reference),
        seller=SELLER,
        buyer=CITY,
        seller_iban="FI21 1234 5600 0007 85",
        seller_bic="NDEAFIHH",
        lines=lines,
        net_cents=net,
        vat_cents=tax,
        gross_cents=net + tax,
        vat_category=vat.category,
        vat_rate=vat.rate,
        vat_exemption_code=vat.exemption_code,
        vat_exemption_text=EXEMPTION_TEXT if exempt else "",
        late_interest_text="Viivästyskorko korkolain mukaan (viitekorko + 8 prosenttiyksikköä)",
        order_reference="TILAUS-778",
    )
    return replace(doc, **changes)


EXEMPT = VatTreatment("E", Decimal(0), billing.EXEMPTION_CODE)
STANDARD = VatTreatment("S", Decimal("25.5"), "")


def _credit_note(invoice: InvoiceDocument) -> InvoiceDocument:
    lines = tuple(
        replace(line, quantity=-line.quantity, net_cents=-line.net_cents, vat_cents=-line.vat_cents)
        for line in invoice.lines
    )
    return replace(
        invoice,
        number="2026-0043",
        issued_on=dt.date(2026, 12, 10),
        due_on=dt.date(2026, 12, 10),
        lines=lines,
        net_cents=-invoice.net_cents,
        vat_cents=-invoice.vat_cents,
        gross_cents=-invoice.gross_cents,
        credit_note_for=invoice.number,
        credit_note_for_date=invoice.issued_on,
    )


def _parse(doc: InvoiceDocument) -> ET.Element:
    return ET.fromstring(finvoice_xml(doc))


def _one(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    assert found is not None, path
    return found


def _text(element: ET.Element, path: str) -> str:
    return _one(element, path).text or ""


def _tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def _assert_in_sequence(element: ET.Element, sequence: list[str]) -> None:
    tags = _tags(element)
    assert set(tags) <= set(sequence), set(tags) - set(sequence)
    positions = [sequence.index(tag) for tag in tags]
    assert positions == sorted(positions), tags


def _cents(text: str) -> int:
    assert re.fullmatch(r"-?[0-9]{1,15},[0-9]{2}", text), text
    return int(text.replace(",", ""))


def test_root_and_version_and_declaration():
    data = finvoice_xml(_document(EXEMPT))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Finvoice Version="3.0">')
    assert b"ISO-8859" not in data
    root = ET.fromstring(data)
    assert root.tag == "Finvoice"
    assert root.attrib == {"Version": "3.0"}


def test_top_level_sequence_of_an_invoice_to_a_city():
    root = _parse(_document(EXEMPT))
    assert _tags(root) == [
        "MessageTransmissionDetails",
        "SellerPartyDetails",
        "SellerOrganisationUnitNumber",
        "SellerCommunicationDetails",
        "SellerInformationDetails",
        "BuyerPartyDetails",
        "BuyerOrganisationUnitNumber",
        "InvoiceDetails",
        "InvoiceRow",
        "InvoiceRow",
        "InvoiceRow",
        "EpiDetails",
    ]
    _assert_in_sequence(root, ROOT_SEQUENCE)


@pytest.mark.parametrize("kind", ["exempt", "credit", "standard"])
def test_inner_sequences_follow_the_schema(kind):
    invoice = _document(STANDARD if kind == "standard" else EXEMPT)
    root = _parse(_credit_note(invoice) if kind == "credit" else invoice)
    _assert_in_sequence(root, ROOT_SEQUENCE)
    _assert_in_sequence(_one(root, "SellerPartyDetails"), SELLER_SEQUENCE)
    _assert_in_sequence(_one(root, "InvoiceDetails"), DETAILS_SEQUENCE)
    _assert_in_sequence(_one(root, "InvoiceDetails/VatSpecificationDetails"), VAT_SEQUENCE)
    for row in root.findall("InvoiceRow"):
        _assert_in_sequence(row, ROW_SEQUENCE)
    assert _tags(_one(root, "EpiDetails")) == [
        "EpiIdentificationDetails",
        "EpiPartyDetails",
        "EpiPaymentInstructionDetails",
    ]
    assert _tags(_one(root, "EpiDetails/EpiPartyDetails")) == [
        "EpiBfiPartyDetails",
        "EpiBeneficiaryPartyDetails",
    ]
    _assert_in_sequence(_one(root, ".//EpiPaymentInstructionDetails"), PAYMENT_SEQUENCE)


def test_transmission_frame_and_parties():
    root = _parse(_document(EXEMPT))
    frame = _one(root, "MessageTransmissionDetails")
    assert _text(frame, "MessageSenderDetails/FromIdentifier") == "003732213181"
    assert _one(frame, "MessageSenderDetails/FromIdentifier").get("SchemeID") == "0216"
    assert _text(frame, "MessageSenderDetails/FromIntermediator") == "003703575029"
    assert _text(frame, "MessageReceiverDetails/ToIdentifier") == "003702012566"
    assert _text(frame, "MessageReceiverDetails/ToIntermediator") == "003721291126"
    assert _text(frame, "MessageDetails/MessageIdentifier") == "2026-0042"
    assert _text(frame, "MessageDetails/MessageTimeStamp") == "2026-12-04T00:00:00"
    assert _text(root, "SellerPartyDetails/SellerPartyIdentifier") == "3221318-1"
    assert _text(root, "SellerPartyDetails/SellerOrganisationTaxCode") == "FI32213181"
    assert _text(root, ".//SellerAccountID") == "FI2112345600000785"
    assert _one(root, ".//SellerAccountID").get("IdentificationSchemeName") == "IBAN"
    assert _text(root, ".//SellerBic") == "NDEAFIHH"
    assert _text(root, "BuyerPartyDetails/BuyerPartyIdentifier") == "0201256-6"
    assert _text(root, "BuyerPartyDetails/BuyerOrganisationName") == "Lappeenrannan kaupunki"
    assert _text(root, ".//BuyerPostalAddressDetails/BuyerTownName") == "Lappeenranta"
    assert _text(root, "BuyerOrganisationUnitNumber") == "003702012566"


def test_private_buyer_has_no_identifier_and_no_frame():
    person = Party(name="Maija Meikäläinen", street="Kotikatu 1", postcode="53100", city="Lpr")
    root = _parse(_document(EXEMPT, buyer=person))
    assert root.find("MessageTransmissionDetails") is None
    assert root.find("BuyerPartyDetails/BuyerPartyIdentifier") is None
    assert root.find("BuyerOrganisationUnitNumber") is None


def test_a_buyer_with_an_address_but_no_operator_is_refused():
    with pytest.raises(FinvoiceError, match="buyer's operator"):
        finvoice_xml(_document(EXEMPT, buyer=replace(CITY, e_invoice_operator="")))


@pytest.mark.parametrize("vat", [EXEMPT, STANDARD])
def test_rows_add_up_to_the_totals(vat):
    root = _parse(_document(vat))
    rows = root.findall("InvoiceRow")
    net = sum(_cents(_text(row, "RowVatExcludedAmount")) for row in rows)
    tax = sum(_cents(_text(row, "RowVatAmount")) for row in rows)
    gross = sum(_cents(_text(row, "RowAmount")) for row in rows)
    details = _one(root, "InvoiceDetails")
    assert _cents(_text(details, "RowsTotalVatExcludedAmount")) == net
    assert _cents(_text(details, "InvoiceTotalVatExcludedAmount")) == net
    assert _cents(_text(details, "InvoiceTotalVatAmount")) == tax
    assert _cents(_text(details, "InvoiceTotalVatIncludedAmount")) == gross == net + tax
    assert _cents(_text(details, "VatSpecificationDetails/VatBaseAmount")) == net
    assert _cents(_text(details, "VatSpecificationDetails/VatRateAmount")) == tax
    assert _cents(_text(root, ".//EpiInstructedAmount")) == gross


def test_exempt_invoice_amounts_and_vat():
    root = _parse(_document(EXEMPT))
    labour = root.findall("InvoiceRow")[0]
    assert _text(labour, "ArticleName") == "Pihatyöt"
    quantity = _one(labour, "DeliveredQuantity")
    assert quantity.text == "7,5"
    assert quantity.attrib == {"QuantityUnitCode": "h", "QuantityUnitCodeUN": "HUR"}
    assert _text(labour, "InvoicedQuantity") == "7,5"
    assert _text(labour, "UnitPriceAmount") == "35,00"
    assert _text(labour, "RowVatExcludedAmount") == "262,50"
    assert _text(labour, "RowAmount") == "262,50"
    assert _text(labour, "RowVatRatePercent") == "0"
    assert _text(labour, "RowVatCode") == "E"
    # 262,50 + 3 × 6,90 + 42 × 0,57 = 262,50 + 20,70 + 23,94
    assert _text(root, "InvoiceDetails/InvoiceTotalVatIncludedAmount") == "307,14"
    vat = _one(root, "InvoiceDetails/VatSpecificationDetails")
    assert _text(vat, "VatCode") == "E"
    assert _text(vat, "VatRatePercent") == "0"
    assert _text(vat, "VatExemptionReasonCode") == "VATEX-EU-132-1G"
    texts = [element.text or "" for element in vat.findall("VatFreeText")]
    assert 1 < len(texts) <= 3
    assert all(len(text) <= 70 for text in texts)
    assert " ".join(texts) == EXEMPTION_TEXT


def test_standard_rate_invoice():
    root = _parse(_document(STANDARD))
    vat = _one(root, "InvoiceDetails/VatSpecificationDetails")
    assert _text(vat, "VatCode") == "S"
    assert _text(vat, "VatRatePercent") == "25,5"
    assert vat.find("VatFreeText") is None
    assert vat.find("VatExemptionReasonCode") is None
    labour = _one(root, "InvoiceRow")
    assert _text(labour, "RowVatRatePercent") == "25,5"
    assert _text(labour, "RowVatCode") == "S"
    assert _text(labour, "RowVatAmount") == "66,94"  # 262,50 × 25,5 % = 66,9375
    assert _text(labour, "RowAmount") == "329,44"
    assert _text(vat, "VatRateAmount") == "78,32"  # 66,94 + 5,28 + 6,10


def test_invoice_and_credit_note_type_codes():
    invoice = _document(EXEMPT)
    details = _one(_parse(invoice), "InvoiceDetails")
    assert _text(details, "InvoiceTypeCode") == "INV01"
    assert _text(details, "InvoiceTypeText") == "LASKU"
    assert _text(details, "OriginCode") == "Original"
    assert details.find("OriginalInvoiceNumber") is None
    credit = _one(_parse(_credit_note(invoice)), "InvoiceDetails")
    assert _text(credit, "InvoiceTypeCode") == "INV02"
    assert _text(credit, "InvoiceTypeCodeUN") == "381"
    assert _text(credit, "InvoiceTypeText") == "HYVITYSLASKU"
    assert _text(credit, "InvoiceNumber") == "2026-0043"


def test_credit_note_names_the_credited_invoice_and_is_negative():
    root = _parse(_credit_note(_document(EXEMPT)))
    details = _one(root, "InvoiceDetails")
    assert _text(details, "OriginalInvoiceNumber") == "2026-0042"
    assert _text(details, "OriginalInvoiceDate") == "20261204"
    assert _text(details, "OriginalInvoiceReference/InvoiceNumber") == "2026-0042"
    assert _text(details, "OriginalInvoiceReference/InvoiceDate") == "20261204"
    assert _text(details, "InvoiceTotalVatIncludedAmount") == "-307,14"
    assert _text(root, "InvoiceRow/RowVatExcludedAmount") == "-262,50"
    assert _text(root, "InvoiceRow/DeliveredQuantity") == "-7,5"
    assert _text(root, ".//EpiInstructedAmount") == "-307,14"


def test_order_reference_period_and_payment_terms():
    details = _one(_parse(_document(EXEMPT)), "InvoiceDetails")
    assert _text(details, "OrderIdentifier") == "TILAUS-778"
    assert _text(details, "InvoicingPeriodStartDate") == "20261101"
    assert _text(details, "InvoicingPeriodEndDate") == "20261130"
    assert _text(details, "PaymentTermsDetails/InvoiceDueDate") == "20261218"
    assert _text(
        details, "PaymentTermsDetails/PaymentOverDueFineDetails/PaymentOverDueFineFreeText"
    ) == ("Viivästyskorko korkolain mukaan (viitekorko + 8 prosenttiyksikköä)")
    without = _one(_parse(_document(EXEMPT, order_reference="")), "InvoiceDetails")
    assert without.find("OrderIdentifier") is None


def test_dates_are_ccyymmdd():
    root = _parse(_document(EXEMPT))
    dates = [element for element in root.iter() if element.get("Format") is not None]
    assert {element.tag for element in dates} >= {
        "InvoiceDate",
        "InvoiceDueDate",
        "RowDeliveryDate",
        "EpiDate",
        "EpiDateOptionDate",
    }
    for element in dates:
        assert element.get("Format") == "CCYYMMDD"
        assert re.fullmatch(r"[0-9]{8}", element.text or ""), element.text
    assert _text(root, "InvoiceDetails/InvoiceDate") == "20261204"
    assert _text(root, ".//EpiDateOptionDate") == "20261218"
    rows = root.findall("InvoiceRow")
    assert _text(rows[0], "RowDeliveryDate") == "20261120"
    assert rows[1].find("RowDeliveryDate") is None  # materials without a work date


def test_amounts_use_a_decimal_comma_and_the_currency():
    root = _parse(_document(STANDARD))
    amounts = [element for element in root.iter() if "AmountCurrencyIdentifier" in element.attrib]
    assert len(amounts) > 10
    for element in amounts:
        assert element.get("AmountCurrencyIdentifier") == "EUR"
        assert re.fullmatch(r"-?[0-9]{1,15},[0-9]{2}", element.text or ""), element.text


def test_rf_reference_in_the_payment_order():
    doc = _document(EXEMPT)
    root = _parse(doc)
    remittance = _one(root, ".//EpiRemittanceInfoIdentifier")
    assert remittance.get("IdentificationSchemeName") == "ISO"
    assert remittance.text == doc.rf_reference
    assert doc.rf_reference.startswith("RF")
    assert _text(root, ".//EpiReference") == doc.rf_reference
    charge = _one(root, ".//EpiCharge")
    assert (charge.get("ChargeOption"), charge.text) == ("SLEV", "SLEV")
    assert _text(root, ".//EpiBfiIdentifier") == "NDEAFIHH"
    assert _text(root, ".//EpiAccountID") == "FI2112345600000785"
    assert _text(root, ".//EpiNameAddressDetails") == "Etelä-Karjalan hyvinvointialue"


def test_finnish_reference_when_there_is_no_rf():
    doc = _document(EXEMPT, rf_reference="")
    remittance = _one(_parse(doc), ".//EpiRemittanceInfoIdentifier")
    assert remittance.get("IdentificationSchemeName") == "SPY"
    assert remittance.text == doc.reference


@pytest.mark.parametrize(
    "changes",
    [
        {"rf_reference": "RF00123"},
        {"rf_reference": "", "reference": "1231"},
    ],
)
def test_an_invalid_payment_reference_is_refused(changes):
    with pytest.raises(FinvoiceError, match="reference"):
        finvoice_xml(_document(EXEMPT, **changes))


def test_totals_that_are_not_the_sums_of_the_lines_are_refused():
    doc = _document(EXEMPT)
    with pytest.raises(FinvoiceError, match="totals"):
        finvoice_xml(replace(doc, net_cents=doc.net_cents + 1, gross_cents=doc.gross_cents + 1))


def test_a_value_too_long_for_its_element_is_refused_not_cut():
    with pytest.raises(FinvoiceError, match="InvoiceNumber"):
        finvoice_xml(_document(EXEMPT, number="X" * 21))


def test_special_characters_round_trip_escaped():
    tricky = "Laatat & laastit <erä \"2\"> 'Åbo' åäö ÅÄÖ"
    seller = replace(SELLER, name="Työ & Toimi <Oy> åäö")
    doc = _document(EXEMPT, seller=seller)
    doc = replace(doc, lines=(replace(doc.lines[0], description=tricky), *doc.lines[1:]))
    data = finvoice_xml(doc)
    assert b"&amp;" in data
    assert b"&lt;" in data
    assert "åäö".encode() in data
    root = ET.fromstring(data)
    assert _text(root, "InvoiceRow/ArticleName") == tricky
    assert _text(root, "SellerPartyDetails/SellerOrganisationName") == "Työ & Toimi <Oy> åäö"
    assert _text(root, ".//EpiNameAddressDetails") == "Työ & Toimi <Oy> åäö"


def test_a_control_character_is_refused():
    doc = _document(EXEMPT)
    broken = replace(doc, lines=(replace(doc.lines[0], description="a\x0cb"), *doc.lines[1:]))
    with pytest.raises(FinvoiceError, match="ArticleName"):
        finvoice_xml(broken)


def test_swedish_buyer_gets_swedish_type_text_and_units():
    root = _parse(_document(EXEMPT, buyer=replace(CITY, language="sv")))
    assert _text(root, "InvoiceDetails/InvoiceTypeText") == "FAKTURA"
    assert _one(root, "InvoiceRow[2]/InvoicedQuantity").get("QuantityUnitCode") == "st"
