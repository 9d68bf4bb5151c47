"""An invoice as a document: the plain values an invoice PDF, a Finvoice message and the API
are written from, independent of the database (``selectors.invoice_document`` builds one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    name: str
    street: str
    postcode: str
    city: str
    country: str = "FI"
    business_id: str = ""  # Y-tunnus, e.g. "0201256-6"; empty for a private person
    vat_number: str = ""  # e.g. "FI02012566"
    e_invoice_address: str = ""  # OVT code or IBAN the e-invoice is addressed to
    e_invoice_operator: str = ""  # the operator's intermediator code, e.g. "003721291126"
    email: str = ""
    language: str = "fi"  # fi, sv or en: the language the invoice is written in


@dataclass(frozen=True)
class DocumentLine:
    kind: str  # "labour", "materials" or "travel" (billing.LINE_KINDS)
    description: str
    quantity: Decimal
    unit: str  # UN/ECE rec. 20 code: "HUR" hours, "C62" pieces, "KMT" kilometres
    unit_price_cents: int
    net_cents: int
    vat_cents: int
    work_date: dt.date | None = None


@dataclass(frozen=True)
class InvoiceDocument:
    number: str  # unique and gapless per issuing organisation
    issued_on: dt.date
    due_on: dt.date
    delivered_from: dt.date  # the period the work was done in
    delivered_to: dt.date
    reference: str  # Finnish reference number (viitenumero)
    rf_reference: str  # the same in ISO 11649 form
    seller: Party
    buyer: Party
    seller_iban: str
    seller_bic: str
    lines: tuple[DocumentLine, ...]
    net_cents: int
    vat_cents: int
    gross_cents: int
    vat_category: str  # "E" exempt or "S" standard (EN 16931 / UNCL5305)
    vat_rate: Decimal  # percent
    vat_exemption_code: str  # e.g. "VATEX-EU-132-1G" when exempt, else ""
    vat_exemption_text: str  # the reason in the invoice's language, when exempt
    late_interest_text: str
    order_reference: str = ""  # the customer's order or the work's reference
    cost_centre: str = ""  # the seller's cost centre (toimintonumero)
    credit_note_for: str = ""  # the credited invoice's number: this is a credit note
    credit_note_for_date: dt.date | None = None
    labour_gross_cents: int = 0  # the household deduction's base (private customers)
    household_deduction_text: str = ""  # the deduction statement, when the customer wants it
    currency: str = "EUR"

    @property
    def is_credit_note(self) -> bool:
        return bool(self.credit_note_for)
