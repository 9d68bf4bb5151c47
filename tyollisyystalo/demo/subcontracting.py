"""Demo of the subcontracting model (issue 17 part 7): the county's renovation and cleaning
groups supervised by Kaisa, 15 members, customers of all four kinds, six months of orders,
hours and invoices, and one credit note. Written through the services, as a person would."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone
from faker import Faker

from tyollisyystalo.clients.services import IdentityInput, client_register, team_member_add
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.models import (
    Customer,
    HourEntry,
    Invoice,
    Member,
    Seller,
    WorkGroup,
)

MONTHS = 6
MEMBERS = {"renovation": 8, "cleaning": 7}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _staff(username: str) -> StaffMember:
    return StaffMember.objects.select_related("organisation").get(user__username=username)


def _hetu(index: int) -> str:
    from tyollisyystalo.clients.hetu import format_hetu

    birth = dt.date(1975, 1, 1) + dt.timedelta(days=397 * index)
    return format_hetu(birth, 950 + index, sign="-" if birth.year < 2000 else "A")


def seed_subcontracting() -> Counter[str]:
    """Idempotent: nothing happens when the county already has a work group."""
    counts: Counter[str] = Counter()
    kaisa, sanna = _staff("kaisa"), _staff("sanna")
    county = kaisa.organisation
    if WorkGroup.objects.filter(organisation=county).exists():
        return counts
    rng = random.Random(17)  # noqa: S311 - demo data, not secrets
    fake = Faker("fi_FI")
    fake.seed_instance(17)
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * MONTHS)).replace(day=1)
    municipality = Municipality.objects.get(code="X01")
    Seller.objects.get_or_create(
        organisation=county,
        defaults={
            "iban": "FI4950009420028730",
            "bic": "OKOYFIHH",
            "street": "Sairaalantie 1",
            "postcode": "99100",
            "city": "Esimerkkilä",
            "e_invoice_address": "003798456785",
            "e_invoice_operator": "003721291126",
        },
    )
    groups = {
        "renovation": services.group_create(
            actor=kaisa,
            name="Rempparyhmä",
            kind="renovation",
            cost_centre="4711",
            municipality=municipality,
            active_from=start - dt.timedelta(days=60),
            required_training="safety_card",
            competition_note=(
                "Toiminta ja hinnoittelu käytiin läpi Kilpailu- ja kuluttajaviraston kanssa "
                "ennen pilotin alkua."
            ),
        ),
        "cleaning": services.group_create(
            actor=kaisa,
            name="Siivousryhmä",
            kind="cleaning",
            cost_centre="4712",
            municipality=municipality,
            active_from=start - dt.timedelta(days=60),
            required_training="hygiene",
        ),
    }
    counts["groups"] = 2
    index = 0
    members: dict[str, list[Member]] = {key: [] for key in groups}
    for key, size in MEMBERS.items():
        for _n in range(size):
            index += 1
            client = client_register(
                actor=sanna,
                data=IdentityInput(
                    first_names=fake.first_name(),
                    last_name=fake.last_name(),
                    hetu=_hetu(index),
                    municipality=municipality,
                ),
                at=_at(start - dt.timedelta(days=90)),
            )
            team_member_add(
                actor=sanna,
                client_id=client.id,
                staff_member=kaisa,
                at=_at(start - dt.timedelta(days=90)),
            )
            contract = start - dt.timedelta(days=rng.randrange(0, 40))
            member = services.member_add(
                actor=kaisa,
                group_id=groups[key].pk,
                client_id=client.id,
                decision_on=contract - dt.timedelta(days=21),
                decision_maker="Sanna Saarinen, sosiaalityöntekijä",
                training_from=contract - dt.timedelta(days=14),
                contract_start=contract,
                contract_end=None,
                hours_per_week=Decimal(rng.choice([20, 25, 30])),
                collective_agreement="Sote-sopimus",
                pay_grade="02SOS020",
                hourly_wage_cents=rng.choice([1420, 1450, 1480]),
                subsidy_from=contract,
                subsidy_until=contract + dt.timedelta(days=729),
                subsidy_percent=70,
                subsidy_monthly_cents=rng.choice([120000, 140000]),
                arrangement_support_monthly_cents=rng.choice([0, 0, 15000]),
            )
            services.training_record(
                actor=kaisa,
                member_id=member.pk,
                kind=groups[key].required_training,
                completed_on=contract - dt.timedelta(days=10),
                # One card runs out within the month: the worklist warns of it.
                expires_on=today + dt.timedelta(days=20)
                if index == 3
                else contract + dt.timedelta(days=5 * 365),
            )
            members[key].append(member)
    counts["members"] = index
    # Former members: where they went when their employment ended is the model's outcome.
    reasons = ["open_market"] * 6 + ["education", "education", "other_service", "other"]
    for n, reason in enumerate(reasons):
        index += 1
        key = "renovation" if n % 2 else "cleaning"
        client = client_register(
            actor=sanna,
            data=IdentityInput(
                first_names=fake.first_name(),
                last_name=fake.last_name(),
                hetu=_hetu(index),
                municipality=municipality,
            ),
            at=_at(start - dt.timedelta(days=400)),
        )
        team_member_add(
            actor=sanna,
            client_id=client.id,
            staff_member=kaisa,
            at=_at(start - dt.timedelta(days=400)),
        )
        began = start - dt.timedelta(days=300 + 7 * n)
        former = services.member_add(
            actor=kaisa,
            group_id=groups[key].pk,
            client_id=client.id,
            decision_on=began - dt.timedelta(days=20),
            decision_maker="Sanna Saarinen, sosiaalityöntekijä",
            contract_start=began,
            contract_end=None,
            hours_per_week=Decimal(25),
            collective_agreement="Sote-sopimus",
            pay_grade="02SOS020",
            hourly_wage_cents=1450,
        )
        services.member_end(
            actor=kaisa,
            member_id=former.pk,
            on=today - dt.timedelta(days=20 + 33 * n),
            reason=reason,
        )
    counts["former_members"] = len(reasons)
    customers = _customers(kaisa, start)
    counts["customers"] = len(customers)
    # Orders in the order of their dates across both groups, so that invoice numbers follow the
    # dates as accounting expects; the credit note and the corrected invoice take their place.
    plan = []
    for month in range(MONTHS):
        month_start = (start + dt.timedelta(days=31 * month)).replace(day=1)
        for key in groups:
            for job in range(2):
                customer = customers[(month + job + (key == "cleaning")) % len(customers)]
                first_day = month_start + dt.timedelta(days=3 + 9 * job)
                if first_day < today - dt.timedelta(days=2):
                    plan.append((first_day, key, customer))
    plan.sort(key=lambda item: (item[0], item[1]))
    invoices: list[Invoice] = []
    credit_on: dt.date | None = None
    for first_day, key, customer in plan:
        if credit_on is not None and first_day + dt.timedelta(days=2) > credit_on:
            invoices.append(_credit_and_correct(kaisa, invoices[1], credit_on))
            counts["credit_notes"] = 1
            credit_on = None
        invoices.append(_order(kaisa, groups[key], customer, members[key], first_day, rng))
        counts["orders"] += 1
        if len(invoices) == 2:
            credit_on = invoices[1].issued_on + dt.timedelta(days=3)
    counts["invoices"] = len(invoices)
    return counts


def _credit_and_correct(kaisa: StaffMember, invoice: Invoice, on: dt.date) -> Invoice:
    """The customer noticed one worker's day was shorter than billed: the invoice is credited
    in full, the hours corrected and the work invoiced anew, all on the same day."""
    services.credit_note_send(
        actor=kaisa,
        invoice_id=invoice.pk,
        reason="Yhden työntekijän työpäivä oli tuntia lyhyempi kuin laskutettiin.",
        issued_on=on,
        at=_at(on),
    )
    entry = HourEntry.objects.filter(order_id=invoice.order_id).order_by("day", "pk").first()
    assert entry is not None
    services.hours_record(
        actor=kaisa,
        order_id=invoice.order_id,
        member_id=entry.member_id,
        day=entry.day,
        hours=entry.hours - 1,
        at=_at(on),
    )
    return services.invoice_send(
        actor=kaisa, order_id=invoice.order_id, issued_on=on, at=_at(on, 11)
    )


def _customers(kaisa: StaffMember, start: dt.date) -> list[Customer]:
    found = [
        services.customer_create(
            actor=kaisa,
            kind="person",
            name="Liisa Lahtinen",
            street="Koivukuja 5",
            postcode="99100",
            city="Esimerkkilä",
            email="liisa.lahtinen@example.fi",
            household_deduction=True,
        ),
        services.customer_create(
            actor=kaisa,
            kind="municipality",
            name="Esimerkkilän kaupunki",
            unit="Tilapalvelut",
            street="Kaupungintalontie 1",
            postcode="99100",
            city="Esimerkkilä",
            business_id="9812345-4",
            e_invoice_address="003798123454",
            e_invoice_operator="003721291126",
        ),
        services.customer_create(
            actor=kaisa,
            kind="association",
            name="Esimerkkilän Eläkkeensaajat ry",
            street="Kirkkokatu 4",
            postcode="99100",
            city="Esimerkkilä",
            business_id="9823456-8",
        ),
        services.customer_create(
            actor=kaisa,
            kind="company",
            name="Kiinteistöhuolto Esimerkki Oy",
            street="Teollisuustie 12",
            postcode="99130",
            city="Esimerkkilä",
            business_id="9834567-1",
            e_invoice_address="003798345671",
            e_invoice_operator="003721291126",
            language="sv",
        ),
    ]
    for customer in found[1:]:
        services.agreement_add(
            actor=kaisa,
            customer_id=customer.pk,
            valid_from=start - dt.timedelta(days=30),
            signed_on=start - dt.timedelta(days=35),
            service_description=(
                "Työvalmentajan ohjaama työryhmä tekee sovitut siivous-, siistimis- ja "
                "kunnostustyöt. Hinta 35 € tunnilta; tarvikkeet ja matkat erikseen. "
                "Hyvinvointialue on työnantaja ja vastaa työturvallisuudesta."
            ),
            at=_at(start - dt.timedelta(days=35)),
        )
    return found


def _order(
    kaisa: StaffMember,
    group: WorkGroup,
    customer: Customer,
    members: list[Member],
    first_day: dt.date,
    rng: random.Random,
) -> Invoice:
    titles = {
        "renovation": ["Terassin kunnostus", "Seinien maalaus", "Pihan syyssiivous"],
        "cleaning": ["Toimitilojen siivous", "Ikkunoiden pesu", "Muuttosiivous"],
    }
    ask = first_day - dt.timedelta(days=10)
    order = services.order_create(
        actor=kaisa,
        group_id=group.pk,
        customer_id=customer.pk,
        title=rng.choice(titles[group.kind]),
        site=f"{customer.street}, {customer.city}",
        at=_at(ask),
    )
    services.order_transition(
        actor=kaisa,
        order_id=order.pk,
        to_status="estimate",
        estimate_hours=Decimal(rng.choice([12, 16, 24])),
        at=_at(ask + dt.timedelta(days=1)),
    )
    services.order_transition(
        actor=kaisa, order_id=order.pk, to_status="agreed", at=_at(ask + dt.timedelta(days=3))
    )
    services.order_risk_assessment_record(
        actor=kaisa,
        order_id=order.pk,
        on=ask + dt.timedelta(days=4),
        by="Kaisa Kivelä",
        at=_at(ask + dt.timedelta(days=4)),
    )
    services.order_transition(
        actor=kaisa,
        order_id=order.pk,
        to_status="scheduled",
        scheduled_from=first_day,
        scheduled_to=first_day + dt.timedelta(days=1),
        at=_at(ask + dt.timedelta(days=5)),
    )
    crew = rng.sample(members, 3)
    for offset in (0, 1):
        for member in crew:
            services.hours_record(
                actor=kaisa,
                order_id=order.pk,
                member_id=member.pk,
                day=first_day + dt.timedelta(days=offset),
                hours=Decimal(rng.choice(["4", "5", "6", "7.5"])),
                at=_at(first_day + dt.timedelta(days=offset), 16),
            )
    if rng.random() < 0.5:
        services.order_line_add(
            actor=kaisa,
            order_id=order.pk,
            kind="materials",
            description="Tarvikkeet",
            quantity=Decimal(1),
            unit_price_cents=rng.choice([2490, 4990, 8900]),
        )
    done = first_day + dt.timedelta(days=2)
    services.order_transition(actor=kaisa, order_id=order.pk, to_status="done", at=_at(done))
    return services.invoice_send(actor=kaisa, order_id=order.pk, issued_on=done, at=_at(done, 14))
