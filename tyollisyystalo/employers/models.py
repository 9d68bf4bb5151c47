"""The coaching team's shared employer register: business contacts, not client data (GDPR).

A ``CoachingTeam`` is an explicit setting: the organisations whose job coaches share one
register and one fidelity review. Every employer belongs to one team's register; a coach of
another team sees nothing of it. A contact log row may name a client (a form B meeting about
that client): that link is client data and is shown only where the gatekeeper lets the reader
read the client.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import Client
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class CoachingTeam(models.Model):
    """Job coaches of these organisations share a register and are reviewed together."""

    name = models.CharField(_("nimi"), max_length=200)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisaatiot"), related_name="coaching_teams"
    )
    leaders = models.ManyToManyField(
        StaffMember,
        verbose_name=_("tiimin vetäjät"),
        related_name="led_coaching_teams",
        blank=True,
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("työhönvalmennustiimi")
        verbose_name_plural = _("työhönvalmennustiimit")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    """Main classes (sections) of the Finnish Standard Industrial Classification TOL 2008."""

    A = "A", _("Maatalous, metsätalous ja kalatalous")
    B = "B", _("Kaivostoiminta ja louhinta")
    C = "C", _("Teollisuus")
    D = "D", _("Sähkö-, kaasu- ja lämpöhuolto")
    E = "E", _("Vesihuolto ja jätehuolto")
    F = "F", _("Rakentaminen")
    G = "G", _("Tukku- ja vähittäiskauppa")
    H = "H", _("Kuljetus ja varastointi")
    I = "I", _("Majoitus- ja ravitsemistoiminta")  # noqa: E741
    J = "J", _("Informaatio ja viestintä")
    K = "K", _("Rahoitus- ja vakuutustoiminta")
    L = "L", _("Kiinteistöalan toiminta")
    M = "M", _("Ammatillinen, tieteellinen ja tekninen toiminta")
    N = "N", _("Hallinto- ja tukipalvelutoiminta")
    O = "O", _("Julkinen hallinto ja maanpuolustus")  # noqa: E741
    P = "P", _("Koulutus")
    Q = "Q", _("Terveys- ja sosiaalipalvelut")
    R = "R", _("Taiteet, viihde ja virkistys")
    S = "S", _("Muu palvelutoiminta")
    T = "T", _("Kotitalouksien toiminta työnantajina")
    U = "U", _("Kansainvälisten organisaatioiden toiminta")
    X = "X", _("Toimiala tuntematon")


class Size(models.TextChoices):
    MICRO = "micro", _("Alle 10 henkilöä")
    SMALL = "small", _("10–49 henkilöä")
    MEDIUM = "medium", _("50–249 henkilöä")
    LARGE = "large", _("250 henkilöä tai enemmän")
    UNKNOWN = "", _("Ei tiedossa")


class Employer(models.Model):
    """One employer of a team's register; one per Y-tunnus. A merged duplicate keeps its rows
    and points to the employer it was merged into."""

    team = models.ForeignKey(
        CoachingTeam, verbose_name=_("tiimi"), on_delete=models.PROTECT, related_name="employers"
    )
    name = models.CharField(_("nimi"), max_length=200)
    business_id = models.CharField(_("Y-tunnus"), max_length=9, blank=True)
    sector = models.CharField(_("toimiala"), max_length=1, choices=Sector.choices, default="X")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kunta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    size = models.CharField(_("koko"), max_length=8, choices=Size.choices, blank=True)
    owner = models.ForeignKey(
        StaffMember,
        verbose_name=_("vastuuvalmentaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_employers",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("yhdistetty työnantajaan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField(_("yhdistetty"), null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("lisääjä"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lisätty"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("työnantaja")
        verbose_name_plural = _("työnantajat")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "business_id"],
                condition=~Q(business_id="") & Q(merged_into__isnull=True),
                name="employer_one_per_business_id",
            )
        ]
        # On PostgreSQL the name search (``name__icontains``) also has a trigram index and the
        # Y-tunnus prefix search a pattern index: migration 0005, outside the model state
        # because SQLite has neither.
        indexes = [models.Index(fields=["team", "name"], name="employer_team_name")]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A person at an employer; erased on request (the row stays, its personal data go)."""

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("työnantaja"),
        on_delete=models.PROTECT,
        related_name="contact_persons",
    )
    name = models.CharField(_("nimi"), max_length=200)
    title = models.CharField(_("tehtävä"), max_length=200, blank=True)
    phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    may_email = models.BooleanField(_("sähköpostia saa lähettää"), default=False)
    erased_at = models.DateTimeField(_("tiedot poistettu"), null=True, blank=True)
    created_at = models.DateTimeField(_("lisätty"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("yhteyshenkilö")
        verbose_name_plural = _("yhteyshenkilöt")

    def __str__(self) -> str:
        return self.name


class ContactKind(models.TextChoices):
    MEETING = "meeting", _("Työnantajatapaaminen (lomake B)")
    CALL = "call", _("Puhelu")
    EMAIL = "email", _("Sähköposti")
    VISIT = "visit", _("Käynti työpaikalla")


class EmployerContact(models.Model):
    """One contact with an employer (the contact log). ``client`` is set only when the contact
    was about that client; ``form`` holds a form B answer (definition code, version, answers)."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("työnantaja"), on_delete=models.PROTECT, related_name="contacts"
    )
    coach = models.ForeignKey(
        StaffMember, verbose_name=_("valmentaja"), on_delete=models.PROTECT, related_name="+"
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("yhteyshenkilö"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    contacted_on = models.DateField(_("päivä"))
    kind = models.CharField(_("yhteydenoton tapa"), max_length=8, choices=ContactKind.choices)
    face_to_face = models.BooleanField(_("kasvokkain"), default=False)
    notes = EncryptedTextField(_("muistiinpanot"), blank=True)
    next_step = models.CharField(_("seuraava askel"), max_length=300, blank=True)
    next_step_on = models.DateField(_("seuraava yhteydenotto"), null=True, blank=True)
    next_step_done_at = models.DateTimeField(_("seuraava askel tehty"), null=True, blank=True)
    # Set when the employer's owner (another coach) has been told of this contact by e-mail.
    owner_notified_at = models.DateTimeField(
        _("vastuuvalmentajalle ilmoitettu"), null=True, blank=True
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("asiakas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The organisation that keeps the client link (the coach's): the gatekeeper decides on it.
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("rekisterinpitäjä"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form_code = models.CharField(_("lomake"), max_length=32, blank=True)
    form_version = models.CharField(_("lomakkeen versio"), max_length=32, blank=True)
    form_answers = EncryptedTextField(_("lomakkeen vastaukset"), blank=True)
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["-contacted_on", "-created_at"]
        verbose_name = _("työnantajakontakti")
        verbose_name_plural = _("työnantajakontaktit")
        indexes = [
            models.Index(fields=["employer", "-contacted_on"], name="contact_employer_on"),
            models.Index(fields=["coach", "contacted_on"], name="contact_coach_on"),
            models.Index(fields=["client", "contacted_on"], name="contact_client_on"),
            # The owner's notices since their last visit (register page): SQLite reads them
            # through the owner's employers, PostgreSQL from the newest contacts backwards.
            models.Index(fields=["employer", "created_at"], name="contact_employer_created"),
            models.Index(fields=["created_at"], name="contact_created"),
            # The coach's call-backs due (worklist): only open next steps, whatever the history.
            models.Index(
                fields=["coach", "next_step_on"],
                name="contact_coach_callback_open",
                condition=Q(next_step_on__isnull=False, next_step_done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.contacted_on}"


class OpeningKind(models.TextChoices):
    JOB = "job", _("Avoin työpaikka")
    WORK_TRIAL = "work_trial", _("Työkokeilupaikka")


class JobOpening(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("työnantaja"), on_delete=models.PROTECT, related_name="openings"
    )
    kind = models.CharField(_("laji"), max_length=12, choices=OpeningKind.choices)
    title = models.CharField(_("tehtävä"), max_length=200)
    description = models.TextField(_("kuvaus"), blank=True)
    hours_per_week = models.DecimalField(
        _("tunteja viikossa"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    open_until = models.DateField(_("haku päättyy"), null=True, blank=True)
    closed_at = models.DateTimeField(_("suljettu"), null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("lisääjä"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lisätty"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("työpaikka tai työkokeilupaikka")
        verbose_name_plural = _("työpaikat ja työkokeilupaikat")

    def __str__(self) -> str:
        return self.title


class RegisterVisit(models.Model):
    """When a coach last opened a team's register front page: the owner's notices of other
    coaches' contacts with their employers are those logged since then."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(CoachingTeam, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(_("käynyt viimeksi"), default=timezone.now)

    class Meta:
        verbose_name = _("rekisterikäynti")
        verbose_name_plural = _("rekisterikäynnit")
        constraints = [
            models.UniqueConstraint(fields=["staff", "team"], name="register_visit_one_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.team}"
