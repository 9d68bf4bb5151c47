"""The staff member's appointments as iCalendar: times, kinds and places, never a client."""

from __future__ import annotations

from icalendar import Calendar, Event

from tyollisyystalo.appointments.models import Appointment, AppointmentStatus


def calendar_ics(appointments: list[Appointment], *, title: str, prefix: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Tyollisyystalo//Tapaamiset//FI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.pk}@tyollisyystalo")
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("dtstamp", appointment.created_at)
        # The kind only: a name or a purpose would leave the record with the calendar.
        event.add("summary", f"{prefix}: {appointment.get_kind_display().lower()}")
        if appointment.remote_url:
            event.add("location", appointment.remote_url)
        if appointment.status == AppointmentStatus.DONE:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
