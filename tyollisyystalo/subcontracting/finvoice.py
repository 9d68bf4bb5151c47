"""An invoice or credit note as a Finvoice 3.0 e-invoice message (``finvoice_xml``).

Writes ``<Finvoice Version="3.0">`` in UTF-8 from an ``InvoiceDocument``: the transmission
frame, seller, buyer, invoice details with the VAT breakdown and payment terms, one
``InvoiceRow`` per line and the bank transfer part (``EpiDetails``). Amounts are written with a
decimal comma and their currency ("262,50", ``AmountCurrencyIdentifier="EUR"``), dates as
``Format="CCYYMMDD"``; a credit note's amounts are written as the document gives them
(negative). Nothing is cut or changed silently: a value the schema cannot hold whole, totals
that are not the sums of the lines, or an invalid payment reference raise ``FinvoiceError``.

Checked against the structure of Finanssiala's ``Finvoice3.0.xsd`` as rendered in the outline
``demo/finvoice-3.0.xsd.pug`` of github.com/vivainio/unxml-rs (the XSD file itself was not
read, and is not stored here): element names and their sequence order, cardinalities, text
lengths, and the patterns of amounts (``-?[0-9]{1,15}(,[0-9]{2,5})?``; ``EpiInstructedAmount``
exactly two decimals), percentages (``25,5``), dates and ``EpiRemittanceInfoIdentifier``
(``SPY``: 2–20 digits, ``ISO``: ``RF`` + check digits + 1–21 characters). Facts taken from it:

- the exemption's code (EN 16931 BT-121) has ``VatSpecificationDetails/VatExemptionReasonCode``
  and there is no ``VatExemptionReasonText``: the reason's text is written in the breakdown's
  ``VatFreeText`` (at most 3 × 70 characters);
- a credit note names the credited invoice in ``OriginalInvoiceNumber`` / ``OriginalInvoiceDate``
  and in the ``OriginalInvoiceReference`` group that 3.0 added (both are written);
- the payment order's ``EpiCharge`` carries ``ChargeOption`` and the same code as its text.

Compared with the example output of github.com/invopop/gobl.fi.finvoice (Apache-2.0; no code
taken). The implementation guideline's own text could not be read here. Points to verify
(also in docs/legal-sources.md, "Finvoice 3.0 (issue 17)"):

- UTF-8: the forwarding service long required ISO-8859-15; the operator must accept UTF-8.
- ``FromIdentifier``/``ToIdentifier`` ``SchemeID``: written ``0216`` (ISO 6523 "OVTcode") for an
  OVT code; older examples use ``0037``.
- ``EpiReference`` is mandatory but may be empty in banks' rules; the payment reference is
  written there too.
- ``EpiCharge`` ``SLEV`` (SEPA) rather than the common ``SHA``.
- A credit note is ``INV02``/``381`` with negative amounts (Finvoice's sign convention; an
  EN 16931 credit note carries positive amounts).
- ``MessageTimeStamp`` is the issue date at 00:00 without a zone unless given;
  ``MessageIdentifier`` is the invoice number unless given (a resend needs a new one).
- No ``SpecificationIdentifier`` (EN 16931 BT-24) is written.
- BT-120 in ``VatFreeText``: to confirm against the Finvoice–EN 16931 correlation table.
- A row's quantity goes in both ``DeliveredQuantity`` and ``InvoicedQuantity`` (EN 16931's
  invoiced quantity), the UN/ECE unit in ``QuantityUnitCodeUN``, a readable one (``h``, ``kpl``,
  ``km``) in ``QuantityUnitCode``.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import xml.etree.ElementTree as ET
from decimal import Decimal

from stdnum import iso11649

from tyollisyystalo.subcontracting.billing import reference_valid
from tyollisyystalo.subcontracting.documents import DocumentLine, InvoiceDocument, Party

VERSION = "3.0"
INVOICE, CREDIT_NOTE = "INV01", "INV02"

_TYPE_TEXTS = {
    "fi": ("LASKU", "HYVITYSLASKU"),
    "sv": ("FAKTURA", "KREDITFAKTURA"),
    "en": ("INVOICE", "CREDIT NOTE"),
}
# The unit shown to people (QuantityUnitCode) for the UN/ECE rec. 20 codes the lines use.
_UNIT_TEXTS = {
    "HUR": {"fi": "h", "sv": "h", "en": "h"},
    "C62": {"fi": "kpl", "sv": "st", "en": "pcs"},
    "KMT": {"fi": "km", "sv": "km", "en": "km"},
}
_OVT = re.compile(r"0037\d{8}[0-9A-Za-z]{0,5}")
_RF = re.compile(r"RF\d{2}[0-9A-Za-z]{1,21}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class FinvoiceError(ValueError):
    """The document cannot be written as Finvoice 3.0 without cutting or changing a value."""


def finvoice_xml(
    doc: InvoiceDocument,
    *,
    message_identifier: str = "",
    message_timestamp: dt.datetime | None = None,
) -> bytes:
    """The Finvoice 3.0 message of ``doc``, UTF-8 encoded with its XML declaration."""
    _check(doc)
    root = ET.Element("Finvoice", {"Version": VERSION})
    _transmission(root, doc, message_identifier, message_timestamp)
    _seller(root, doc)
    _buyer(root, doc.buyer)
    _details(root, doc)
    for position, line in enumerate(doc.lines, start=1):
        _row(root, doc, line, position)
    _epi(root, doc)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


# Values -------------------------------------------------------------------------------------


def money(cents: int) -> str:
    """Cents as Finvoice writes an amount: ``-262,50``."""
    euros, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{euros},{rest:02d}"


def decimal_text(value: Decimal) -> str:
    """A quantity or percentage with a decimal comma and no trailing zeros: ``7,5``, ``0``."""
    return format(value.normalize(), "f").replace(".", ",")


def _check(doc: InvoiceDocument) -> None:
    if not doc.lines:
        raise FinvoiceError("an invoice has at least one row")
    net = sum(line.net_cents for line in doc.lines)
    vat = sum(line.vat_cents for line in doc.lines)
    if (net, vat, net + vat) != (doc.net_cents, doc.vat_cents, doc.gross_cents):
        raise FinvoiceError(f"invoice {doc.number}: the totals are not the sums of its lines")
    if len(doc.currency) != 3:
        raise FinvoiceError(f"currency {doc.currency!r} is not an ISO 4217 code")
    if not (doc.seller_iban and doc.seller_bic):
        raise FinvoiceError("the seller's IBAN and BIC are required")
    if doc.vat_category == "E" and not (doc.vat_exemption_text or doc.vat_exemption_code):
        raise FinvoiceError("an exempt invoice states the exemption's reason (EN 16931 BR-E-10)")


def _put(parent: ET.Element, tag: str, text: str, limit: int = 0, **attrs: str) -> ET.Element:
    if limit and len(text) > limit:
        raise FinvoiceError(f"{tag} takes at most {limit} characters: {text!r}")
    if _NOT_XML.search(text):
        raise FinvoiceError(f"{tag} contains a character XML cannot carry: {text!r}")
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _texts(parent: ET.Element, tag: str, text: str, width: int, most: int) -> None:
    """A long text over up to ``most`` repeats of a ``width``-character element."""
    parts = textwrap.wrap(text, width)
    if len(parts) > most:
        raise FinvoiceError(f"{tag} takes at most {most} × {width} characters: {text!r}")
    for part in parts:
        _put(parent, tag, part, width)


def _amount(parent: ET.Element, tag: str, cents: int, currency: str) -> None:
    _put(parent, tag, money(cents), AmountCurrencyIdentifier=currency)


def _date(parent: ET.Element, tag: str, day: dt.date) -> None:
    _put(parent, tag, day.strftime("%Y%m%d"), Format="CCYYMMDD")


def _language(doc: InvoiceDocument) -> str:
    return doc.buyer.language if doc.buyer.language in _TYPE_TEXTS else "fi"


# Parts, in the order of the Finvoice element's sequence ---------------------------------------


def _transmission(
    root: ET.Element,
    doc: InvoiceDocument,
    identifier: str,
    timestamp: dt.datetime | None,
) -> None:
    """The routing frame, when the buyer has an e-invoice address; the seller's address and
    both operators are then required."""
    seller, buyer = doc.seller, doc.buyer
    if not buyer.e_invoice_address:
        return
    missing = [
        name
        for name, value in (
            ("seller's e-invoice address", seller.e_invoice_address),
            ("seller's operator", seller.e_invoice_operator),
            ("buyer's operator", buyer.e_invoice_operator),
        )
        if not value
    ]
    if missing:
        raise FinvoiceError("to route the e-invoice, give the " + ", ".join(missing))
    frame = ET.SubElement(root, "MessageTransmissionDetails")
    sender = ET.SubElement(frame, "MessageSenderDetails")
    _put(sender, "FromIdentifier", seller.e_invoice_address, 35, **_scheme(seller))
    _put(sender, "FromIntermediator", seller.e_invoice_operator, 35)
    receiver = ET.SubElement(frame, "MessageReceiverDetails")
    _put(receiver, "ToIdentifier", buyer.e_invoice_address, 35, **_scheme(buyer))
    _put(receiver, "ToIntermediator", buyer.e_invoice_operator, 35)
    details = ET.SubElement(frame, "MessageDetails")
    _put(details, "MessageIdentifier", identifier or doc.number, 48)
    stamp = (
        timestamp.isoformat(timespec="seconds")
        if timestamp
        else f"{doc.issued_on.isoformat()}T00:00:00"
    )
    _put(details, "MessageTimeStamp", stamp)


def _scheme(party: Party) -> dict[str, str]:
    return {"SchemeID": "0216"} if _OVT.fullmatch(party.e_invoice_address) else {}


def _address(parent: ET.Element, prefix: str, party: Party) -> None:
    if not (party.street and party.city and party.postcode):
        return
    address = ET.SubElement(parent, f"{prefix}PostalAddressDetails")
    _put(address, f"{prefix}StreetName", party.street, 35)
    _put(address, f"{prefix}TownName", party.city, 35)
    _put(address, f"{prefix}PostCodeIdentifier", party.postcode, 35)
    _put(address, "CountryCode", party.country, 2)


def _seller(root: ET.Element, doc: InvoiceDocument) -> None:
    seller = doc.seller
    party = ET.SubElement(root, "SellerPartyDetails")
    if seller.business_id:
        _put(party, "SellerPartyIdentifier", seller.business_id, 35)
    _put(party, "SellerOrganisationName", seller.name, 70)
    if seller.vat_number:
        _put(party, "SellerOrganisationTaxCode", seller.vat_number, 35)
    _address(party, "Seller", seller)
    if seller.e_invoice_address:
        _put(root, "SellerOrganisationUnitNumber", seller.e_invoice_address, 35)
    if seller.email:
        contact = ET.SubElement(root, "SellerCommunicationDetails")
        _put(contact, "SellerEmailaddressIdentifier", seller.email, 70)
    information = ET.SubElement(root, "SellerInformationDetails")
    account = ET.SubElement(information, "SellerAccountDetails")
    _put(account, "SellerAccountID", _compact(doc.seller_iban), 35, IdentificationSchemeName="IBAN")
    _put(account, "SellerBic", _compact(doc.seller_bic), 11, IdentificationSchemeName="BIC")


def _buyer(root: ET.Element, buyer: Party) -> None:
    party = ET.SubElement(root, "BuyerPartyDetails")
    if buyer.business_id:
        _put(party, "BuyerPartyIdentifier", buyer.business_id, 35)
    _put(party, "BuyerOrganisationName", buyer.name, 70)
    if buyer.vat_number:
        _put(party, "BuyerOrganisationTaxCode", buyer.vat_number, 35)
    _address(party, "Buyer", buyer)
    if buyer.e_invoice_address:
        _put(root, "BuyerOrganisationUnitNumber", buyer.e_invoice_address, 35)
    if buyer.email:
        contact = ET.SubElement(root, "BuyerCommunicationDetails")
        _put(contact, "BuyerEmailaddressIdentifier", buyer.email, 70)


def _details(root: ET.Element, doc: InvoiceDocument) -> None:
    currency, credit = doc.currency, doc.is_credit_note
    details = ET.SubElement(root, "InvoiceDetails")
    _put(details, "InvoiceTypeCode", CREDIT_NOTE if credit else INVOICE)
    _put(details, "InvoiceTypeCodeUN", "381" if credit else "380")
    _put(details, "InvoiceTypeText", _TYPE_TEXTS[_language(doc)][credit])
    _put(details, "OriginCode", "Original")
    _put(details, "InvoiceNumber", doc.number, 20)
    _date(details, "InvoiceDate", doc.issued_on)
    if credit:
        _put(details, "OriginalInvoiceNumber", doc.credit_note_for, 20)
        if doc.credit_note_for_date:
            _date(details, "OriginalInvoiceDate", doc.credit_note_for_date)
        original = ET.SubElement(details, "OriginalInvoiceReference")
        _put(original, "InvoiceNumber", doc.credit_note_for, 20)
        if doc.credit_note_for_date:
            _date(original, "InvoiceDate", doc.credit_note_for_date)
    _date(details, "InvoicingPeriodStartDate", doc.delivered_from)
    _date(details, "InvoicingPeriodEndDate", doc.delivered_to)
    if doc.order_reference:
        _put(details, "OrderIdentifier", doc.order_reference, 70)
    _amount(details, "RowsTotalVatExcludedAmount", doc.net_cents, currency)
    _amount(details, "InvoiceTotalVatExcludedAmount", doc.net_cents, currency)
    _amount(details, "InvoiceTotalVatAmount", doc.vat_cents, currency)
    _amount(details, "InvoiceTotalVatIncludedAmount", doc.gross_cents, currency)

    vat = ET.SubElement(details, "VatSpecificationDetails")
    _amount(vat, "VatBaseAmount", doc.net_cents, currency)
    _put(vat, "VatRatePercent", decimal_text(doc.vat_rate))
    _put(vat, "VatCode", doc.vat_category, 3)
    _amount(vat, "VatRateAmount", doc.vat_cents, currency)
    if doc.vat_category == "E":
        _texts(vat, "VatFreeText", doc.vat_exemption_text, 70, 3)
        if doc.vat_exemption_code:
            _put(vat, "VatExemptionReasonCode", doc.vat_exemption_code, 20)

    if doc.household_deduction_text:
        _texts(details, "InvoiceFreeText", doc.household_deduction_text, 512, 10)
    terms = ET.SubElement(details, "PaymentTermsDetails")
    _date(terms, "InvoiceDueDate", doc.due_on)
    if doc.late_interest_text:
        fine = ET.SubElement(terms, "PaymentOverDueFineDetails")
        _texts(fine, "PaymentOverDueFineFreeText", doc.late_interest_text, 70, 3)


def _row(root: ET.Element, doc: InvoiceDocument, line: DocumentLine, position: int) -> None:
    currency = doc.currency
    unit_text = _UNIT_TEXTS.get(line.unit, {}).get(_language(doc), line.unit)
    quantity = decimal_text(line.quantity)
    units = {"QuantityUnitCode": unit_text, "QuantityUnitCodeUN": line.unit}
    row = ET.SubElement(root, "InvoiceRow")
    _put(row, "ArticleName", line.description, 100)
    _put(row, "DeliveredQuantity", quantity, 14, **units)
    _put(row, "InvoicedQuantity", quantity, 14, **units)
    _put(
        row,
        "UnitPriceAmount",
        money(line.unit_price_cents),
        AmountCurrencyIdentifier=currency,
        UnitPriceUnitCode=unit_text,
        QuantityUnitCodeUN=line.unit,
    )
    _put(row, "RowPositionIdentifier", str(position))
    if line.work_date:
        _date(row, "RowDeliveryDate", line.work_date)
    _put(row, "RowVatRatePercent", decimal_text(doc.vat_rate))
    _put(row, "RowVatCode", doc.vat_category, 3)
    _amount(row, "RowVatAmount", line.vat_cents, currency)
    _amount(row, "RowVatExcludedAmount", line.net_cents, currency)
    _amount(row, "RowAmount", line.net_cents + line.vat_cents, currency)


def _epi(root: ET.Element, doc: InvoiceDocument) -> None:
    scheme, reference = _remittance(doc)
    epi = ET.SubElement(root, "EpiDetails")
    identification = ET.SubElement(epi, "EpiIdentificationDetails")
    _date(identification, "EpiDate", doc.issued_on)
    _put(identification, "EpiReference", reference, 35)
    parties = ET.SubElement(epi, "EpiPartyDetails")
    bank = ET.SubElement(parties, "EpiBfiPartyDetails")
    _put(bank, "EpiBfiIdentifier", _compact(doc.seller_bic), 11, IdentificationSchemeName="BIC")
    beneficiary = ET.SubElement(parties, "EpiBeneficiaryPartyDetails")
    # The payee's name as the payer's bank shows it takes 35 characters; the full name is in
    # SellerOrganisationName.
    _put(beneficiary, "EpiNameAddressDetails", doc.seller.name[:35].strip())
    _put(
        beneficiary, "EpiAccountID", _compact(doc.seller_iban), 34, IdentificationSchemeName="IBAN"
    )
    payment = ET.SubElement(epi, "EpiPaymentInstructionDetails")
    _put(payment, "EpiRemittanceInfoIdentifier", reference, IdentificationSchemeName=scheme)
    _amount(payment, "EpiInstructedAmount", doc.gross_cents, doc.currency)
    _put(payment, "EpiCharge", "SLEV", ChargeOption="SLEV")
    _date(payment, "EpiDateOptionDate", doc.due_on)
    _put(payment, "EpiPaymentMeansCode", "58")  # UNCL4461: SEPA credit transfer


def _remittance(doc: InvoiceDocument) -> tuple[str, str]:
    """``ISO`` and the RF reference, or ``SPY`` and the Finnish reference when there is no RF."""
    rf, finnish = _compact(doc.rf_reference).upper(), _compact(doc.reference)
    if rf:
        if not (_RF.fullmatch(rf) and iso11649.is_valid(rf)):
            raise FinvoiceError(f"not a valid RF reference: {doc.rf_reference!r}")
        return "ISO", rf
    if not reference_valid(finnish):
        raise FinvoiceError(f"not a valid Finnish reference number: {doc.reference!r}")
    return "SPY", finnish


def _compact(value: str) -> str:
    return value.replace(" ", "")
