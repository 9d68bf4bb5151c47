"""The person registry and the client's relationships with organisations and professionals."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.organisations.models import Municipality, Organisation, Unit
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class Language(models.TextChoices):
    FI = "fi", _("suomi")
    SV = "sv", _("ruotsi")
    EN = "en", _("englanti")
    OTHER = "other", _("muu")


class Sex(models.TextChoices):
    FEMALE = "female", _("nainen")
    MALE = "male", _("mies")
    UNKNOWN = "", _("ei tiedossa")


class Client(models.Model):
    """A person in the registry. Identity data lives in ``ClientIdentity``."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    registered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("rekisteröinyt organisaatio"),
        on_delete=models.PROTECT,
        related_name="registered_clients",
    )

    class Meta:
        verbose_name = _("asiakas")
        verbose_name_plural = _("asiakkaat")

    def __str__(self) -> str:
        return str(self.id)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("casefile:card", kwargs={"client_id": self.id})


class ClientIdentity(models.Model):
    """Identity and contact data (category ``identity``); henkilötunnus encrypted + keyed hash."""

    client = models.OneToOneField(
        Client, verbose_name=_("asiakas"), on_delete=models.CASCADE, related_name="identity"
    )
    hetu = EncryptedTextField(_("henkilötunnus"), blank=True)
    hetu_hash = models.CharField(
        _("henkilötunnuksen tiiviste"), max_length=64, null=True, blank=True, unique=True
    )
    hetu_is_temporary = models.BooleanField(_("tilapäinen henkilötunnus"), default=False)
    birth_date = models.DateField(_("syntymäaika"), null=True, blank=True)
    sex = models.CharField(_("sukupuoli"), max_length=6, choices=Sex.choices, blank=True)
    first_names = models.CharField(_("etunimet"), max_length=150)
    last_name = models.CharField(_("sukunimi"), max_length=150)
    search_name = models.CharField(_("hakunimi"), max_length=310, db_index=True, editable=False)
    phone = EncryptedTextField(_("puhelin"), blank=True)
    email = EncryptedTextField(_("sähköposti"), blank=True)
    address = EncryptedTextField(_("osoite"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kotikunta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("asiointikieli"), max_length=5, choices=Language.choices, default=Language.FI
    )
    other_language = models.CharField(_("muu kieli"), max_length=60, blank=True)
    needs_interpreter = models.BooleanField(_("tarvitsee tulkin"), default=False)
    interpreter_language = models.CharField(_("tulkkauskieli"), max_length=60, blank=True)
    anonymized_at = models.DateTimeField(_("anonymisoitu"), null=True, blank=True)

    class Meta:
        verbose_name = _("asiakkaan henkilötiedot")
        verbose_name_plural = _("asiakkaiden henkilötiedot")
        constraints = [
            models.CheckConstraint(
                condition=Q(hetu_hash__isnull=True) | ~Q(hetu=""),
                name="identity_hash_only_with_hetu",
            ),
            models.CheckConstraint(
                condition=Q(needs_interpreter=True) | Q(interpreter_language=""),
                name="identity_interpreter_language_only_when_needed",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.name_of(self.first_names, self.last_name)

    @staticmethod
    def name_of(first_names: str, last_name: str) -> str:
        """How a client's name is shown (``full_name``), for names read as plain values."""
        return f"{last_name}, {first_names}"

    @staticmethod
    def make_search_name(first_names: str, last_name: str) -> str:
        return " ".join(f"{last_name} {first_names}".casefold().split())

    def anonymize(self) -> None:
        self.hetu = ""
        self.hetu_hash = None
        self.first_names = "-"
        self.last_name = "-"
        self.search_name = ""
        self.phone = self.email = self.address = ""
        self.birth_date = None
        self.anonymized_at = timezone.now()
        self.save()


class ClientRelationship(models.Model):
    """The client is a client of an organisation (asiakkuus) from a date, possibly until one."""

    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="relationships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisaatio"),
        on_delete=models.PROTECT,
        related_name="client_relationships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("yksikkö"), on_delete=models.PROTECT, null=True, blank=True
    )
    started_on = models.DateField(_("alkanut"))
    ended_on = models.DateField(_("päättynyt"), null=True, blank=True)

    class Meta:
        verbose_name = _("asiakkuus")
        verbose_name_plural = _("asiakkuudet")
        indexes = [models.Index(fields=["client", "organisation"], name="relationship_client_org")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="one_open_relationship_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="relationship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_on}–{self.ended_on or ''}"


class StartBasis(models.TextChoices):
    """Why an organisation started a relationship with another organisation's client."""

    CLIENT_PRESENT = "client_present", _("asiakas oli paikalla")
    WRITTEN_REFERRAL = "written_referral", _("kirjallinen lähete")
    CONTACT_REQUEST = "contact_request", _("asiakkaan yhteydenottopyyntö")
    STATUTORY_TASK = "statutory_task", _("lakisääteinen tehtävä")


class StartReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Perusteltu")
    UNJUSTIFIED = "unjustified", _("Ei perusteltu")


class RelationshipStart(models.Model):
    """The recorded basis of a relationship started with a person who is already another
    organisation's client (issue 13, leak 5): shown to the client on their own pages and
    reviewed by a manager of the organisation, as emergency access is."""

    relationship = models.OneToOneField(
        ClientRelationship,
        verbose_name=_("asiakkuus"),
        on_delete=models.PROTECT,
        related_name="start",
    )
    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        StaffMember, verbose_name=_("aloittaja"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("aloitettu"), default=timezone.now)
    basis = models.CharField(_("peruste"), max_length=32, choices=StartBasis.choices)
    reason = EncryptedTextField(_("tarkennus"), blank=True)
    reviewed_at = models.DateTimeField(_("tarkastettu"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("tarkastaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_outcome = models.CharField(
        _("tarkastuksen tulos"), max_length=16, choices=StartReviewOutcome.choices, blank=True
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("asiakkuuden aloitus")
        verbose_name_plural = _("asiakkuuksien aloitukset")
        indexes = [
            models.Index(fields=["organisation", "started_at"], name="start_org_started"),
            models.Index(fields=["client"], name="start_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=StartBasis.values), name="start_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, review_outcome="")
                | (Q(reviewed_at__isnull=False) & ~Q(review_outcome="")),
                name="start_review_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_at:%Y-%m-%d} {self.basis}"


class TeamMembership(models.Model):
    """A professional in the client's multi-professional team (from any organisation)."""

    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="team"
    )
    staff_member = models.ForeignKey(
        StaffMember,
        verbose_name=_("työntekijä"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    is_coordinator = models.BooleanField(_("vastuuhenkilö"), default=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("palvelupolku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team",
    )
    role_in_case = models.CharField(_("tehtävä asiakkaan asiassa"), max_length=100, blank=True)
    invited_at = models.DateTimeField(_("kutsuttu"), default=timezone.now)
    # None while invited: an invitation alone gives no access (the gatekeeper reads started_at).
    started_at = models.DateTimeField(_("alkanut"), default=timezone.now, null=True, blank=True)
    ended_at = models.DateTimeField(_("päättynyt"), null=True, blank=True)
    added_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("lisännyt"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-is_coordinator", "started_at"]
        verbose_name = _("tiimin jäsenyys")
        verbose_name_plural = _("tiimin jäsenyydet")
        indexes = [
            models.Index(fields=["client", "staff_member"], name="membership_client_staff"),
            models.Index(
                fields=["staff_member"],
                condition=Q(started_at__isnull=True, ended_at__isnull=True),
                name="membership_open_invitations",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "staff_member"],
                condition=Q(ended_at__isnull=True),
                name="one_open_membership_per_staff_member",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.staff_member)

    @property
    def state(self) -> str:
        """invited → active → left (or declined, an invitation that was never accepted)."""
        if self.ended_at is not None:
            return "left" if self.started_at is not None else "declined"
        return "active" if self.started_at is not None else "invited"


class ClientRecord(models.Model):
    """Base of every piece of client data: it has an owning organisation and a category."""

    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("rekisterinpitäjä"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("tietoryhmä"), max_length=32, choices=DataCategory.choices)
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        abstract = True


class ClientEntry(ClientRecord):
    """A dated entry (kirjaus) in one data category, written by a professional."""

    author = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    entry_date = models.DateField(_("päivämäärä"))
    title = EncryptedTextField(_("otsikko"))
    body = EncryptedTextField(_("teksti"))
    # Normalised ICF codes ("d850.2 e310+3"), encrypted like the text they describe.
    icf_codes = EncryptedTextField(_("ICF-koodit"), blank=True)
    anonymized_at = models.DateTimeField(_("anonymisoitu"), null=True, blank=True)

    class Meta:
        ordering = ["-entry_date", "-created_at"]
        verbose_name = _("kirjaus")
        verbose_name_plural = _("kirjaukset")
        indexes = [models.Index(fields=["client", "owner_organisation", "category"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.entry_date}"

    @property
    def icf(self) -> list[tuple[str, str]]:
        """(code with qualifier, category title) for display."""
        from django.utils.translation import get_language

        from tyollisyystalo.clients.icf import parse_icf_list, title_of

        language = get_language() or "fi"
        return [(str(c), title_of(c.code, language)) for c in parse_icf_list(self.icf_codes)]

    def anonymize(self) -> None:
        self.title = "-"
        self.body = "-"
        self.icf_codes = ""
        self.anonymized_at = timezone.now()
        self.save()
