"""The subcontracting model (issue 17, seed 001 §3.3): paid work groups of the county, their
members' employment, customers and their agreements, orders with their immutable events, hours,
and invoices that never change once sent."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember


class GroupKind(models.TextChoices):
    RENOVATION = "renovation", _("Kunnostus- ja remonttityöt")
    CLEANING = "cleaning", _("Siivous")
    ASSISTING = "assisting", _("Avustavat tehtävät")
    GARDEN = "garden", _("Piha- ja puutarhatyöt")
    OTHER = "other", _("Muu työ")


class WorkGroup(models.Model):
    """A group of workers employed with pay by the county, with its own cost centre."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("työnantaja"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("ryhmän nimi"), max_length=120)
    kind = models.CharField(_("työn laji"), max_length=16, choices=GroupKind.choices)
    supervisor = models.ForeignKey(
        StaffMember, verbose_name=_("työvalmentaja"), on_delete=models.PROTECT, related_name="+"
    )
    peer_instructor = models.ForeignKey(
        StaffMember,
        verbose_name=_("vertaisohjaaja"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    cost_centre = models.CharField(_("toimintonumero"), max_length=20)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kunta"), on_delete=models.PROTECT, related_name="+"
    )
    active_from = models.DateField(_("toiminta alkaa"))
    active_until = models.DateField(_("toiminta päättyy"), null=True, blank=True)
    # The safety card every member must hold to be put on a job (empty: none required).
    required_training = models.CharField(_("vaadittu koulutus"), max_length=24, blank=True)
    competition_note = models.TextField(_("kilpailuneutraliteetti"), blank=True)
    # The supervisor's (and peer instructor's) cost to the cost centre a month, side costs included.
    supervisor_monthly_cents = models.PositiveIntegerField(
        _("ohjauksen kustannus kuukaudessa (senttiä)"), default=0
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("työryhmä")
        verbose_name_plural = _("työryhmät")

    def __str__(self) -> str:
        return self.name


class TrainingKind(models.TextChoices):
    SAFETY_CARD = "safety_card", _("Työturvallisuuskortti")
    HYGIENE = "hygiene", _("Hygieniapassi")
    FIRST_AID = "first_aid", _("Ensiapukoulutus")
    HOT_WORK = "hot_work", _("Tulityökortti")
    OTHER = "other", _("Muu koulutus")


class EndReason(models.TextChoices):
    OPEN_MARKET = "open_market", _("Työhön avoimille työmarkkinoille")
    EDUCATION = "education", _("Koulutukseen")
    OTHER_SERVICE = "other_service", _("Muuhun palveluun")
    OTHER = "other", _("Muu syy")


class Member(ClientRecord):
    """A client's employment in a group: the decisions and terms it rests on (category
    education_work, owned by the group's organisation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        WorkGroup, verbose_name=_("työryhmä"), on_delete=models.PROTECT, related_name="members"
    )
    decision_on = models.DateField(_("tuetun työllistymisen päätös (SHL 27 d §)"))
    decision_maker = models.CharField(_("päätöksen tekijä"), max_length=120)
    training_from = models.DateField(_("valmennus alkaa"), null=True, blank=True)
    contract_start = models.DateField(_("työsuhde alkaa"))
    contract_end = models.DateField(_("työsuhde päättyy"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("tunteja viikossa"), max_digits=4, decimal_places=1)
    collective_agreement = models.CharField(_("työehtosopimus"), max_length=120)
    pay_grade = models.CharField(_("palkkaryhmä"), max_length=40)
    hourly_wage_cents = models.PositiveIntegerField(_("tuntipalkka (senttiä)"))
    subsidy_from = models.DateField(_("palkkatuki alkaa"), null=True, blank=True)
    subsidy_until = models.DateField(_("palkkatuki päättyy"), null=True, blank=True)
    subsidy_percent = models.PositiveSmallIntegerField(_("palkkatuki %"), null=True, blank=True)
    subsidy_monthly_cents = models.PositiveIntegerField(
        _("palkkatuki kuukaudessa (senttiä)"), null=True, blank=True
    )
    arrangement_support_monthly_cents = models.PositiveIntegerField(
        _("työolosuhteiden järjestelytuki kuukaudessa (senttiä)"), default=0
    )
    added_by = models.ForeignKey(
        StaffMember, verbose_name=_("lisääjä"), on_delete=models.PROTECT, related_name="+"
    )
    # Where the person went when the employment ended (an outcome for the indicators).
    end_reason = models.CharField(
        _("työsuhteen päättymisen syy"), max_length=16, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["contract_start", "id"]
        verbose_name = _("ryhmän työntekijä")
        verbose_name_plural = _("ryhmän työntekijät")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="member_contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.contract_start}"


class Training(ClientRecord):
    """A member's safety card or other training, with its expiry."""

    member = models.ForeignKey(
        Member, verbose_name=_("työntekijä"), on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField(_("koulutus"), max_length=24, choices=TrainingKind.choices)
    name = models.CharField(_("nimi"), max_length=120, blank=True)
    completed_on = models.DateField(_("suoritettu"))
    expires_on = models.DateField(_("voimassa asti"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-completed_on"]
        verbose_name = _("koulutus")
        verbose_name_plural = _("koulutukset")

    def __str__(self) -> str:
        return self.get_kind_display()


class CustomerKind(models.TextChoices):
    PERSON = "person", _("Yksityishenkilö")
    MUNICIPALITY = "municipality", _("Kunta tai kaupungin yksikkö")
    ASSOCIATION = "association", _("Yhdistys")
    COMPANY = "company", _("Yritys")


class Customer(models.Model):
    """Who orders work from the organisation's groups. A private person's data is consumer data
    (retention: the accounting periods of the invoices)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("myyjä"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("asiakastyyppi"), max_length=16, choices=CustomerKind.choices)
    name = models.CharField(_("nimi"), max_length=160)
    unit = models.CharField(_("yksikkö tai yhteyshenkilö"), max_length=160, blank=True)
    street = models.CharField(_("katuosoite"), max_length=160)
    postcode = models.CharField(_("postinumero"), max_length=5)
    city = models.CharField(_("postitoimipaikka"), max_length=80)
    email = models.EmailField(_("sähköposti"), blank=True)
    phone = models.CharField(_("puhelin"), max_length=30, blank=True)
    language = models.CharField(
        _("laskun kieli"),
        max_length=2,
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
        default="fi",
    )
    business_id = models.CharField(_("Y-tunnus"), max_length=9, blank=True)
    e_invoice_address = models.CharField(_("verkkolaskuosoite"), max_length=35, blank=True)
    e_invoice_operator = models.CharField(_("välittäjätunnus"), max_length=35, blank=True)
    household_deduction = models.BooleanField(_("haluaa kotitalousvähennyksen"), default=False)
    # A private person is shown to the supervisor who recorded them and to the supervisors of
    # groups that have worked for them, not to everyone in the organisation.
    created_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("kirjaaja"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("tilaaja")
        verbose_name_plural = _("tilaajat")

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind != CustomerKind.PERSON


class Agreement(models.Model):
    """A version of the cooperation agreement and its service description with an organisation
    customer; a new version is a new row, the old ones stay."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("tilaaja"), on_delete=models.PROTECT, related_name="agreements"
    )
    version = models.PositiveIntegerField(_("versio"))
    valid_from = models.DateField(_("voimassa alkaen"))
    valid_until = models.DateField(_("voimassa asti"), null=True, blank=True)
    signed_on = models.DateField(_("allekirjoitettu"))
    service_description = models.TextField(_("palvelukuvaus"))
    terms = models.TextField(_("sopimusehdot"), blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["customer", "-version"]
        verbose_name = _("yhteistyösopimus")
        verbose_name_plural = _("yhteistyösopimukset")
        constraints = [
            models.UniqueConstraint(fields=["customer", "version"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.customer} v{self.version}"


class OrderStatus(models.TextChoices):
    REQUEST = "request", _("Tilauspyyntö")
    ESTIMATE = "estimate", _("Arvio annettu")
    AGREED = "agreed", _("Sovittu")
    SCHEDULED = "scheduled", _("Aikataulutettu")
    DONE = "done", _("Tehty")
    INVOICED = "invoiced", _("Laskutettu")
    CANCELLED = "cancelled", _("Peruttu")


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        WorkGroup, verbose_name=_("työryhmä"), on_delete=models.PROTECT, related_name="orders"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("tilaaja"), on_delete=models.PROTECT, related_name="orders"
    )
    title = models.CharField(_("työ"), max_length=160)
    description = models.TextField(_("kuvaus"), blank=True)
    site = models.CharField(_("työkohde"), max_length=200)
    customer_reference = models.CharField(_("tilaajan viite"), max_length=70, blank=True)
    estimate_hours = models.DecimalField(
        _("arvioidut tunnit"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    scheduled_from = models.DateField(_("alkaa"), null=True, blank=True)
    scheduled_to = models.DateField(_("päättyy"), null=True, blank=True)
    risk_assessed_on = models.DateField(_("riskiarvio tehty"), null=True, blank=True)
    risk_assessed_by = models.CharField(_("riskiarvion tekijä"), max_length=120, blank=True)
    status = models.CharField(
        _("tila"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.REQUEST
    )
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("tilaus")
        verbose_name_plural = _("tilaukset")
        indexes = [models.Index(fields=["group", "status"], name="order_group_status")]

    def __str__(self) -> str:
        return self.title


class OrderEvent(models.Model):
    """One step of an order's lifecycle: written once, never changed."""

    order = models.ForeignKey(
        Order, verbose_name=_("tilaus"), on_delete=models.PROTECT, related_name="events"
    )
    to_status = models.CharField(_("uusi tila"), max_length=16, choices=OrderStatus.choices)
    at = models.DateTimeField(_("aika"), default=timezone.now)
    actor = models.ForeignKey(
        StaffMember, verbose_name=_("tekijä"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("huomautus"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("tilauksen tapahtuma")
        verbose_name_plural = _("tilauksen tapahtumat")

    def __str__(self) -> str:
        return f"{self.order_id} {self.to_status}"


class LineKind(models.TextChoices):
    LABOUR = "labour", _("Työ")
    MATERIALS = "materials", _("Tarvikkeet")
    TRAVEL = "travel", _("Matkat")


class OrderLine(models.Model):
    """Materials and travel of an order, invoiced apart from the work."""

    order = models.ForeignKey(
        Order, verbose_name=_("tilaus"), on_delete=models.PROTECT, related_name="lines"
    )
    kind = models.CharField(_("laji"), max_length=16, choices=LineKind.choices)
    description = models.CharField(_("kuvaus"), max_length=160)
    quantity = models.DecimalField(_("määrä"), max_digits=9, decimal_places=2)
    unit = models.CharField(_("yksikkö"), max_length=3, default="C62")
    unit_price_cents = models.PositiveIntegerField(_("yksikköhinta (senttiä)"))
    invoice = models.ForeignKey(
        "Invoice",
        verbose_name=_("lasku"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tilausrivi")
        verbose_name_plural = _("tilausrivit")

    def __str__(self) -> str:
        return self.description


class HourEntry(ClientRecord):
    """A member's hours on one order on one day: the member's client data (education_work).
    Locked once invoiced."""

    member = models.ForeignKey(
        Member, verbose_name=_("työntekijä"), on_delete=models.PROTECT, related_name="hours"
    )
    order = models.ForeignKey(
        Order, verbose_name=_("tilaus"), on_delete=models.PROTECT, related_name="hours"
    )
    day = models.DateField(_("päivä"))
    hours = models.DecimalField(_("tunnit"), max_digits=4, decimal_places=2)
    entered_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(
        "Invoice",
        verbose_name=_("lasku"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("tuntikirjaus")
        verbose_name_plural = _("tuntikirjaukset")
        indexes = [models.Index(fields=["order", "day"], name="hours_order_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "order", "day"], name="hours_once_per_member_order_day"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=12), name="hours_within_a_day"
            ),
        ]


class Seller(models.Model):
    """The organisation's invoicing details and its invoice counter."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="+"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    vat_number = models.CharField(_("ALV-tunniste"), max_length=14, blank=True)
    e_invoice_address = models.CharField(_("verkkolaskuosoite"), max_length=35, blank=True)
    e_invoice_operator = models.CharField(_("välittäjätunnus"), max_length=35, blank=True)
    street = models.CharField(_("katuosoite"), max_length=160)
    postcode = models.CharField(_("postinumero"), max_length=5)
    city = models.CharField(_("postitoimipaikka"), max_length=80)
    last_number = models.PositiveIntegerField(_("viimeisin laskunumero"), default=0)

    class Meta:
        verbose_name = _("laskuttaja")
        verbose_name_plural = _("laskuttajat")

    def __str__(self) -> str:
        return str(self.organisation)


class Invoice(models.Model):
    """An invoice or a credit note as sent: every value it shows is stored with it and never
    changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    issuer = models.ForeignKey(
        Organisation, verbose_name=_("laskuttaja"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("laskunumero"))
    order = models.ForeignKey(
        Order, verbose_name=_("tilaus"), on_delete=models.PROTECT, related_name="invoices"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("tilaaja"), on_delete=models.PROTECT, related_name="invoices"
    )
    credit_for = models.ForeignKey(
        "self",
        verbose_name=_("hyvitettävä lasku"),
        on_delete=models.PROTECT,
        related_name="credit_notes",
        null=True,
        blank=True,
    )
    issued_on = models.DateField(_("laskun päivä"))
    due_on = models.DateField(_("eräpäivä"))
    delivered_from = models.DateField(_("työ alkoi"))
    delivered_to = models.DateField(_("työ päättyi"))
    reference = models.CharField(_("viitenumero"), max_length=20)
    vat_category = models.CharField(_("ALV-luokka"), max_length=2)
    vat_rate = models.DecimalField(_("ALV %"), max_digits=5, decimal_places=2)
    vat_exemption_code = models.CharField(_("verottomuuden koodi"), max_length=30, blank=True)
    net_cents = models.IntegerField(_("veroton yhteensä (senttiä)"))
    vat_cents = models.IntegerField(_("vero yhteensä (senttiä)"))
    gross_cents = models.IntegerField(_("yhteensä (senttiä)"))
    labour_gross_cents = models.IntegerField(_("työn osuus (senttiä)"))
    household_deduction = models.BooleanField(_("kotitalousvähennys"), default=False)
    language = models.CharField(_("kieli"), max_length=2)
    buyer = models.JSONField(_("tilaajan tiedot laskulla"))
    seller = models.JSONField(_("laskuttajan tiedot laskulla"), default=dict)
    order_reference = models.CharField(_("tilaajan viite"), max_length=70, blank=True)
    cost_centre = models.CharField(_("toimintonumero"), max_length=20, blank=True)
    issued_by = models.ForeignKey(
        StaffMember, verbose_name=_("laskuttaja"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("lähetetty"), default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("lasku")
        verbose_name_plural = _("laskut")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="invoice_number_once_per_issuer"
            ),
        ]

    def __str__(self) -> str:
        return str(self.number)

    @property
    def is_credit_note(self) -> bool:
        return self.credit_for_id is not None


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("lasku"), on_delete=models.PROTECT, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("rivi"))
    kind = models.CharField(_("laji"), max_length=16, choices=LineKind.choices)
    description = models.CharField(_("kuvaus"), max_length=200)
    quantity = models.DecimalField(_("määrä"), max_digits=9, decimal_places=2)
    unit = models.CharField(_("yksikkö"), max_length=3)
    unit_price_cents = models.IntegerField(_("yksikköhinta (senttiä)"))
    net_cents = models.IntegerField(_("veroton (senttiä)"))
    vat_cents = models.IntegerField(_("vero (senttiä)"))

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("laskurivi")
        verbose_name_plural = _("laskurivit")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position")
        ]

    def __str__(self) -> str:
        return self.description
