"""The appointments part of the client card: coming appointments the reader may read."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.appointments.models import Appointment, AppointmentStatus

CARD = "client_card"


@card_section("appointments", order=65)
def appointments_section(access: ClientAccess) -> Section | None:
    coming = Appointment.objects.filter(
        access.client_q(), status=AppointmentStatus.BOOKED, starts_at__gte=timezone.now()
    )
    shown = list(coming.filter(access.records_q()).order_by("starts_at")[:10])
    hidden = coming.exclude(access.records_q()).exists()
    if not shown:
        return Section("appointments", "", more_exists=hidden)
    return Section(
        "appointments",
        "appointments/_card_appointments.html",
        {"appointments": shown},
        reads=tuple(
            read_of(access, owner=a.owner_organisation_id, category=a.category, object_type=CARD)
            for a in shown
        ),
        more_exists=hidden,
        data={"appointments": [{"id": str(a.pk), "starts_at": a.starts_at} for a in shown]},
        facts=(
            (
                _("Seuraava tapaaminen"),
                f"{timezone.localtime(shown[0].starts_at):%-d.%-m.%Y %H.%M}, "
                f"{shown[0].get_kind_display().lower()}",
                reverse("appointments:detail", kwargs={"appointment_id": shown[0].pk}),
            ),
        ),
    )
