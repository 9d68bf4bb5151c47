"""Work groups, members, customers, orders, hours and invoices (issue 17).

Every write is validated before anything is saved and runs in one transaction. A member's
employment, trainings and hours are client data: written only as the gatekeeper allows
(education_work of the group's organisation, by someone who works with the client) and logged.
Orders and invoices belong to a group: only its supervisor and peer instructor act on them;
anyone else gets a 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fi import ytunnus

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability
from tyollisyystalo.subcontracting import billing
from tyollisyystalo.subcontracting.models import (
    Agreement,
    Customer,
    CustomerKind,
    EndReason,
    GroupKind,
    HourEntry,
    Invoice,
    InvoiceLine,
    LineKind,
    Member,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Seller,
    Training,
    TrainingKind,
    WorkGroup,
)
from tyollisyystalo.subcontracting.selectors import customer_for, group_for, member_for, order_for

CATEGORY = DataCategory.EDUCATION_WORK
MAX_HOURS_A_DAY = Decimal(12)
MIN_HOURS = Decimal("0.25")
S = OrderStatus
# The order's lifecycle; "invoiced" is reached only by sending the invoice, and a credit note
# returns the order to "done".
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUEST: frozenset({S.ESTIMATE, S.CANCELLED}),
    S.ESTIMATE: frozenset({S.AGREED, S.CANCELLED}),
    S.AGREED: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.DONE, S.CANCELLED}),
    S.DONE: frozenset(),
    S.INVOICED: frozenset(),
    S.CANCELLED: frozenset(),
}
UNITS = {LineKind.LABOUR: "HUR", LineKind.MATERIALS: "C62", LineKind.TRAVEL: "KMT"}


def _text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def _required(errors: dict[str, list[str]], field: str, value: Any, message: str) -> None:
    if value in (None, ""):
        errors.setdefault(field, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


MAX_CENTS = 100_000_000  # one million euros: more is a typing error
MAX_QUANTITY = Decimal("9999999.99")


def _places(value: Decimal, places: int) -> bool:
    """At most ``places`` decimals."""
    return value == value.quantize(Decimal(1).scaleb(-places))


def _cents_ok(
    errors: dict[str, list[str]], field: str, value: int | None, *, high: int = MAX_CENTS
) -> None:
    if value is not None and not 0 <= value <= high:
        errors.setdefault(field, []).append(_("Summa on liian suuri."))


# Groups ---------------------------------------------------------------------------------------


def group_create(
    *,
    actor: StaffMember,
    name: str,
    kind: str,
    cost_centre: str,
    municipality: Municipality | None,
    active_from: dt.date | None,
    peer_instructor: StaffMember | None = None,
    required_training: str = "",
    competition_note: str = "",
    supervisor_monthly_cents: int | None = None,
) -> WorkGroup:
    """A new group of the actor's organisation, supervised by the actor."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    errors: dict[str, list[str]] = {}
    _required(errors, "name", _text(name, 120), _("Anna ryhmälle nimi."))
    if kind not in GroupKind.values:
        errors["kind"] = [_("Valitse työn laji.")]
    _required(errors, "cost_centre", _text(cost_centre, 20), _("Anna toimintonumero."))
    _required(errors, "municipality", municipality, _("Valitse kunta."))
    _required(errors, "active_from", active_from, _("Anna toiminnan alkupäivä."))
    if required_training and required_training not in TrainingKind.values:
        errors["required_training"] = [_("Valitse koulutus luettelosta.")]
    if peer_instructor is not None and peer_instructor.organisation_id != actor.organisation_id:
        errors["peer_instructor"] = [_("Vertaisohjaajan on oltava oman organisaatiosi työntekijä.")]
    _raise(errors)
    assert municipality is not None
    assert active_from is not None
    return WorkGroup.objects.create(
        organisation_id=actor.organisation_id,
        name=_text(name, 120),
        kind=kind,
        supervisor=actor,
        peer_instructor=peer_instructor,
        cost_centre=_text(cost_centre, 20),
        municipality=municipality,
        active_from=active_from,
        required_training=required_training,
        competition_note=(competition_note or "").strip(),
        supervisor_monthly_cents=supervisor_monthly_cents or 0,
    )


# Members --------------------------------------------------------------------------------------


def _client_write(
    actor: StaffMember, client_id: uuid.UUID, owner: int, at: dt.datetime, purpose: str
) -> None:
    """The gatekeeper's write decision for the member's work data; a refusal is a logged 404."""
    ctx = access_context_load(client_id, at=at)
    decision = decide_write(actor, ctx, owner_organisation_id=owner, category=CATEGORY)
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.UPDATE, at=at, purpose=purpose
        )


def _log(
    actor: StaffMember,
    client_id: uuid.UUID,
    action: Action,
    purpose: str,
    obj: str,
    at: dt.datetime,
) -> None:
    access_log_event(
        actor=actor,
        client_id=client_id,
        action=action,
        purpose=purpose,
        categories=[CATEGORY],
        object_type="work_group_member",
        object_id=obj,
        at=at,
    )


def member_add(
    *,
    actor: StaffMember,
    group_id: int,
    client_id: uuid.UUID,
    decision_on: dt.date | None,
    decision_maker: str,
    contract_start: dt.date | None,
    contract_end: dt.date | None,
    hours_per_week: Decimal | None,
    collective_agreement: str,
    pay_grade: str,
    hourly_wage_cents: int | None,
    training_from: dt.date | None = None,
    subsidy_from: dt.date | None = None,
    subsidy_until: dt.date | None = None,
    subsidy_percent: int | None = None,
    subsidy_monthly_cents: int | None = None,
    arrangement_support_monthly_cents: int = 0,
    at: dt.datetime | None = None,
) -> Member:
    """Employ a client in the group: the supported-employment decision, the contract and its
    terms, and the pay subsidy."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    group = group_for(actor, group_id)
    _client_write(actor, client_id, group.organisation_id, at, "work group member added")
    errors: dict[str, list[str]] = {}
    _required(errors, "decision_on", decision_on, _("Anna tuetun työllistymisen päätöksen päivä."))
    _required(errors, "decision_maker", _text(decision_maker, 120), _("Anna päätöksen tekijä."))
    _required(errors, "contract_start", contract_start, _("Anna työsuhteen alkupäivä."))
    _required(
        errors, "collective_agreement", _text(collective_agreement, 120), _("Anna työehtosopimus.")
    )
    _required(errors, "pay_grade", _text(pay_grade, 40), _("Anna palkkaryhmä."))
    if (
        hours_per_week is None
        or not Decimal(0) < hours_per_week <= Decimal(40)
        or not _places(hours_per_week, 1)
    ):
        errors["hours_per_week"] = [_("Viikkotuntien on oltava yli 0 ja enintään 40.")]
    if not hourly_wage_cents or hourly_wage_cents <= 0:
        errors["hourly_wage_cents"] = [_("Anna tuntipalkka.")]
    _cents_ok(errors, "hourly_wage_cents", hourly_wage_cents, high=20_000)
    _cents_ok(errors, "subsidy_monthly_cents", subsidy_monthly_cents, high=1_000_000)
    _cents_ok(
        errors,
        "arrangement_support_monthly_cents",
        arrangement_support_monthly_cents,
        high=1_000_000,
    )
    if contract_start and contract_end and contract_end < contract_start:
        errors["contract_end"] = [_("Työsuhde ei voi päättyä ennen kuin se alkaa.")]
    if training_from and contract_start and training_from > contract_start:
        errors["training_from"] = [
            _("Valmennus on ennen palkkatyötä: sen on alettava viimeistään työsuhteen alkaessa.")
        ]
    if decision_on and contract_start and decision_on > contract_start:
        errors["decision_on"] = [_("Tuetun työllistymisen päätös tehdään ennen työsuhteen alkua.")]
    if subsidy_percent is not None and not 0 < subsidy_percent <= 100:
        errors["subsidy_percent"] = [_("Palkkatuen prosentin on oltava 1–100.")]
    if subsidy_from and subsidy_until and subsidy_until < subsidy_from:
        errors["subsidy_until"] = [_("Palkkatuki ei voi päättyä ennen kuin se alkaa.")]
    if (subsidy_percent or subsidy_monthly_cents) and not subsidy_from:
        errors["subsidy_from"] = [_("Anna palkkatuen alkupäivä.")]
    _raise(errors)
    assert decision_on is not None
    assert contract_start is not None
    assert hours_per_week is not None
    assert hourly_wage_cents is not None
    with transaction.atomic():
        # One employment at a time: the day's 12 hours are the person's, not the row's.
        overlapping = (
            Member.objects.select_for_update()
            .filter(client_id=client_id, owner_organisation_id=group.organisation_id)
            .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=contract_start))
        )
        if contract_end is not None:
            overlapping = overlapping.filter(contract_start__lte=contract_end)
        if overlapping.exists():
            raise ValidationError(
                {
                    "contract_start": [
                        _(
                            "Henkilöllä on jo työsuhde ryhmässä samalle ajalle. Päätä se ensin "
                            "tai valitse työsuhteelle toinen aika."
                        )
                    ]
                }
            )
        member = Member.objects.create(
            client_id=client_id,
            owner_organisation_id=group.organisation_id,
            category=CATEGORY,
            created_at=at,
            group=group,
            decision_on=decision_on,
            decision_maker=_text(decision_maker, 120),
            training_from=training_from,
            contract_start=contract_start,
            contract_end=contract_end,
            hours_per_week=hours_per_week,
            collective_agreement=_text(collective_agreement, 120),
            pay_grade=_text(pay_grade, 40),
            hourly_wage_cents=hourly_wage_cents,
            subsidy_from=subsidy_from,
            subsidy_until=subsidy_until,
            subsidy_percent=subsidy_percent,
            subsidy_monthly_cents=subsidy_monthly_cents,
            arrangement_support_monthly_cents=arrangement_support_monthly_cents or 0,
            added_by=actor,
        )
        _log(actor, client_id, Action.CREATE, "work group member added", str(member.pk), at)
    return member


def training_record(
    *,
    actor: StaffMember,
    member_id: uuid.UUID,
    kind: str,
    completed_on: dt.date | None,
    expires_on: dt.date | None,
    name: str = "",
    at: dt.datetime | None = None,
) -> Training:
    """A safety card or another training of a member, with its expiry."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    member = member_for(actor, member_id)
    _client_write(actor, member.client_id, member.owner_organisation_id, at, "training recorded")
    errors: dict[str, list[str]] = {}
    if kind not in TrainingKind.values:
        errors["kind"] = [_("Valitse koulutus.")]
    _required(errors, "completed_on", completed_on, _("Anna suorituspäivä."))
    if completed_on and completed_on > timezone.localdate(at):
        errors["completed_on"] = [_("Suorituspäivä ei voi olla tulevaisuudessa.")]
    if completed_on and expires_on and expires_on < completed_on:
        errors["expires_on"] = [_("Voimassaolo ei voi päättyä ennen suoritusta.")]
    _raise(errors)
    assert completed_on is not None
    with transaction.atomic():
        training = Training.objects.create(
            client_id=member.client_id,
            owner_organisation_id=member.owner_organisation_id,
            category=CATEGORY,
            created_at=at,
            member=member,
            kind=kind,
            name=_text(name, 120),
            completed_on=completed_on,
            expires_on=expires_on,
        )
        _log(actor, member.client_id, Action.CREATE, "training recorded", str(member.pk), at)
    return training


def member_end(
    *,
    actor: StaffMember,
    member_id: uuid.UUID,
    on: dt.date | None,
    reason: str,
    at: dt.datetime | None = None,
) -> Member:
    """End a member's employment on ``on`` and record where they went: work on the open labour
    market counts as an outcome in the management indicators."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    member = member_for(actor, member_id)
    _client_write(actor, member.client_id, member.owner_organisation_id, at, "employment ended")
    errors: dict[str, list[str]] = {}
    if on is None:
        errors["on"] = [_("Anna työsuhteen viimeinen päivä.")]
    elif on < member.contract_start:
        errors["on"] = [_("Työsuhde ei voi päättyä ennen kuin se alkaa.")]
    elif HourEntry.objects.filter(member=member, day__gt=on).exists():
        errors["on"] = [_("Työntekijällä on tunteja päättymispäivän jälkeen.")]
    elif on > timezone.localdate(at) + dt.timedelta(days=366):
        errors["on"] = [_("Päättymispäivä voi olla enintään vuoden päässä.")]
    if reason not in EndReason.values:
        errors["reason"] = [_("Valitse, mihin työntekijä siirtyi.")]
    if member.end_reason:
        errors["on"] = [_("Työsuhteen päättyminen on jo kirjattu.")]
    _raise(errors)
    assert on is not None
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.end_reason or HourEntry.objects.filter(member=member, day__gt=on).exists():
            raise ValidationError(
                {"on": [_("Työsuhde on jo päätetty tai sille kirjattiin juuri tunteja.")]}
            )
        member.contract_end = on
        member.end_reason = reason
        member.save(update_fields=["contract_end", "end_reason"])
        _log(actor, member.client_id, Action.UPDATE, "employment ended", str(member.pk), at)
    return member


def training_missing(member: Member, day: dt.date) -> str:
    """Why the member may not work on ``day`` for want of the group's required training, or ''."""
    required = member.group.required_training
    if not required:
        return ""
    valid = [
        t
        for t in member.trainings.all()
        if t.kind == required
        and t.completed_on <= day
        and (t.expires_on is None or day <= t.expires_on)
    ]
    if valid:
        return ""
    label = TrainingKind(required).label
    return _(
        "Työntekijällä ei ole voimassa olevaa koulutusta: %(training)s. Häntä ei voi "
        "merkitä työhön ennen kuin koulutus on voimassa."
    ) % {"training": label}


# Customers and agreements ---------------------------------------------------------------------


def customer_create(
    *,
    actor: StaffMember,
    kind: str,
    name: str,
    street: str,
    postcode: str,
    city: str,
    unit: str = "",
    email: str = "",
    phone: str = "",
    language: str = "fi",
    business_id: str = "",
    e_invoice_address: str = "",
    e_invoice_operator: str = "",
    household_deduction: bool = False,
) -> Customer:
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    errors: dict[str, list[str]] = {}
    if kind not in CustomerKind.values:
        errors["kind"] = [_("Valitse tilaajan tyyppi.")]
    _required(errors, "name", _text(name, 160), _("Anna nimi."))
    _required(errors, "street", _text(street, 160), _("Anna katuosoite."))
    code = (postcode or "").strip()
    if not (code.isascii() and code.isdigit() and len(code) == 5):
        errors["postcode"] = [_("Postinumero on viisi numeroa.")]
    _required(errors, "city", _text(city, 80), _("Anna postitoimipaikka."))
    if language not in ("fi", "sv", "en"):
        errors["language"] = [_("Valitse laskun kieli.")]
    compact = ""
    if business_id.strip():
        try:
            compact = ytunnus.validate(business_id.strip())
        except Exception:
            errors["business_id"] = [_("Y-tunnus ei ole oikein (muoto 1234567-8, tarkiste).")]
    elif kind == CustomerKind.COMPANY:
        errors["business_id"] = [_("Anna yrityksen Y-tunnus.")]
    if kind == CustomerKind.PERSON and (compact or e_invoice_address.strip()):
        errors["business_id"] = [
            _("Yksityishenkilöllä ei ole Y-tunnusta eikä verkkolaskuosoitetta.")
        ]
    if household_deduction and kind != CustomerKind.PERSON:
        errors["household_deduction"] = [_("Kotitalousvähennys koskee vain yksityishenkilöitä.")]
    _raise(errors)
    return Customer.objects.create(
        organisation_id=actor.organisation_id,
        kind=kind,
        name=_text(name, 160),
        unit=_text(unit, 160),
        street=_text(street, 160),
        postcode=code,
        city=_text(city, 80),
        email=_text(email, 254),
        phone=_text(phone, 30),
        language=language,
        business_id=ytunnus.format(compact) if compact else "",
        e_invoice_address=_text(e_invoice_address, 35),
        e_invoice_operator=_text(e_invoice_operator, 35),
        household_deduction=household_deduction,
        created_by=actor,
    )


def agreement_add(
    *,
    actor: StaffMember,
    customer_id: int,
    valid_from: dt.date | None,
    signed_on: dt.date | None,
    service_description: str,
    terms: str = "",
    valid_until: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Agreement:
    """A new version of the cooperation agreement; the previous version ends the day before."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    customer = customer_for(actor, customer_id)
    errors: dict[str, list[str]] = {}
    if not customer.is_organisation:
        errors["customer"] = [_("Yhteistyösopimus tehdään organisaatiotilaajan kanssa.")]
    _required(errors, "valid_from", valid_from, _("Anna alkupäivä."))
    _required(errors, "signed_on", signed_on, _("Anna allekirjoituspäivä."))
    _required(
        errors,
        "service_description",
        (service_description or "").strip(),
        _("Kirjoita palvelukuvaus."),
    )
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("Sopimus ei voi päättyä ennen kuin se alkaa.")]
    _raise(errors)
    assert valid_from is not None
    assert signed_on is not None
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        previous = (
            Agreement.objects.select_for_update()
            .filter(customer=customer)
            .order_by("-version")
            .first()
        )
        if previous is not None and previous.valid_from >= valid_from:
            raise ValidationError(
                {"valid_from": [_("Uuden version on alettava edellisen jälkeen.")]}
            )
        if previous is not None and (
            previous.valid_until is None or previous.valid_until >= valid_from
        ):
            previous.valid_until = valid_from - dt.timedelta(days=1)
            previous.save(update_fields=["valid_until"])
        return Agreement.objects.create(
            customer=customer,
            version=(previous.version + 1) if previous else 1,
            valid_from=valid_from,
            valid_until=valid_until,
            signed_on=signed_on,
            service_description=service_description.strip(),
            terms=(terms or "").strip(),
            recorded_by=actor,
            recorded_at=at,
        )


def agreement_in_force(customer: Customer, day: dt.date) -> Agreement | None:
    return (
        Agreement.objects.filter(customer=customer, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-version")
        .first()
    )


# Orders ---------------------------------------------------------------------------------------


def order_create(
    *,
    actor: StaffMember,
    group_id: int,
    customer_id: int,
    title: str,
    site: str,
    description: str = "",
    customer_reference: str = "",
    service_voucher: bool = False,
    at: dt.datetime | None = None,
) -> Order:
    """A request for work. An organisation customer needs a cooperation agreement in force."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    group = group_for(actor, group_id)
    customer = customer_for(actor, customer_id)
    errors: dict[str, list[str]] = {}
    if service_voucher:
        errors["service_voucher"] = [
            _(
                "Palveluseteliä ei voi käyttää: ryhmän työ on hyvinvointialueen omaa myyntiä, "
                "ei palvelusetelillä tuotettua palvelua."
            )
        ]
    _required(errors, "title", _text(title, 160), _("Kerro, mikä työ on kyseessä."))
    _required(errors, "site", _text(site, 200), _("Anna työkohteen osoite."))
    if customer.is_organisation and agreement_in_force(customer, timezone.localdate(at)) is None:
        errors["customer"] = [
            _(
                "Organisaatiotilaajan kanssa tarvitaan voimassa oleva yhteistyösopimus ja "
                "palvelukuvaus ennen ensimmäistä tilausta."
            )
        ]
    _raise(errors)
    with transaction.atomic():
        order = Order.objects.create(
            group=group,
            customer=customer,
            title=_text(title, 160),
            site=_text(site, 200),
            description=(description or "").strip(),
            customer_reference=_text(customer_reference, 70),
            created_by=actor,
            created_at=at,
        )
        OrderEvent.objects.create(order=order, to_status=S.REQUEST, at=at, actor=actor)
    return order


def order_risk_assessment_record(
    *,
    actor: StaffMember,
    order_id: uuid.UUID,
    on: dt.date | None,
    by: str,
    at: dt.datetime | None = None,
) -> Order:
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    order = order_for(actor, order_id)
    errors: dict[str, list[str]] = {}
    _required(errors, "on", on, _("Anna riskiarvion päivä."))
    _required(errors, "by", _text(by, 120), _("Kerro, kuka riskiarvion teki."))
    if on and on > timezone.localdate(at):
        errors["on"] = [_("Riskiarvion päivä ei voi olla tulevaisuudessa.")]
    if order.status in (S.INVOICED, S.CANCELLED):
        errors["order"] = [_("Laskutettua tai peruttua tilausta ei voi muuttaa.")]
    _raise(errors)
    order.risk_assessed_on = on
    order.risk_assessed_by = _text(by, 120)
    order.save(update_fields=["risk_assessed_on", "risk_assessed_by"])
    return order


def order_transition(
    *,
    actor: StaffMember,
    order_id: uuid.UUID,
    to_status: str,
    note: str = "",
    estimate_hours: Decimal | None = None,
    scheduled_from: dt.date | None = None,
    scheduled_to: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Order:
    """Move the order one step: an estimate names the hours, scheduling needs the risk assessment
    and dates, and work is done only with hours recorded."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    order_for(actor, order_id)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        errors: dict[str, list[str]] = {}
        if to_status not in TRANSITIONS.get(order.status, frozenset()):
            current = OrderStatus(order.status).label
            target = OrderStatus(to_status).label if to_status in OrderStatus.values else to_status
            raise ValidationError(
                _("Tilausta ei voi siirtää tilasta %(current)s tilaan %(target)s.")
                % {"current": current, "target": target}
            )
        fields = ["status"]
        if to_status == S.ESTIMATE:
            if (
                estimate_hours is None
                or not Decimal(0) < estimate_hours <= Decimal(99999)
                or not _places(estimate_hours, 2)
            ):
                errors["estimate_hours"] = [
                    _("Anna arvioidut tunnit (enintään 99 999, kaksi desimaalia).")
                ]
            order.estimate_hours = estimate_hours
            fields.append("estimate_hours")
        if to_status == S.SCHEDULED:
            if order.risk_assessed_on is None:
                errors["risk"] = [_("Tee ja kirjaa työkohteen riskiarvio ennen aikataulutusta.")]
            if scheduled_from is None:
                errors["scheduled_from"] = [_("Anna työn alkupäivä.")]
            if scheduled_from and scheduled_to and scheduled_to < scheduled_from:
                errors["scheduled_to"] = [_("Työ ei voi päättyä ennen kuin se alkaa.")]
            order.scheduled_from, order.scheduled_to = (
                scheduled_from,
                scheduled_to or scheduled_from,
            )
            fields += ["scheduled_from", "scheduled_to"]
        if to_status == S.DONE and not HourEntry.objects.filter(order=order).exists():
            errors["hours"] = [_("Kirjaa tehdyt tunnit ennen kuin merkitset työn tehdyksi.")]
        _raise(errors)
        order.status = to_status
        order.save(update_fields=fields)
        OrderEvent.objects.create(
            order=order, to_status=to_status, at=at, actor=actor, note=_text(note, 300)
        )
    return order


def order_line_add(
    *,
    actor: StaffMember,
    order_id: uuid.UUID,
    kind: str,
    description: str,
    quantity: Decimal | None,
    unit_price_cents: int | None,
) -> OrderLine:
    """Materials or travel, invoiced apart from the work."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    order = order_for(actor, order_id)
    errors: dict[str, list[str]] = {}
    if kind not in (LineKind.MATERIALS, LineKind.TRAVEL):
        errors["kind"] = [_("Valitse tarvikkeet tai matkat.")]
    _required(errors, "description", _text(description, 160), _("Kirjoita kuvaus."))
    if quantity is None or not Decimal(0) < quantity <= MAX_QUANTITY or not _places(quantity, 2):
        errors["quantity"] = [_("Määrän on oltava suurempi kuin nolla (kaksi desimaalia).")]
    if unit_price_cents is None or unit_price_cents < 0:
        errors["unit_price_cents"] = [_("Anna yksikköhinta.")]
    _cents_ok(errors, "unit_price_cents", unit_price_cents)
    _raise(errors)
    assert quantity is not None
    assert unit_price_cents is not None
    with transaction.atomic():
        # Under the order's lock: a line never slips in beside an invoice being made.
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status in (S.INVOICED, S.CANCELLED):
            raise ValidationError(
                {"order": [_("Laskutettuun tai peruttuun tilaukseen ei voi lisätä rivejä.")]}
            )
        return OrderLine.objects.create(
            order=locked,
            kind=kind,
            description=_text(description, 160),
            quantity=quantity,
            unit=UNITS[LineKind(kind)],
            unit_price_cents=unit_price_cents,
        )


# Hours ----------------------------------------------------------------------------------------


def hours_record(
    *,
    actor: StaffMember,
    order_id: uuid.UUID,
    member_id: uuid.UUID,
    day: dt.date | None,
    hours: Decimal | None,
    at: dt.datetime | None = None,
) -> HourEntry:
    """A member's hours on the order on one day (replacing that day's earlier entry while the
    order is not invoiced)."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    order = order_for(actor, order_id)
    member = member_for(actor, member_id)
    _client_write(actor, member.client_id, member.owner_organisation_id, at, "hours recorded")
    errors: dict[str, list[str]] = {}
    if member.group_id != order.group_id:
        errors["member"] = [_("Työntekijä ei ole tämän tilauksen ryhmässä.")]
    if day is None:
        errors["day"] = [_("Anna päivä.")]
    elif day > timezone.localdate(at):
        errors["day"] = [_("Tunteja ei voi kirjata tulevalle päivälle.")]
    elif day < member.contract_start or (member.contract_end and day > member.contract_end):
        errors["day"] = [
            _("Päivä on työsuhteen ulkopuolella: tunteja voi kirjata vain työsuhteen ajalle.")
        ]
    if hours is None or hours <= 0:
        errors["hours"] = [_("Tuntien on oltava suurempi kuin nolla.")]
    elif hours < MIN_HOURS or not _places(hours, 2):
        errors["hours"] = [_("Kirjaa vähintään 0,25 tuntia, enintään kahdella desimaalilla.")]
    elif hours > MAX_HOURS_A_DAY:
        errors["hours"] = [_("Päivässä voi kirjata enintään 12 tuntia.")]
    if order.status not in (S.SCHEDULED, S.DONE):
        errors["order"] = [
            _(
                "Tunteja kirjataan aikataulutetulle tai tehdylle tilaukselle, ei "
                "laskutetulle tai perutulle."
            )
        ]
    if day is not None and not errors.get("day"):
        missing = training_missing(member, day)
        if missing:
            errors["member"] = [missing]
    _raise(errors)
    assert day is not None
    assert hours is not None
    try:
        with transaction.atomic():
            return _hours_save(actor, order, member, day, hours, at)
    except IntegrityError as exc:  # the same day typed twice at once: the other one won
        raise ValidationError(
            {
                "hours": [
                    _("Päivän tunnit tallennettiin juuri toisaalla. Tarkista ja yritä uudelleen.")
                ]
            }
        ) from exc


def _hours_save(
    actor: StaffMember,
    order: Order,
    member: Member,
    day: dt.date,
    hours: Decimal,
    at: dt.datetime,
) -> HourEntry:
    """In the caller's transaction, under the order's and the person's locks: the order still
    takes hours, and the person's day stays within 12 hours over all their orders."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status not in (S.SCHEDULED, S.DONE):
        raise ValidationError(
            {
                "order": [
                    _(
                        "Tunteja kirjataan aikataulutetulle tai tehdylle tilaukselle, ei "
                        "laskutetulle tai perutulle."
                    )
                ]
            }
        )
    person = Member.objects.select_for_update().filter(
        client_id=member.client_id, owner_organisation_id=member.owner_organisation_id
    )
    list(person)
    others = HourEntry.objects.filter(
        client_id=member.client_id, owner_organisation_id=member.owner_organisation_id, day=day
    ).exclude(member=member, order=order).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if others + hours > MAX_HOURS_A_DAY:
        raise ValidationError(
            {
                "hours": [
                    _(
                        "Päivässä voi kirjata enintään 12 tuntia; työntekijällä on jo "
                        "%(hours)s tuntia muilla töillä."
                    )
                    % {"hours": others}
                ]
            }
        )
    existing = (
        HourEntry.objects.select_for_update().filter(member=member, order=locked, day=day).first()
    )
    if existing is not None and existing.invoice_id is not None:
        raise ValidationError(
            {"hours": [_("Laskutettuja tunteja ei voi muuttaa; korjaus tehdään hyvityslaskulla.")]}
        )
    if existing is None:
        entry = HourEntry.objects.create(
            client_id=member.client_id,
            owner_organisation_id=member.owner_organisation_id,
            category=CATEGORY,
            created_at=at,
            member=member,
            order=locked,
            day=day,
            hours=hours,
            entered_by=actor,
        )
    else:
        existing.hours = hours
        existing.entered_by = actor
        existing.save(update_fields=["hours", "entered_by"])
        entry = existing
    _log(actor, member.client_id, Action.UPDATE, "hours recorded", str(member.pk), at)
    return entry


# Invoices -------------------------------------------------------------------------------------


def _next_number(organisation_id: int) -> int:
    """The issuer's next invoice number, taken under a row lock in the caller's transaction: two
    senders never get the same number and no number is skipped (a rollback returns it)."""
    seller = Seller.objects.select_for_update().filter(organisation_id=organisation_id).first()
    if seller is None:
        raise ValidationError(_("Organisaation laskutustiedot (tilinumero ja osoite) puuttuvat."))
    seller.last_number += 1
    seller.save(update_fields=["last_number"])
    return seller.last_number


def reference_for(number: int) -> str:
    """The invoice's reference number: a leading 1 and the invoice number (so no reference
    starts with a zero), with its check digit."""
    return billing.reference_number(f"1{number:05d}")


def _buyer(customer: Customer) -> dict[str, str]:
    return {
        "name": customer.name,
        "unit": customer.unit,
        "street": customer.street,
        "postcode": customer.postcode,
        "city": customer.city,
        "business_id": customer.business_id,
        "e_invoice_address": customer.e_invoice_address,
        "e_invoice_operator": customer.e_invoice_operator,
        "email": customer.email,
        "kind": customer.kind,
    }


def _seller(organisation_id: int) -> dict[str, str]:
    """The issuer's details as they are when the invoice is sent: the invoice keeps them."""
    seller = Seller.objects.select_related("organisation").get(organisation_id=organisation_id)
    return {
        "name": str(seller.organisation.name),
        "business_id": seller.organisation.business_id,
        "street": seller.street,
        "postcode": seller.postcode,
        "city": seller.city,
        "iban": seller.iban,
        "bic": seller.bic,
        "vat_number": seller.vat_number,
        "e_invoice_address": seller.e_invoice_address,
        "e_invoice_operator": seller.e_invoice_operator,
    }


def _labour_lines(order: Order, hours: list[HourEntry], price: int) -> list[dict[str, Any]]:
    """One line of work per day, the members' hours summed (no names on the invoice)."""
    per_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    for entry in hours:
        per_day[entry.day] += entry.hours
    return [
        {
            "kind": LineKind.LABOUR,
            "description": _("Työ %(day)s") % {"day": f"{day.day}.{day.month}.{day.year}"},
            "quantity": total,
            "unit": UNITS[LineKind.LABOUR],
            "unit_price_cents": price,
        }
        for day, total in sorted(per_day.items())
    ]


def invoice_send(
    *,
    actor: StaffMember,
    order_id: uuid.UUID,
    issued_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Invoice:
    """Invoice a done order: its hours at the price per hour of the day of issue, its materials
    and travel, VAT as the dated treatment says; number, reference and due date. The hours and
    lines are locked to the invoice, which never changes."""
    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    issued_on = issued_on or timezone.localdate(at)
    order_for(actor, order_id)
    try:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update()
                .select_related("customer", "group")
                .get(pk=order_id)
            )
            if order.status != S.DONE:
                raise ValidationError(_("Vain tehdyn tilauksen voi laskuttaa."))
            hours = list(
                HourEntry.objects.select_for_update()
                .filter(order=order, invoice__isnull=True)
                .order_by("day", "pk")
            )
            if not hours:
                raise ValidationError(
                    _(
                        "Tilauksella ei ole laskuttamattomia tunteja: laskua ei voi "
                        "lähettää ilman tunteja."
                    )
                )
            extra = list(
                OrderLine.objects.select_for_update()
                .filter(order=order, invoice__isnull=True)
                .order_by("pk")
            )
            price = billing.hour_price_cents(issued_on)
            vat = billing.vat_treatment(issued_on)
            rows = _labour_lines(order, hours, price) + [
                {
                    "kind": line.kind,
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit": line.unit,
                    "unit_price_cents": line.unit_price_cents,
                }
                for line in extra
            ]
            totals = billing.invoice_totals(
                (
                    billing.Line(r["kind"], Decimal(r["quantity"]), r["unit_price_cents"])
                    for r in rows
                ),
                vat,
            )
            number = _next_number(order.group.organisation_id)
            customer = order.customer
            invoice = Invoice.objects.create(
                issuer_id=order.group.organisation_id,
                number=number,
                order=order,
                customer=customer,
                issued_on=issued_on,
                due_on=billing.due_date(issued_on),
                delivered_from=hours[0].day,
                delivered_to=hours[-1].day,
                reference=reference_for(number),
                vat_category=vat.category,
                vat_rate=vat.rate,
                vat_exemption_code=vat.exemption_code,
                net_cents=totals.net_cents,
                vat_cents=totals.vat_cents,
                gross_cents=totals.gross_cents,
                labour_gross_cents=totals.labour_gross_cents,
                household_deduction=customer.household_deduction
                and billing.household_deduction_applies(issued_on),
                language=customer.language,
                buyer=_buyer(customer),
                seller=_seller(order.group.organisation_id),
                order_reference=order.customer_reference,
                cost_centre=order.group.cost_centre,
                issued_by=actor,
                issued_at=at,
            )
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice,
                    position=n,
                    kind=r["kind"],
                    description=r["description"],
                    quantity=r["quantity"],
                    unit=r["unit"],
                    unit_price_cents=r["unit_price_cents"],
                    net_cents=amounts.net_cents,
                    vat_cents=amounts.vat_cents,
                )
                for n, (r, amounts) in enumerate(zip(rows, totals.lines, strict=True), start=1)
            )
            HourEntry.objects.filter(pk__in=[h.pk for h in hours]).update(invoice=invoice)
            OrderLine.objects.filter(pk__in=[line.pk for line in extra]).update(invoice=invoice)
            order.status = S.INVOICED
            order.save(update_fields=["status"])
            OrderEvent.objects.create(
                order=order, to_status=S.INVOICED, at=at, actor=actor, note=str(number)
            )
    except IntegrityError as exc:  # a concurrent sender invoiced the order first
        raise ValidationError(_("Tilaus laskutettiin juuri toisaalla.")) from exc
    return invoice


def credit_note_send(
    *,
    actor: StaffMember,
    invoice_id: uuid.UUID,
    reason: str,
    issued_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Invoice:
    """Credit a sent invoice in full: a new invoice with every line negated that names the
    original. The order returns to done, its hours and lines free to correct and invoice anew."""
    from tyollisyystalo.subcontracting.selectors import invoice_for

    require_capability(actor, Capability.WORK_GROUP_MANAGE)
    at = at or timezone.now()
    issued_on = issued_on or timezone.localdate(at)
    original = invoice_for(actor, invoice_id)
    if not _text(reason, 300):
        raise ValidationError({"reason": [_("Kerro hyvityksen syy.")]})
    with transaction.atomic():
        original = Invoice.objects.select_for_update().get(pk=original.pk)
        if original.is_credit_note:
            raise ValidationError(_("Hyvityslaskua ei hyvitetä."))
        if Invoice.objects.filter(credit_for=original).exists():
            raise ValidationError(_("Lasku on jo hyvitetty."))
        number = _next_number(original.issuer_id)
        note = Invoice.objects.create(
            issuer_id=original.issuer_id,
            number=number,
            order_id=original.order_id,
            customer_id=original.customer_id,
            credit_for=original,
            issued_on=issued_on,
            due_on=issued_on,
            delivered_from=original.delivered_from,
            delivered_to=original.delivered_to,
            reference=reference_for(number),
            vat_category=original.vat_category,
            vat_rate=original.vat_rate,
            vat_exemption_code=original.vat_exemption_code,
            net_cents=-original.net_cents,
            vat_cents=-original.vat_cents,
            gross_cents=-original.gross_cents,
            labour_gross_cents=-original.labour_gross_cents,
            household_deduction=original.household_deduction,
            language=original.language,
            buyer=original.buyer,
            seller=original.seller,
            order_reference=original.order_reference,
            cost_centre=original.cost_centre,
            issued_by=actor,
            issued_at=at,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=note,
                position=line.position,
                kind=line.kind,
                description=line.description,
                quantity=-line.quantity,
                unit=line.unit,
                unit_price_cents=line.unit_price_cents,
                net_cents=-line.net_cents,
                vat_cents=-line.vat_cents,
            )
            for line in original.lines.all()
        )
        HourEntry.objects.filter(invoice=original).update(invoice=None)
        OrderLine.objects.filter(invoice=original).update(invoice=None)
        order = Order.objects.select_for_update().get(pk=original.order_id)
        order.status = S.DONE
        order.save(update_fields=["status"])
        OrderEvent.objects.create(
            order=order, to_status=S.DONE, at=at, actor=actor, note=_text(reason, 300)
        )
    return note
