"""The supervisor's walk in services: order → hours → invoice → credit note, and every refusal
the issue names, each with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import add_to_team, make_client, make_person
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import billing, services
from tyollisyystalo.subcontracting.models import (
    HourEntry,
    Invoice,
    Member,
    Order,
    OrderEvent,
    Training,
)
from tyollisyystalo.subcontracting.selectors import deduction_estimate, group_page
from tyollisyystalo.subcontracting.tests.conftest import TODAY, employ, scheduled_order


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.django_db
def test_order_hours_invoice_and_credit_note(supervisor, group, member, person_customer):
    order = scheduled_order(supervisor, group, person_customer)
    for days_ago, hours in ((14, "6"), (13, "7.5"), (12, "4")):
        services.hours_record(
            actor=supervisor,
            order_id=order.pk,
            member_id=member.pk,
            day=TODAY - dt.timedelta(days=days_ago),
            hours=Decimal(hours),
        )
    # A day's hours typed again replace the earlier entry while the order is not invoiced.
    services.hours_record(
        actor=supervisor,
        order_id=order.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=12),
        hours=Decimal("4.5"),
    )
    assert HourEntry.objects.filter(order=order).count() == 3
    services.order_line_add(
        actor=supervisor,
        order_id=order.pk,
        kind="materials",
        description="Jätesäkit",
        quantity=Decimal(2),
        unit_price_cents=1290,
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
    invoice = services.invoice_send(actor=supervisor, order_id=order.pk)
    assert invoice.number == 1
    assert billing.reference_valid(invoice.reference)
    assert invoice.vat_category == "E"
    assert invoice.vat_exemption_code == "VATEX-EU-132-1G"
    labour = (6 + Decimal("7.5") + Decimal("4.5")) * 3500
    assert invoice.labour_gross_cents == labour
    assert invoice.gross_cents == labour + 2 * 1290
    assert invoice.vat_cents == 0
    assert invoice.household_deduction
    assert sum(line.net_cents for line in invoice.lines.all()) == invoice.net_cents
    assert invoice.due_on == TODAY + dt.timedelta(days=14)
    order.refresh_from_db()
    assert order.status == "invoiced"
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True)) == [
        "request",
        "estimate",
        "agreed",
        "scheduled",
        "done",
        "invoiced",
    ]
    # Invoiced hours are locked: nothing changes them but a credit note.
    with pytest.raises(ValidationError) as refused:
        services.hours_record(
            actor=supervisor,
            order_id=order.pk,
            member_id=member.pk,
            day=TODAY - dt.timedelta(days=12),
            hours=Decimal(2),
        )
    assert "laskutetulle" in _messages(refused)
    assert HourEntry.objects.get(day=TODAY - dt.timedelta(days=12)).hours == Decimal("4.5")
    with pytest.raises(ValidationError):
        services.invoice_send(actor=supervisor, order_id=order.pk)
    # The household deduction's estimate for the year: 35 % of the labour less 150 €.
    estimate = deduction_estimate(person_customer, TODAY.year)
    assert estimate is not None
    expected = min(160000, max(0, round(labour * Decimal("0.35")) - 15000))
    assert estimate.deduction_cents == expected

    note = services.credit_note_send(
        actor=supervisor, invoice_id=invoice.pk, reason="Tunnit korjattava"
    )
    assert note.number == 2
    assert note.credit_for == invoice
    assert note.gross_cents == -invoice.gross_cents
    assert [line.net_cents for line in note.lines.all()] == [
        -line.net_cents for line in invoice.lines.all()
    ]
    invoice.refresh_from_db()
    assert invoice.gross_cents == labour + 2 * 1290  # the original never changes
    after_credit = deduction_estimate(person_customer, TODAY.year)
    assert after_credit is not None
    assert after_credit.deduction_cents == 0
    with pytest.raises(ValidationError):
        services.credit_note_send(actor=supervisor, invoice_id=invoice.pk, reason="Uudestaan")
    # The hours are free to correct, and the order is invoiced anew with the next number.
    services.hours_record(
        actor=supervisor,
        order_id=order.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=12),
        hours=Decimal(2),
    )
    again = services.invoice_send(actor=supervisor, order_id=order.pk)
    assert again.number == 3
    assert again.labour_gross_cents == (6 + Decimal("7.5") + 2) * 3500


@pytest.mark.django_db
def test_hours_are_refused_with_a_reason_and_nothing_saved(
    supervisor, group, member, person_customer, worker
):
    order = scheduled_order(supervisor, group, person_customer)
    start = member.contract_start

    def refused(day, hours, member_id=member.pk) -> str:
        with pytest.raises(ValidationError) as exc:
            services.hours_record(
                actor=supervisor,
                order_id=order.pk,
                member_id=member_id,
                day=day,
                hours=Decimal(hours),
            )
        return _messages(exc)

    assert "työsuhteen ulkopuolella" in refused(start - dt.timedelta(days=1), "4")
    assert "enintään 12" in refused(TODAY - dt.timedelta(days=3), "12.5")
    assert "suurempi kuin nolla" in refused(TODAY - dt.timedelta(days=3), "0")
    assert "tulevalle" in refused(TODAY + dt.timedelta(days=1), "4")
    # Twelve hours a day over all orders.
    other = scheduled_order(supervisor, group, person_customer)
    services.hours_record(
        actor=supervisor,
        order_id=other.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=3),
        hours=Decimal(9),
    )
    assert "enintään 12" in refused(TODAY - dt.timedelta(days=3), "4")
    # An expired safety card: the member cannot be put on the job.
    Training.objects.filter(member=member).update(expires_on=TODAY - dt.timedelta(days=10))
    message = refused(TODAY - dt.timedelta(days=2), "4")
    assert "Työturvallisuuskortti" in message
    assert HourEntry.objects.filter(order=order).count() == 0


@pytest.mark.django_db
def test_an_organisation_customer_needs_a_valid_business_id_and_an_agreement(supervisor, group):
    with pytest.raises(ValidationError) as bad:
        services.customer_create(
            actor=supervisor,
            kind="company",
            name="Rakennus Oy",
            street="Teollisuustie 1",
            postcode="55100",
            city="Imatra",
            business_id="1234567-8",
        )
    assert "Y-tunnus" in _messages(bad)
    city = services.customer_create(
        actor=supervisor,
        kind="municipality",
        name="Imatran kaupunki",
        unit="Tilapalvelut",
        street="Virastokatu 2",
        postcode="55100",
        city="Imatra",
        business_id="0162193-3",
        e_invoice_address="003701621933",
        e_invoice_operator="003721291126",
    )
    assert city.business_id == "0162193-3"
    with pytest.raises(ValidationError) as missing:
        services.order_create(
            actor=supervisor,
            group_id=group.pk,
            customer_id=city.pk,
            title="Kuukausisiivous",
            site="Virastokatu 2",
        )
    assert "yhteistyösopimus" in _messages(missing)
    assert not Order.objects.exists()
    first = services.agreement_add(
        actor=supervisor,
        customer_id=city.pk,
        valid_from=TODAY - dt.timedelta(days=60),
        signed_on=TODAY - dt.timedelta(days=61),
        service_description="Toimitilojen viikkosiivous.",
    )
    second = services.agreement_add(
        actor=supervisor,
        customer_id=city.pk,
        valid_from=TODAY - dt.timedelta(days=10),
        signed_on=TODAY - dt.timedelta(days=11),
        service_description="Toimitilojen viikkosiivous ja ikkunat.",
    )
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.valid_until == TODAY - dt.timedelta(days=11)
    order = services.order_create(
        actor=supervisor,
        group_id=group.pk,
        customer_id=city.pk,
        title="Kuukausisiivous",
        site="Virastokatu 2",
    )
    assert order.status == "request"
    with pytest.raises(ValidationError) as voucher:
        services.order_create(
            actor=supervisor,
            group_id=group.pk,
            customer_id=city.pk,
            title="Siivous",
            site="Virastokatu 2",
            service_voucher=True,
        )
    assert "Palveluseteliä" in _messages(voucher)


@pytest.mark.django_db
def test_scheduling_needs_the_risk_assessment_and_done_needs_hours(
    supervisor, group, person_customer
):
    order = services.order_create(
        actor=supervisor,
        group_id=group.pk,
        customer_id=person_customer.pk,
        title="Nurmikon leikkuu",
        site="Koivukuja 3",
    )
    with pytest.raises(ValidationError):
        services.order_transition(actor=supervisor, order_id=order.pk, to_status="scheduled")
    services.order_transition(
        actor=supervisor, order_id=order.pk, to_status="estimate", estimate_hours=Decimal(3)
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="agreed")
    with pytest.raises(ValidationError) as risk:
        services.order_transition(
            actor=supervisor, order_id=order.pk, to_status="scheduled", scheduled_from=TODAY
        )
    assert "riskiarvio" in _messages(risk)
    order.refresh_from_db()
    assert order.status == "agreed"
    services.order_risk_assessment_record(actor=supervisor, order_id=order.pk, on=TODAY, by="Kaisa")
    services.order_transition(
        actor=supervisor, order_id=order.pk, to_status="scheduled", scheduled_from=TODAY
    )
    with pytest.raises(ValidationError) as hours:
        services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
    assert "tunnit" in _messages(hours)
    with pytest.raises(ValidationError):
        services.invoice_send(actor=supervisor, order_id=order.pk)
    assert not Invoice.objects.exists()


@pytest.mark.django_db
def test_another_groups_supervisor_gets_404_and_nothing_is_logged(
    supervisor, group, member, person_customer, county
):
    order = scheduled_order(supervisor, group, person_customer)
    stranger = make_person("sanna", "Sanna Siivous", county, Role.WORK_GROUP_SUPERVISOR)
    before = AccessLogEntry.objects.count()
    for call in (
        lambda: group_page(stranger, group.pk),
        lambda: services.hours_record(
            actor=stranger,
            order_id=order.pk,
            member_id=member.pk,
            day=TODAY,
            hours=Decimal(1),
        ),
        lambda: services.order_transition(actor=stranger, order_id=order.pk, to_status="done"),
        lambda: services.training_record(
            actor=stranger,
            member_id=member.pk,
            kind="first_aid",
            completed_on=TODAY,
            expires_on=None,
        ),
    ):
        with pytest.raises(Http404):
            call()
    assert AccessLogEntry.objects.count() == before
    assert not HourEntry.objects.exists()


@pytest.mark.django_db
def test_a_client_the_supervisor_does_not_work_with_cannot_be_employed(supervisor, group, county):
    stranger = make_client(organisation=county, name=("Outi", "Ulkopuolinen"))
    with pytest.raises(Http404):
        employ(supervisor, group, stranger)
    assert not Member.objects.exists()
    denied = AccessLogEntry.objects.filter(client_id=stranger.id)
    assert denied.count() == 1
    assert denied.get().outcome == Outcome.DENIED
    add_to_team(stranger, supervisor)
    assert employ(supervisor, group, stranger).client_id == stranger.id


@pytest.mark.django_db
def test_the_group_page_names_members_as_the_gatekeeper_allows_and_warns_of_cards(
    supervisor, group, member, worker
):
    Training.objects.filter(member=member).update(expires_on=TODAY + dt.timedelta(days=20))
    page = group_page(supervisor, group.pk)
    [row] = page.members
    assert row.name == "Järvinen, Jani" or "Jani" in row.name
    assert any("vanhenee" in w for w in row.warnings)
    reads = AccessLogEntry.objects.filter(
        client_id=worker.id, outcome=Outcome.ALLOWED, action="read"
    )
    assert reads.exists()
