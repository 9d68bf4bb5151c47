"""An invoice as sent, as a document (``documents.InvoiceDocument``) in the customer's language,
and its PDF (WeasyPrint) and Finvoice message."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tyollisyystalo.subcontracting import billing
from tyollisyystalo.subcontracting.documents import DocumentLine, InvoiceDocument, Party
from tyollisyystalo.subcontracting.models import Invoice
from tyollisyystalo.subcontracting.templatetags.money import euros


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    """Every value the invoice shows, in its language, from what was stored when it was sent."""
    seller = invoice.seller
    buyer = invoice.buyer
    with translation.override(invoice.language):
        exemption = (
            _("Arvonlisäverosta vapautettua sosiaalihuoltoa (arvonlisäverolaki 1501/1993 37 §).")
            if invoice.vat_category == "E"
            else ""
        )
        interest = _(
            "Viivästyskorko korkolain (633/1982) 4 §:n mukaan: viitekorko lisättynä "
            "%(points)s prosenttiyksiköllä."
        ) % {"points": billing.late_interest_margin(invoice.issued_on)}
        deduction = ""
        if invoice.household_deduction:
            deduction = _(
                "Työn osuus %(labour)s (sis. alv) voi oikeuttaa kotitalousvähennykseen. "
                "Tarvikkeet ja matkat eivät ole vähennyskelpoisia."
            ) % {"labour": euros(invoice.labour_gross_cents)}
        lines = tuple(
            DocumentLine(
                kind=line.kind,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price_cents=line.unit_price_cents,
                net_cents=line.net_cents,
                vat_cents=line.vat_cents,
            )
            for line in invoice.lines.all()
        )
    return InvoiceDocument(
        number=str(invoice.number),
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        delivered_from=invoice.delivered_from,
        delivered_to=invoice.delivered_to,
        reference=invoice.reference,
        rf_reference=billing.rf_reference(invoice.reference),
        seller=Party(
            name=seller.get("name", ""),
            street=seller.get("street", ""),
            postcode=seller.get("postcode", ""),
            city=seller.get("city", ""),
            business_id=seller.get("business_id", ""),
            vat_number=seller.get("vat_number", ""),
            e_invoice_address=seller.get("e_invoice_address", ""),
            e_invoice_operator=seller.get("e_invoice_operator", ""),
        ),
        buyer=Party(
            name=buyer.get("name", ""),
            street=buyer.get("street", ""),
            postcode=buyer.get("postcode", ""),
            city=buyer.get("city", ""),
            business_id=buyer.get("business_id", ""),
            e_invoice_address=buyer.get("e_invoice_address", ""),
            e_invoice_operator=buyer.get("e_invoice_operator", ""),
            email=buyer.get("email", ""),
            language=invoice.language,
        ),
        seller_iban=seller.get("iban", ""),
        seller_bic=seller.get("bic", ""),
        lines=lines,
        net_cents=invoice.net_cents,
        vat_cents=invoice.vat_cents,
        gross_cents=invoice.gross_cents,
        vat_category=invoice.vat_category,
        vat_rate=invoice.vat_rate,
        vat_exemption_code=invoice.vat_exemption_code,
        vat_exemption_text=exemption,
        late_interest_text=interest,
        order_reference=invoice.order_reference,
        cost_centre=invoice.cost_centre,
        credit_note_for=str(invoice.credit_for.number) if invoice.credit_for else "",
        credit_note_for_date=invoice.credit_for.issued_on if invoice.credit_for else None,
        labour_gross_cents=invoice.labour_gross_cents,
        household_deduction_text=deduction,
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF in the customer's language."""
    # Imported here: loading Pango is slow and only PDFs need it.
    from weasyprint import HTML  # type: ignore[import-untyped]

    doc = invoice_document(invoice)
    with translation.override(invoice.language):
        html = render_to_string(
            "subcontracting/invoice_print.html",
            {
                "doc": doc,
                "invoice": invoice,
                "reference": billing.grouped(doc.reference),
                "rf": billing.rf_grouped(doc.rf_reference),
            },
        )
    document: bytes = HTML(string=html).write_pdf()
    return document
