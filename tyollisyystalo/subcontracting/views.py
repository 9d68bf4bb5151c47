"""The work-group supervisor's pages: groups, members and trainings, customers and agreements,
orders with hours (usable on a phone on site), invoices with their PDF and Finvoice message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.exports import XLSX, xlsx_table
from tyollisyystalo.shared.forms import apply_errors, form_saved
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.shared.text import spreadsheet_safe
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.subcontracting import billing, economics, selectors, services
from tyollisyystalo.subcontracting.finvoice import FinvoiceError, finvoice_xml
from tyollisyystalo.subcontracting.forms import (
    AgreementForm,
    CreditForm,
    CustomerForm,
    EndForm,
    GroupForm,
    HoursForm,
    LineForm,
    MemberForm,
    OrderForm,
    RiskForm,
    ScenarioForm,
    TrainingForm,
    TransitionForm,
)
from tyollisyystalo.subcontracting.invoicing import invoice_document, invoice_pdf
from tyollisyystalo.subcontracting.models import Agreement, CustomerKind, Invoice, OrderStatus
from tyollisyystalo.subcontracting.templatetags.money import euros, quantity

MANAGE = Capability.WORK_GROUP_MANAGE


def _municipalities(staff: StaffMember) -> list[tuple[str, str]]:
    found = staff.organisation.municipalities.order_by("name_fi")
    if not found.exists():
        found = Municipality.objects.order_by("name_fi")
    return [(str(m.pk), m.name) for m in found]


def _customers(staff: StaffMember) -> list[tuple[str, str]]:
    return [(str(c.pk), str(c)) for c in selectors.customers_for(staff)]


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """My groups, the trainings that expire, and a new group."""
    form = GroupForm(request.POST or None, municipalities=_municipalities(staff))
    status = 200
    if request.method == "POST":
        group = form_saved(
            request,
            form,
            lambda data: services.group_create(
                actor=staff,
                **{
                    **{k: v for k, v in data.items() if k != "supervisor_monthly"},
                    "municipality": Municipality.objects.filter(pk=data["municipality"]).first(),
                    "supervisor_monthly_cents": data["supervisor_monthly"],
                },
            ),
            _("Työryhmä perustettiin."),
        )
        if group is not None:
            return redirect("subcontracting:group", group_id=group.pk)
        status = 400
    context = {
        "groups": list(selectors.groups_for(staff).select_related("municipality")),
        "warnings": selectors.training_warnings_for(staff),
        "form": form,
    }
    return render(request, "subcontracting/index.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def group(request: HttpRequest, staff: StaffMember, group_id: int) -> HttpResponse:
    """The group: members with their hours this month, orders, and a new order."""
    page = selectors.group_page(staff, group_id)
    form = OrderForm(request.POST or None, customers=_customers(staff))
    status = 200
    if request.method == "POST":
        order = form_saved(
            request,
            form,
            lambda data: services.order_create(
                actor=staff,
                group_id=group_id,
                customer_id=int(data["customer"]),
                **{k: v for k, v in data.items() if k != "customer"},
            ),
            _("Tilauspyyntö kirjattiin."),
        )
        if order is not None:
            return redirect("subcontracting:order", order_id=order.pk)
        status = 400
    return render(request, "subcontracting/group.html", {"page": page, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def member_add(request: HttpRequest, staff: StaffMember, group_id: int) -> HttpResponse:
    group_obj = selectors.group_for(staff, group_id)
    clients = selectors.team_clients_for(staff) if request.method == "GET" else []
    choices = [(str(cid), name) for cid, name in clients]
    if request.method == "POST":
        posted = request.POST.get("client", "")
        choices = [(posted, posted)] if posted else []
    form = MemberForm(request.POST or None, clients=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                client_id = uuid.UUID(data["client"])
            except ValueError:
                form.add_error("client", _("Valitse asiakas."))
            else:
                try:
                    member = services.member_add(
                        actor=staff,
                        group_id=group_id,
                        client_id=client_id,
                        decision_on=data["decision_on"],
                        decision_maker=data["decision_maker"],
                        training_from=data["training_from"],
                        contract_start=data["contract_start"],
                        contract_end=data["contract_end"],
                        hours_per_week=data["hours_per_week"],
                        collective_agreement=data["collective_agreement"],
                        pay_grade=data["pay_grade"],
                        hourly_wage_cents=data["hourly_wage"],
                        subsidy_from=data["subsidy_from"],
                        subsidy_until=data["subsidy_until"],
                        subsidy_percent=data["subsidy_percent"],
                        subsidy_monthly_cents=data["subsidy_monthly"],
                        arrangement_support_monthly_cents=data["arrangement_support_monthly"] or 0,
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Työntekijä lisättiin ryhmään."))
                    return redirect("subcontracting:member", member_id=member.pk)
        if not form.is_valid():
            form.fields["client"].choices = [  # type: ignore[attr-defined]
                ("", "—"),
                *[(str(cid), name) for cid, name in selectors.team_clients_for(staff)],
            ]
    context = {"group": group_obj, "form": form}
    return render(request, "subcontracting/member_add.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def member(request: HttpRequest, staff: StaffMember, member_id: uuid.UUID) -> HttpResponse:
    """A member's employment and trainings, as the gatekeeper allows (read logged)."""
    view = selectors.member_page(staff, member_id)
    form = TrainingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form_saved(
            request,
            form,
            lambda data: services.training_record(actor=staff, member_id=member_id, **data),
            _("Koulutus kirjattiin."),
        ):
            return redirect("subcontracting:member", member_id=member_id)
        status = 400
    context = {"view": view, "form": form, "end_form": EndForm()}
    return render(request, "subcontracting/member.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def customers(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = CustomerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        customer = form_saved(
            request,
            form,
            lambda data: services.customer_create(actor=staff, **data),
            _("Tilaaja lisättiin."),
        )
        if customer is not None:
            return redirect("subcontracting:customer", customer_id=customer.pk)
        status = 400
    context = {"customers": list(selectors.customers_for(staff)), "form": form}
    return render(request, "subcontracting/customers.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def customer(request: HttpRequest, staff: StaffMember, customer_id: int) -> HttpResponse:
    """A customer: agreements (a new version), invoices, and for a private person the year's
    household deduction estimate."""
    found = selectors.customer_for(staff, customer_id)
    form = AgreementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form_saved(
            request,
            form,
            lambda data: services.agreement_add(actor=staff, customer_id=found.pk, **data),
            _("Yhteistyösopimuksen uusi versio tallennettiin."),
        ):
            return redirect("subcontracting:customer", customer_id=found.pk)
        status = 400
    year = timezone.localdate().year
    context = {
        "customer": found,
        "agreements": list(found.agreements.order_by("-version")),
        "invoices": list(
            Invoice.objects.filter(
                customer=found, order__group__in=selectors.groups_for(staff)
            ).order_by("-issued_on", "-number")
        ),
        "estimate": selectors.deduction_estimate(found, year),
        "year": year,
        "form": form,
    }
    return render(request, "subcontracting/customer.html", context, status=status)


@staff_view(MANAGE)
def agreement(
    request: HttpRequest, staff: StaffMember, customer_id: int, version: int
) -> HttpResponse:
    """One version of the agreement, printable."""
    found = selectors.customer_for(staff, customer_id)
    item = Agreement.objects.filter(customer=found, version=version).first()
    if item is None:
        raise Http404(_("Sopimusta ei löytynyt."))
    return render(request, "subcontracting/agreement.html", {"customer": found, "agreement": item})


@staff_view(MANAGE)
def order(request: HttpRequest, staff: StaffMember, order_id: uuid.UUID) -> HttpResponse:
    page = selectors.order_page(staff, order_id)
    context = _order_context(page)
    return render(request, "subcontracting/order.html", context)


def _order_context(page: selectors.OrderPage, **forms: Any) -> dict[str, Any]:
    members = [(str(r.member.pk), r.name or _("(nimi ei näytettävissä)")) for r in page.members]
    return {
        "page": page,
        "order": page.order,
        "statuses": _next_statuses(page.order.status),
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "risk_form": forms.get("risk_form") or RiskForm(),
        "line_form": forms.get("line_form") or LineForm(),
        "hours_form": forms.get("hours_form")
        or HoursForm(members=members, initial={"day": timezone.localdate()}),
        "lines": list(page.order.lines.order_by("pk")),
        "events": list(page.order.events.select_related("actor").order_by("at", "pk")),
    }


def _next_statuses(current: str) -> list[tuple[str, str]]:
    return [
        (status, str(OrderStatus(status).label))
        for status in OrderStatus.values
        if status in services.TRANSITIONS.get(current, frozenset())
    ]


def _order_post(
    request: HttpRequest,
    staff: StaffMember,
    order_id: uuid.UUID,
    form: Any,
    name: str,
    action: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One of the order page's forms: the service's refusal is shown on the page (400) in the
    form it came from, with everything typed kept."""
    if form_saved(request, form, action, done) is not None:
        return redirect("subcontracting:order", order_id=order_id)
    page = selectors.order_page(staff, order_id)
    context = _order_context(page, **{name: form})
    return render(request, "subcontracting/order.html", context, status=400)


@require_POST
@staff_view(MANAGE)
def order_transition(request: HttpRequest, staff: StaffMember, order_id: uuid.UUID) -> HttpResponse:
    return _order_post(
        request,
        staff,
        order_id,
        TransitionForm(request.POST),
        "transition_form",
        lambda data: services.order_transition(actor=staff, order_id=order_id, **data),
        _("Tilauksen tila päivitettiin."),
    )


@require_POST
@staff_view(MANAGE)
def order_risk(request: HttpRequest, staff: StaffMember, order_id: uuid.UUID) -> HttpResponse:
    return _order_post(
        request,
        staff,
        order_id,
        RiskForm(request.POST),
        "risk_form",
        lambda data: services.order_risk_assessment_record(actor=staff, order_id=order_id, **data),
        _("Riskiarvio kirjattiin."),
    )


@require_POST
@staff_view(MANAGE)
def order_line(request: HttpRequest, staff: StaffMember, order_id: uuid.UUID) -> HttpResponse:
    return _order_post(
        request,
        staff,
        order_id,
        LineForm(request.POST),
        "line_form",
        lambda data: services.order_line_add(
            actor=staff,
            order_id=order_id,
            kind=data["kind"],
            description=data["description"],
            quantity=data["quantity"],
            unit_price_cents=data["unit_price"],
        ),
        _("Rivi lisättiin."),
    )


@require_POST
@staff_view(MANAGE)
def order_hours(request: HttpRequest, staff: StaffMember, order_id: uuid.UUID) -> HttpResponse:
    # The choices only: decided, not logged (the page logs what it shows if it is drawn).
    page = selectors.order_page(staff, order_id, log=False)
    members = [(str(r.member.pk), r.name or "—") for r in page.members]
    return _order_post(
        request,
        staff,
        order_id,
        HoursForm(request.POST, members=members),
        "hours_form",
        lambda data: services.hours_record(
            actor=staff,
            order_id=order_id,
            member_id=uuid.UUID(data["member"]),
            day=data["day"],
            hours=data["hours"],
        ),
        _("Tunnit kirjattiin."),
    )


@require_POST
@staff_view(MANAGE)
def invoice_send(request: HttpRequest, staff: StaffMember, order_id: uuid.UUID) -> HttpResponse:
    try:
        invoice = services.invoice_send(actor=staff, order_id=order_id)
    except ValidationError as exc:
        page = selectors.order_page(staff, order_id)
        context = _order_context(page)
        context["invoice_errors"] = exc.messages
        return render(request, "subcontracting/order.html", context, status=400)
    messages.success(request, _("Lasku %(n)s lähetettiin.") % {"n": invoice.number})
    return redirect("subcontracting:invoice", invoice_id=invoice.pk)


@require_http_methods(["GET", "POST"])
@staff_view(MANAGE)
def invoice(request: HttpRequest, staff: StaffMember, invoice_id: uuid.UUID) -> HttpResponse:
    """An invoice as sent; a full credit note from here."""
    found = selectors.invoice_for(staff, invoice_id)
    form = CreditForm(request.POST or None)
    status = 200
    if request.method == "POST":
        note = form_saved(
            request,
            form,
            lambda data: services.credit_note_send(actor=staff, invoice_id=found.pk, **data),
            _("Hyvityslasku lähetettiin."),
        )
        if note is not None:
            return redirect("subcontracting:invoice", invoice_id=note.pk)
        status = 400
    context = {
        "invoice": found,
        "doc": invoice_document(found),
        "credited_by": found.credit_notes.first(),
        "form": form,
    }
    return render(request, "subcontracting/invoice.html", context, status=status)


@staff_view(MANAGE)
def invoice_pdf_view(
    request: HttpRequest, staff: StaffMember, invoice_id: uuid.UUID
) -> HttpResponse:
    found = selectors.invoice_for(staff, invoice_id)
    response = HttpResponse(invoice_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lasku-{found.number}.pdf"'
    return response


@staff_view(MANAGE)
def invoice_finvoice(
    request: HttpRequest, staff: StaffMember, invoice_id: uuid.UUID
) -> HttpResponse:
    found = selectors.invoice_for(staff, invoice_id)
    if not found.buyer.get("e_invoice_address"):
        raise Http404(_("Tilaajalla ei ole verkkolaskuosoitetta."))
    try:
        message = finvoice_xml(invoice_document(found))
    except FinvoiceError as exc:
        back = reverse("subcontracting:invoice", kwargs={"invoice_id": found.pk})
        return refused(
            request, _("Verkkolaskua ei voi muodostaa: %(reason)s") % {"reason": exc}, back
        )
    response = HttpResponse(message, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="finvoice-{found.number}.xml"'
    return response


@staff_view(MANAGE)
def payroll(request: HttpRequest, staff: StaffMember, group_id: int) -> HttpResponse:
    """The pay period's hours as CSV for payroll (``kausi=YYYY-MM``, the current month by
    default): member, days, hours, orders."""
    selectors.group_for(staff, group_id)
    period = request.GET.get("kausi") or timezone.localdate().strftime("%Y-%m")
    try:
        start = dt.date.fromisoformat(f"{period}-01")
        if not 2000 <= start.year <= timezone.localdate().year + 1:
            raise ValueError(period)
    except ValueError:
        back = reverse("subcontracting:group", kwargs={"group_id": group_id})
        return refused(request, _("Anna palkkakausi muodossa vvvv-kk."), back)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = selectors.payroll_rows(staff, group_id, start, end)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Työntekijä"), _("Työpäivät"), _("Tunnit"), _("Tilaukset")])
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(row.name),
                row.days,
                quantity(row.hours),
                spreadsheet_safe(row.orders),
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="palkat-{period}.csv"'
    return response


KINDS = [(kind, str(label)) for kind, label in CustomerKind.choices]
FIRST_YEAR = 2021  # the first year the economics' dated parameters cover


def _economics_rows(months: list[economics.Month]) -> list[list[str]]:
    """The table's rows (and the exports'): one per figure, a column per month."""
    figures: list[tuple[str, Callable[[economics.Month], object]]] = [
        *[
            (
                _("Laskutus: %(kind)s") % {"kind": label},
                lambda m, k=kind: m.revenue_by_kind.get(k, 0),
            )
            for kind, label in KINDS
        ],
        (_("Laskutus yhteensä"), lambda m: m.revenue_cents),
        (_("Palkkatuki"), lambda m: m.subsidy_cents),
        (_("Työolosuhteiden järjestelytuki"), lambda m: m.arrangement_cents),
        (_("Työntekijöiden palkat sivukuluineen"), lambda m: m.wages_cents),
        (_("Ohjaus"), lambda m: m.supervisor_cents),
        (_("Tarvikkeet"), lambda m: m.materials_cents),
        (_("Tulos"), lambda m: m.result_cents),
    ]
    rows = [[label, *[euros(int(value(m))) for m in months]] for label, value in figures]  # type: ignore[call-overload]
    rows.append([_("Tunnit"), *[quantity(m.hours) for m in months]])
    rows.append(
        [
            _("Tukien osuus kuluista"),
            *[f"{m.support_share} %" if m.support_share is not None else "–" for m in months],
        ]
    )
    return rows


@staff_view()
def group_economics(request: HttpRequest, staff: StaffMember, group_id: int) -> HttpResponse:
    """The cost centre's months and year to date; ``muoto=csv|xlsx`` for the controller."""
    found = selectors.group_for_economics(staff, group_id)
    today = timezone.localdate()
    raw = request.GET.get("vuosi", "")
    year = parse_int(raw, low=FIRST_YEAR, high=today.year + 1) if raw else today.year
    if year is None:
        back = reverse("subcontracting:economics", kwargs={"group_id": group_id})
        message = _("Valitse vuosi %(first)s–%(last)s.") % {
            "first": FIRST_YEAR,
            "last": today.year + 1,
        }
        return refused(request, message, back)
    months = selectors.group_economics(found, year)
    through = 12 if year < today.year else (today.month if year == today.year else 0)
    to_date = economics.total(months[:through], year)
    headings = [
        _("Tunnusluku"),
        *[f"{m.month}/{year}" for m in months],
        _("Vuoden alusta"),
    ]
    rows = [
        [*row, total_cell]
        for row, total_cell in zip(
            _economics_rows(months), [r[1] for r in _economics_rows([to_date])], strict=True
        )
    ]
    export = request.GET.get("muoto")
    if export in ("csv", "xlsx"):
        name = f"talous-{re.sub(r'[^0-9A-Za-z_-]', '_', found.cost_centre)}-{year}"
        if export == "csv":
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
            writer.writerow(headings)
            writer.writerows([spreadsheet_safe(str(c)) for c in row] for row in rows)
            response = HttpResponse(
                "\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(xlsx_table(_("Talous"), headings, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    context = {
        "group": found,
        "first_year": FIRST_YEAR,
        "last_year": today.year + 1,
        "year": year,
        "headings": headings,
        "rows": rows,
        "to_date": to_date,
        "groups": list(selectors.groups_for_economics(staff)),
    }
    return render(request, "subcontracting/economics.html", context)


@staff_view()
def scenarios(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """The pilot's three options as a what-if: a month of each, side by side."""
    if not (staff.can(Capability.MANAGEMENT_READ) or staff.can(MANAGE)):
        raise Http404
    initial = {name: field.initial for name, field in ScenarioForm.base_fields.items()}
    form = ScenarioForm(request.GET or initial)
    results: list[tuple[str, economics.Month]] = []
    valid = form.is_valid()
    status = 200 if valid else 400
    data = form.cleaned_data if valid else None
    if data is not None:
        today = timezone.localdate()
        price = billing.hour_price_cents(today)
        for name, groups in (
            (_("1) Ei alihankintamallia"), data["groups_none"]),
            (_("2) Malli vammaispalveluissa"), data["groups_disability"]),
            (_("3) Malli myös muissa palveluissa"), data["groups_wider"]),
        ):
            scenario = economics.Scenario(
                name=name,
                groups=groups,
                members_per_group=data["members_per_group"],
                billed_hours_per_member=data["billed_hours"],
                paid_hours_per_member=data["paid_hours"],
                hourly_wage_cents=data["hourly_wage"],
                subsidy_percent=data["subsidy_percent"],
                arrangement_cents_per_member=data["arrangement"] or 0,
                supervisor_cents_per_group=data["supervisor"],
                materials_share_percent=data["materials_percent"],
            )
            results.append((name, economics.project(scenario, today, price)))
    table = []
    if results:
        rows = _economics_rows([m for _name, m in results])
        table = rows[len(KINDS) :]  # projections have no customer kinds: their total only
    context = {"form": form, "names": [name for name, _m in results], "table": table}
    return render(request, "subcontracting/scenarios.html", context, status=status)


@require_POST
@staff_view(MANAGE)
def member_end(request: HttpRequest, staff: StaffMember, member_id: uuid.UUID) -> HttpResponse:
    form = EndForm(request.POST)
    if form_saved(
        request,
        form,
        lambda data: services.member_end(actor=staff, member_id=member_id, **data),
        _("Työsuhteen päättyminen kirjattiin."),
    ):
        return redirect("subcontracting:member", member_id=member_id)
    view = selectors.member_page(staff, member_id)
    context = {"view": view, "form": TrainingForm(), "end_form": form}
    return render(request, "subcontracting/member.html", context, status=400)
