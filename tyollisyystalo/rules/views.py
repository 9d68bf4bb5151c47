"""The client's statutory rules page: answers on a chosen date, and the facts behind them."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.rules import selectors, services
from tyollisyystalo.rules.forms import RuleFactsForm
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

PURPOSE = "statutory rules"


@require_http_methods(["GET", "POST"])
@staff_view()
def client_rules(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    on, on_error = _evaluation_date(request.GET.get("on", ""))
    status = 400 if on_error else 200
    form: RuleFactsForm | None = None
    if request.method == "POST":
        # Checked before anything is read: a denied write reads (and logs) nothing.
        if not staff.can(Capability.CLIENT_RECORD_WRITE):
            raise PermissionDenied
        posted = RuleFactsForm(request.POST)
        if posted.is_valid():
            try:
                saved = services.client_rule_facts_record(
                    actor=staff, client_id=client_id, facts=posted.facts()
                )
            except ValidationError as exc:
                apply_errors(posted, exc)
            else:
                if saved is None:
                    messages.info(request, _("Tiedot eivät muuttuneet."))
                else:
                    messages.success(request, _("Tiedot tallennettiin. Vastaukset päivittyivät."))
                return redirect("rules:client_rules", client_id=client_id)
        form, status = posted, 400
    rules = selectors.client_rules_get(
        staff=staff, client_id=client_id, on=on, purpose=PURPOSE, history=True
    )
    if form is None and rules.can_write and staff.can(Capability.CLIENT_RECORD_WRITE):
        form = RuleFactsForm(initial=RuleFactsForm.initial_from(rules.facts_dict))
    context = {
        "rules": rules,
        "client_id": client_id,
        "form": form if rules.can_write else None,
        "on_value": request.GET.get("on", "") if on_error else rules.on.isoformat(),
        "on_error": on_error,
    }
    return render(request, "rules/client_rules.html", context, status=status)


def _evaluation_date(raw: str) -> tuple[dt.date | None, str]:
    if not raw:
        return None, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return None, _("Anna päivämäärä muodossa VVVV-KK-PP.")
