"""Writes to the employer register: validated first, then written in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_read
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.employers.access import may_write
from tyollisyystalo.employers.csv_import import ImportRow, rows_parse
from tyollisyystalo.employers.models import (
    CoachingTeam,
    ContactKind,
    ContactPerson,
    Employer,
    EmployerContact,
    JobOpening,
    RegisterVisit,
)
from tyollisyystalo.employers.rules import (
    InvalidBusinessId,
    business_id_normalise,
    contact_person_erase_after,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.models import StaffMember

CONFLICT = "conflict"


@dataclass(frozen=True)
class EmployerData:
    name: str
    business_id: str = ""
    sector: str = "X"
    municipality: Municipality | None = None
    size: str = ""
    owner: StaffMember | None = None


def _require_write(staff: StaffMember, team: CoachingTeam) -> None:
    if not may_write(staff, team):
        raise PermissionDenied(_("Roolisi ei salli rekisterin muuttamista."))


def _clean(*, team: CoachingTeam, data: EmployerData, instance: Employer | None) -> EmployerData:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Anna työnantajan nimi.")
    try:
        business_id = business_id_normalise(data.business_id)
    except InvalidBusinessId:
        errors["business_id"] = _(
            "Y-tunnus ei kelpaa. Tarkista muoto 1234567-8 ja tarkistusnumero."
        )
        business_id = data.business_id
    if (
        data.owner is not None
        and not team.organisations.filter(pk=data.owner.organisation_id).exists()
    ):
        errors["owner"] = _("Vastuuvalmentajan on oltava tiimin organisaatiosta.")
    if errors:
        raise ValidationError(errors)
    if business_id:
        duplicate = Employer.objects.filter(
            team=team, business_id=business_id, merged_into__isnull=True
        )
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            message = _("Rekisterissä on jo työnantaja tällä Y-tunnuksella.")
            raise ValidationError({"business_id": ValidationError(message, code=CONFLICT)})
    return EmployerData(
        name=data.name.strip(),
        business_id=business_id,
        sector=data.sector,
        municipality=data.municipality,
        size=data.size,
        owner=data.owner,
    )


@transaction.atomic
def employer_create(*, staff: StaffMember, team: CoachingTeam, data: EmployerData) -> Employer:
    _require_write(staff, team)
    clean = _clean(team=team, data=data, instance=None)
    return Employer.objects.create(
        team=team,
        name=clean.name,
        business_id=clean.business_id,
        sector=clean.sector,
        municipality=clean.municipality,
        size=clean.size,
        owner=clean.owner,
        created_by=staff,
    )


@transaction.atomic
def employer_update(*, staff: StaffMember, employer: Employer, data: EmployerData) -> Employer:
    _require_write(staff, employer.team)
    if employer.merged_into_id is not None:
        raise ValidationError(_("Yhdistettyä työnantajaa ei voi muuttaa."), code=CONFLICT)
    clean = _clean(team=employer.team, data=data, instance=employer)
    employer.name = clean.name
    employer.business_id = clean.business_id
    employer.sector = clean.sector
    employer.municipality = clean.municipality
    employer.size = clean.size
    employer.owner = clean.owner
    employer.save()
    return employer


@transaction.atomic
def employer_merge(*, staff: StaffMember, duplicate: Employer, target: Employer) -> Employer:
    """Merge a duplicate into the target: its contacts, persons and openings move to the target,
    the duplicate stays as a row pointing to it (``merged_into``), so history stays reachable."""
    _require_write(staff, duplicate.team)
    if duplicate.team_id != target.team_id:
        raise ValidationError(_("Työnantajat ovat eri rekistereissä."))
    if duplicate.pk == target.pk:
        raise ValidationError(_("Valitse toinen työnantaja."))
    if duplicate.merged_into_id is not None or target.merged_into_id is not None:
        raise ValidationError(_("Työnantaja on jo yhdistetty."), code=CONFLICT)
    EmployerContact.objects.filter(employer=duplicate).update(employer=target)
    ContactPerson.objects.filter(employer=duplicate).update(employer=target)
    JobOpening.objects.filter(employer=duplicate).update(employer=target)
    # The duplicate is marked first: its Y-tunnus (kept for history) then frees for the target.
    duplicate.merged_into = target
    duplicate.merged_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "merged_at"])
    if target.owner_id is None and duplicate.owner_id is not None:
        target.owner_id = duplicate.owner_id
    if not target.business_id and duplicate.business_id:
        target.business_id = duplicate.business_id
    target.save()
    return target


@transaction.atomic
def contact_person_erase(*, staff: StaffMember, person: ContactPerson) -> ContactPerson:
    """Erase a contact person's personal data on request: the row stays (contact log rows keep
    the fact of contact), name, title, phone and e-mail go."""
    _require_write(staff, person.employer.team)
    if person.erased_at is None:
        _person_erase(person, timezone.now())
    return person
    person.name = ""
    person.title = ""
    person.phone = ""
    person.email = ""
    person.may_email = False
    person.erased_at = timezone.now()
    person.save()
    return person


@dataclass(frozen=True)
class ContactData:
    contacted_on: dt.date
    kind: str
    face_to_face: bool = False
    contact_person: ContactPerson | None = None
    notes: str = ""
    next_step: str = ""
    next_step_on: dt.date | None = None
    client_id: uuid.UUID | None = None
    # A form B answer (coaching): the definition's key and version and the answers as JSON.
    form_code: str = ""
    form_version: str = ""
    form_answers: str = ""


@transaction.atomic
def contact_log(*, staff: StaffMember, employer: Employer, data: ContactData) -> EmployerContact:
    """Log a contact with an employer. A client may be linked only when the coach may read that
    client's education-and-work data of their own organisation (ADR 0023, decision 4)."""
    _require_write(staff, employer.team)
    errors: dict[str, str] = {}
    if employer.merged_into_id is not None:
        raise ValidationError(_("Yhdistettyyn työnantajaan ei voi kirjata."), code=CONFLICT)
    if data.contacted_on > timezone.localdate():
        errors["contacted_on"] = _("Yhteydenoton päivä ei voi olla tulevaisuudessa.")
    if data.next_step_on is not None and data.next_step_on < data.contacted_on:
        errors["next_step_on"] = _("Seuraavan yhteydenoton päivä ei voi olla ennen tätä päivää.")
    if data.contact_person is not None and data.contact_person.employer_id != employer.pk:
        errors["contact_person"] = _("Yhteyshenkilö ei ole tämän työnantajan.")
    if data.client_id is not None:
        ctx = access_context_load(data.client_id)
        decision = decide_read(
            staff,
            ctx,
            owner_organisation_id=staff.organisation_id,
            category=DataCategory.EDUCATION_WORK,
        )
        if not decision.allowed:
            # Missing and forbidden look alike: the same message, nothing is told.
            errors["client"] = _("Asiakasta ei löytynyt.")
    if errors:
        raise ValidationError(errors)
    return EmployerContact.objects.create(
        employer=employer,
        coach=staff,
        contact_person=data.contact_person,
        contacted_on=data.contacted_on,
        kind=data.kind,
        face_to_face=data.face_to_face,
        notes=data.notes,
        next_step=data.next_step,
        next_step_on=data.next_step_on,
        client_id=data.client_id,
        owner_organisation_id=staff.organisation_id,
        form_code=data.form_code,
        form_version=data.form_version,
        form_answers=data.form_answers,
    )


def register_visit_record(*, staff: StaffMember, team: CoachingTeam) -> None:
    """The owner has seen the notices up to now."""
    now = timezone.now()
    if not RegisterVisit.objects.filter(staff=staff, team=team).update(seen_at=now):
        RegisterVisit.objects.create(staff=staff, team=team, seen_at=now)


@transaction.atomic
def employers_import(*, staff: StaffMember, team: CoachingTeam, text: str) -> list[ImportRow]:
    """Import a spreadsheet's rows into a team's register: all rows or none.

    The rows are parsed and checked again here (whatever the preview showed); if any row has an
    error, nothing is written and the rows with their errors are returned in the exception's
    ``params``. A last contact date becomes one contact log row by the importing coach.
    """
    _require_write(staff, team)
    rows = import_rows_check(team=team, text=text)
    if any(row.errors for row in rows):
        raise ValidationError(_("Tiedostossa on virheitä. Mitään ei tallennettu."), code="rows")
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for row in rows:
        employer = Employer.objects.create(
            team=team,
            name=row.name,
            business_id=row.business_id,
            sector=row.sector,
            municipality=municipalities.get(row.municipality_code),
            size=row.size,
            created_by=staff,
        )
        person = None
        if row.person_name:
            person = ContactPerson.objects.create(
                employer=employer, name=row.person_name, phone=row.phone, email=row.email
            )
        if row.last_contact_on is not None:
            EmployerContact.objects.create(
                employer=employer,
                coach=staff,
                contact_person=person,
                contacted_on=row.last_contact_on,
                kind=ContactKind.CALL,
                notes=row.notes,
                owner_organisation_id=staff.organisation_id,
            )
    return rows


def import_rows_check(*, team: CoachingTeam, text: str) -> list[ImportRow]:
    """The rows of a spreadsheet with their errors, against the team's current register."""
    municipalities: dict[str, str] = {}
    for code, name_fi, name_sv in Municipality.objects.values_list("code", "name_fi", "name_sv"):
        for key in (code, name_fi, name_sv):
            if key:
                municipalities[key.casefold()] = code
    taken = set(
        Employer.objects.filter(team=team, merged_into__isnull=True)
        .exclude(business_id="")
        .values_list("business_id", flat=True)
    )
    return rows_parse(text, municipalities=municipalities, taken_business_ids=taken)


@transaction.atomic
def contact_person_add(
    *, staff: StaffMember, employer: Employer, person: ContactPerson
) -> ContactPerson:
    _require_write(staff, employer.team)
    if employer.merged_into_id is not None:
        raise ValidationError(_("Yhdistettyyn työnantajaan ei voi kirjata."), code=CONFLICT)
    if person.may_email and not person.email:
        raise ValidationError({"email": _("Anna sähköpostiosoite, jos sähköpostia saa lähettää.")})
    person.employer = employer
    person.save()
    return person


@transaction.atomic
def opening_add(*, staff: StaffMember, employer: Employer, opening: JobOpening) -> JobOpening:
    _require_write(staff, employer.team)
    if employer.merged_into_id is not None:
        raise ValidationError(_("Yhdistettyyn työnantajaan ei voi kirjata."), code=CONFLICT)
    hours = opening.hours_per_week
    if hours is not None and not 1 <= hours <= 60:
        raise ValidationError({"hours_per_week": _("Tunteja viikossa on oltava 1–60.")})
    opening.employer = employer
    opening.created_by = staff
    opening.save()
    return opening


@transaction.atomic
def opening_close(*, staff: StaffMember, opening: JobOpening) -> JobOpening:
    _require_write(staff, opening.employer.team)
    if opening.closed_at is None:
        opening.closed_at = timezone.now()
        opening.save(update_fields=["closed_at"])
    return opening


def _person_erase(person: ContactPerson, at: dt.datetime) -> None:
    person.name = ""
    person.title = ""
    person.phone = ""
    person.email = ""
    person.may_email = False
    person.erased_at = at
    person.save()


@transaction.atomic
def contact_persons_retention_erase(*, today: dt.date | None = None) -> int:
    """Erase contact persons whose employer has had no contact with them for three years
    (ADR 0023 decision 8; classes.toml ``employer_contact_persons``). Returns how many."""
    today = today or timezone.localdate()
    at = timezone.now()
    erased = 0
    persons = ContactPerson.objects.filter(erased_at__isnull=True).annotate(
        last_contact_on=Max("contacts__contacted_on")
    )
    for person in persons:
        last = person.last_contact_on or timezone.localdate(person.created_at)
        if contact_person_erase_after(last) <= today:
            _person_erase(person, at)
            erased += 1
    return erased
