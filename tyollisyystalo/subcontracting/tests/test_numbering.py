"""Invoice numbers are unique and gapless per issuer even when supervisors send at the same
moment: each sending takes the issuer's counter under a row lock (PostgreSQL, with threads)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from conftest import make_person
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.models import Invoice
from tyollisyystalo.subcontracting.tests.conftest import TODAY, scheduled_order

SENDERS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_senders_never_share_or_skip_a_number(
    purgeable_log, supervisor, group, member, person_customer, county
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL, the production database")
    colleague = make_person("sami", "Sami Ohjaaja", county, Role.WORK_GROUP_SUPERVISOR)
    group.peer_instructor = colleague
    group.save(update_fields=["peer_instructor"])
    orders = []
    for n in range(SENDERS):
        order = scheduled_order(supervisor, group, person_customer)
        services.hours_record(
            actor=supervisor,
            order_id=order.pk,
            member_id=member.pk,
            day=TODAY - dt.timedelta(days=n + 1),
            hours=Decimal(1),
        )
        services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
        orders.append(order)
    start = threading.Barrier(SENDERS)
    failures: list[BaseException] = []

    def send(n: int) -> None:
        try:
            start.wait(timeout=10)
            actor = supervisor if n % 2 else colleague
            services.invoice_send(actor=actor, order_id=orders[n].pk)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, SENDERS + 1))
