"""Contact persons are erased three years after the last contact (ADR 0023 decision 8)."""

import datetime as dt

import pytest

from tyollisyystalo.employers.models import ContactPerson, EmployerContact
from tyollisyystalo.employers.rules import contact_person_erase_after
from tyollisyystalo.employers.services import contact_persons_retention_erase


def test_erase_day_is_the_day_after_three_years():
    assert contact_person_erase_after(dt.date(2023, 5, 10)) == dt.date(2026, 5, 11)
    assert contact_person_erase_after(dt.date(2024, 2, 29)) == dt.date(2027, 3, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "erased"), [("2029-03-05", False), ("2029-03-06", True)])
def test_boundary(coach, employer, askel, today, erased):
    person = ContactPerson.objects.create(employer=employer, name="Maija Malli", phone="040 1")
    EmployerContact.objects.create(
        employer=employer,
        coach=coach,
        contact_person=person,
        contacted_on=dt.date(2026, 3, 5),
        kind="call",
        owner_organisation=askel,
    )
    count = contact_persons_retention_erase(today=dt.date.fromisoformat(today))
    person.refresh_from_db()
    assert count == int(erased)
    assert (person.erased_at is not None) is erased
    assert (person.name == "") is erased
    assert EmployerContact.objects.filter(contact_person=person).exists()
