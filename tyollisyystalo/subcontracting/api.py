"""GET /api/v1/subcontracting/invoices/{id}: an invoice as sent, with every figure a reader can
check — amounts, VAT treatment, reference numbers and the household deduction's labour share.
Only the group's supervisor and peer instructor see it (others: 404). An invoice names no
worker, so nothing is logged as a read of client data."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.clients.api import require
from tyollisyystalo.subcontracting.invoicing import invoice_document
from tyollisyystalo.subcontracting.selectors import deduction_estimate, invoice_for


def _plain(value: Any) -> Any:
    """Dates as ISO 8601, decimals as strings: JSON that a checker reads without guessing."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value


class InvoiceView(APIView):
    @extend_schema(operation_id="subcontracting_invoice", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, invoice_id: uuid.UUID) -> Response:
        staff = require(request, Capability.WORK_GROUP_MANAGE)
        invoice = invoice_for(staff, invoice_id)
        doc = invoice_document(invoice)
        body = _plain(asdict(doc))
        body["id"] = str(invoice.pk)
        body["is_credit_note"] = doc.is_credit_note
        body["household_deduction"] = invoice.household_deduction
        estimate = (
            deduction_estimate(invoice.customer, invoice.issued_on.year)
            if invoice.household_deduction
            else None
        )
        body["household_deduction_estimate"] = _plain(asdict(estimate)) if estimate else None
        return Response(body)
