"""The service catalogue, shaped after Open Referral HSDS 3.0 (``../shared/standards/hsds-3.0``).

Every object has the HSDS ``id`` (uuid); imported objects also keep the identifier they came with
(``source_id``, e.g. ``svc-001``). Our vocabularies (areas of life, target groups, service types,
access routes, channels, PTV classes) are HSDS taxonomies; a service is classified by HSDS
``attribute`` rows that link it to taxonomy terms. Texts are in Finnish, Swedish and English,
plus a plain-language (easy Finnish) summary.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.shared.i18n import Localised, pick, pick_localised
from tyollisyystalo.staff.models import StaffMember


class Status(models.TextChoices):
    ACTIVE = "active", _("Käytössä")
    INACTIVE = "inactive", _("Ei käytössä")
    DEFUNCT = "defunct", _("Lakkautettu")
    TEMPORARILY_CLOSED = "temporarily closed", _("Tilapäisesti suljettu")


class ProviderKind(models.TextChoices):
    PUBLIC = "public", _("Julkinen")
    PRIVATE = "private", _("Yksityinen")
    NGO = "ngo", _("Järjestö")


class Translated(models.Model):
    """Name and description in three languages; ``name``/``description`` pick the active one."""

    name_fi = models.CharField(_("nimi suomeksi"), max_length=300)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=300, blank=True)
    name_en = models.CharField(_("nimi englanniksi"), max_length=300, blank=True)
    description_fi = models.TextField(_("kuvaus suomeksi"), blank=True)
    description_sv = models.TextField(_("kuvaus ruotsiksi"), blank=True)
    description_en = models.TextField(_("kuvaus englanniksi"), blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return pick(self.name_fi, self.name_sv, self.name_en)

    @property
    def description(self) -> str:
        return pick(self.description_fi, self.description_sv, self.description_en)

    @property
    def description_localised(self) -> Localised:
        return pick_localised(self.description_fi, self.description_sv, self.description_en)


class CatalogueOrganization(Translated):
    """HSDS organization: the provider of services (public, private or NGO)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_id = models.CharField(_("lähdetunniste"), max_length=100, unique=True)
    kind = models.CharField(_("tyyppi"), max_length=16, choices=ProviderKind.choices)
    website = models.URLField(_("verkkosivu"), blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    area_label = models.CharField(_("toiminta-alue"), max_length=100, blank=True)
    network_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("verkoston organisaatio"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalogue_organizations",
        help_text=_("Organisaatio, jonka työntekijät ylläpitävät näitä palveluja."),
    )
    last_modified = models.DateTimeField(_("muokattu"), auto_now=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("palveluntuottaja")
        verbose_name_plural = _("palveluntuottajat")

    def __str__(self) -> str:
        return self.name


class Taxonomy(models.Model):
    """HSDS taxonomy: one vocabulary, e.g. the nine areas of life."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("tunnus"), max_length=60, unique=True)
    name = models.CharField(_("nimi"), max_length=200)
    description = models.TextField(_("kuvaus"))
    uri = models.URLField(_("osoite"), blank=True)
    version = models.CharField(_("versio"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("luokitus")
        verbose_name_plural = _("luokitukset")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Translated):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, verbose_name=_("luokitus"), on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(_("koodi"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("yläkäsite"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    term_uri = models.URLField(_("käsitteen osoite"), blank=True)
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    class Meta:
        ordering = ["taxonomy__code", "position", "code"]
        verbose_name = _("luokan termi")
        verbose_name_plural = _("luokan termit")
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], name="term_code_unique_in_taxonomy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.taxonomy.code}:{self.code}"


class Service(Translated):
    """HSDS service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_id = models.CharField(_("lähdetunniste"), max_length=100, unique=True)
    organization = models.ForeignKey(
        CatalogueOrganization,
        verbose_name=_("palveluntuottaja"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    summary_easy_fi = models.TextField(
        _("selkokielinen tiivistelmä"),
        blank=True,
        help_text=_("Lyhyt kuvaus selkosuomeksi: lyhyitä lauseita ja tuttuja sanoja."),
    )
    application_process_fi = models.TextField(_("näin pääset palveluun (suomeksi)"), blank=True)
    application_process_sv = models.TextField(_("näin pääset palveluun (ruotsiksi)"), blank=True)
    application_process_en = models.TextField(_("näin pääset palveluun (englanniksi)"), blank=True)
    is_free = models.BooleanField(_("maksuton"), default=True)
    fees_description_fi = models.TextField(_("hinta"), blank=True)
    status = models.CharField(
        _("tila"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    url = models.URLField(_("verkkosivu"), blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    is_published = models.BooleanField(_("julkaistu"), default=True)
    last_modified = models.DateTimeField(_("muokattu"), auto_now=True)
    # When the content was last published or confirmed current (not touched by reindexing).
    reviewed_at = models.DateTimeField(_("tiedot tarkistettu"), default=timezone.now)
    stale_notified_at = models.DateTimeField(
        _("vanhentumisesta muistutettu"), null=True, blank=True
    )
    terms: models.ManyToManyField[TaxonomyTerm, Attribute] = models.ManyToManyField(
        TaxonomyTerm,
        through="Attribute",
        verbose_name=_("luokittelu"),
        related_name="services",
    )

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("palvelu")
        verbose_name_plural = _("palvelut")
        indexes = [models.Index(fields=["last_modified"], name="service_last_modified")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_free=True) | ~Q(fees_description_fi=""),
                name="service_fee_is_described",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def application_process(self) -> str:
        return pick(
            self.application_process_fi, self.application_process_sv, self.application_process_en
        )

    @property
    def application_process_localised(self) -> Localised:
        return pick_localised(
            self.application_process_fi, self.application_process_sv, self.application_process_en
        )

    @property
    def snippet(self) -> Localised:
        """What a result list shows: the easy-Finnish summary to a Finnish reader, otherwise the
        description in the reader's language (or the Finnish one, marked as such)."""
        language = (get_language() or "fi")[:2]
        if language not in {"sv", "en"} and self.summary_easy_fi:
            return Localised(self.summary_easy_fi, "fi", False)
        return self.description_localised


class Attribute(models.Model):
    """HSDS attribute: links a service to a taxonomy term, optionally with a value."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("palvelu"), on_delete=models.CASCADE, related_name="attributes"
    )
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, verbose_name=_("termi"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.CharField(_("arvo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("luokittelu")
        verbose_name_plural = _("luokittelut")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="attribute_term_once_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} → {self.taxonomy_term_id}"


class ServiceArea(models.Model):
    """HSDS service_area: a municipality, the whole region or the whole country."""

    class Extent(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kunta")
        REGION = "region", _("Maakunta")
        NATIONAL = "national", _("Koko maa")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("palvelu"), on_delete=models.CASCADE, related_name="service_areas"
    )
    name = models.CharField(_("nimi"), max_length=200)
    extent_type = models.CharField(_("laajuus"), max_length=16, choices=Extent.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kunta"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("palvelualue")
        verbose_name_plural = _("palvelualueet")
        constraints = [
            models.CheckConstraint(
                condition=~Q(extent_type="municipality") | Q(municipality__isnull=False),
                name="municipal_area_names_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceLanguage(models.Model):
    """HSDS language: a language the service is given in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("palvelu"), on_delete=models.CASCADE, related_name="languages"
    )
    code = models.CharField(_("kielikoodi"), max_length=8)
    name = models.CharField(_("kieli"), max_length=60)

    class Meta:
        ordering = ["service", "code"]
        verbose_name = _("palvelukieli")
        verbose_name_plural = _("palvelukielet")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="language_once_per_service")
        ]

    def __str__(self) -> str:
        return self.code


class Location(Translated):
    """HSDS location with its (physical) address."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("Käyntiosoite")
        POSTAL = "postal", _("Postiosoite")
        VIRTUAL = "virtual", _("Verkossa")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Optional but unique: only NULLs may repeat, so this string field is nullable.
    source_id = models.CharField(  # noqa: DJ001
        _("lähdetunniste"), max_length=100, unique=True, null=True
    )
    organization = models.ForeignKey(
        CatalogueOrganization,
        verbose_name=_("palveluntuottaja"),
        on_delete=models.CASCADE,
        related_name="locations",
        null=True,
        blank=True,
    )
    location_type = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("verkko-osoite"), blank=True)
    address_1 = models.CharField(_("katuosoite"), max_length=200, blank=True)
    city = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=10, blank=True)
    country = models.CharField(_("maa"), max_length=2, default="FI")
    latitude = models.DecimalField(
        _("leveysaste"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("pituusaste"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility_fi = models.TextField(_("esteettömyys"), blank=True)

    class Meta:
        verbose_name = _("toimipiste")
        verbose_name_plural = _("toimipisteet")

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("palvelu"), on_delete=models.CASCADE, related_name="at_locations"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("toimipiste"), on_delete=models.CASCADE, related_name="services"
    )
    description_fi = models.TextField(_("kuvaus"), blank=True)

    class Meta:
        verbose_name = _("palvelu toimipisteessä")
        verbose_name_plural = _("palvelut toimipisteissä")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_once_per_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Phone(models.Model):
    """HSDS phone, attached to an organization, a service or a location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        CatalogueOrganization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("numero"), max_length=40)
    type = models.CharField(_("tyyppi"), max_length=20, default="voice")
    description_fi = models.CharField(_("kuvaus"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("puhelinnumero")
        verbose_name_plural = _("puhelinnumerot")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, service__isnull=True, location__isnull=True)
                    | Q(organization__isnull=True, service__isnull=False, location__isnull=True)
                    | Q(organization__isnull=True, service__isnull=True, location__isnull=False)
                ),
                name="phone_belongs_to_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """HSDS schedule (weekly opening hours) of a service or a location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    byday = models.CharField(_("viikonpäivät"), max_length=30, blank=True, help_text="MO,TU,WE")
    opens_at = models.TimeField(_("avautuu"), null=True, blank=True)
    closes_at = models.TimeField(_("sulkeutuu"), null=True, blank=True)
    description_fi = models.CharField(_("kuvaus"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("aukioloaika")
        verbose_name_plural = _("aukioloajat")
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="schedule_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="schedule_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}–{self.closes_at}"


class Contact(models.Model):
    """HSDS contact person of a service or an organization."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        CatalogueOrganization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("nimi"), max_length=200)
    title = models.CharField(_("tehtävä"), max_length=200, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)

    class Meta:
        verbose_name = _("yhteyshenkilö")
        verbose_name_plural = _("yhteyshenkilöt")

    def __str__(self) -> str:
        return self.name


class CostOption(models.Model):
    """HSDS cost_option: a price of the service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="cost_options", verbose_name=_("palvelu")
    )
    option = models.CharField(_("vaihtoehto"), max_length=200, blank=True)
    amount = models.DecimalField(_("hinta"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("valuutta"), max_length=3, default="EUR")
    amount_description = models.CharField(_("hinnan kuvaus"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hintavaihtoehto")
        verbose_name_plural = _("hintavaihtoehdot")

    def __str__(self) -> str:
        return self.option or self.amount_description


class SearchTerm(models.Model):
    """One analysed term of a service in one language, with its weight (the search index).

    Written only by ``catalogue.search.index.search_index_rebuild``; read by the search, which
    ranks in Python, so PostgreSQL and SQLite give the same order.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("palvelu"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("kieli"), max_length=2)
    term = models.CharField(_("termi"), max_length=100)
    weight = models.FloatField(_("paino"))

    class Meta:
        verbose_name = _("hakutermi")
        verbose_name_plural = _("hakutermit")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "language", "term"], name="search_term_once_per_service"
            )
        ]
        # Covering: the search reads service and weight for each (language, term) from the index.
        indexes = [
            models.Index(
                fields=["language", "term", "service", "weight"], name="search_term_covering"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.term}"


class SearchIndexVersion(models.Model):
    """Bumped by every index rebuild, so processes know when to reload their vocabulary."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveIntegerField(_("versio"), default=0)

    class Meta:
        verbose_name = _("hakuhakemiston versio")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="single_search_index_version")
        ]

    def __str__(self) -> str:
        return str(self.version)


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Luonnos")
    SUBMITTED = "submitted", _("Odottaa julkaisua")
    PUBLISHED = "published", _("Julkaistu")
    CONFIRMED = "confirmed", _("Vahvistettu ajantasaiseksi")
    DISCARDED = "discarded", _("Hylätty")


OPEN_REVISION_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.SUBMITTED)


class ServiceRevision(models.Model):
    """One edit of a service by its provider: a draft until a catalogue administrator publishes.

    ``base`` is the published content the edit started from and ``data`` the edited content,
    both as ``catalogue.revisions.service_snapshot`` dictionaries; published and confirmed
    revisions are the service's version history.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("palvelu"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("versio"))
    status = models.CharField(
        _("tila"), max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    base = models.JSONField(_("lähtötilanne"))
    data = models.JSONField(_("sisältö"))
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("muokkaaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("aloitettu"), default=timezone.now)
    updated_at = models.DateTimeField(_("muokattu"), default=timezone.now)
    submitted_at = models.DateTimeField(_("lähetetty julkaistavaksi"), null=True, blank=True)
    decided_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("käsittelijä"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)
    note = models.TextField(_("käsittelijän huomautus"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("palvelun versio")
        verbose_name_plural = _("palvelun versiot")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="revision_number_unique"),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(status__in=["draft", "submitted"]),
                name="one_open_revision_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVISION_STATUSES


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(",", " ").split() if code.strip()]


class NeedExpression(models.Model):
    """An entry of the need vocabulary added by a region editor (the reviewed entries that ship
    with the product are in ``data/needs.toml``): how people say a need, and the catalogue's
    words for the help. Read by the search through ``catalogue.search.needs``."""

    class Language(models.TextChoices):
        FI = "fi", _("suomi")
        SV = "sv", _("ruotsi")
        EN = "en", _("englanti")

    language = models.CharField(_("kieli"), max_length=2, choices=Language.choices)
    says = models.TextField(
        _("näin ihmiset sanovat"),
        help_text=_("Yksi ilmaus riville, kuten ihmiset sen kirjoittavat (esim. ei oo rahaa)."),
    )
    means = models.TextField(
        _("palvelujen sanat"),
        help_text=_("Yksi sana tai ilmaus riville: palvelukuvausten sanat avulle."),
    )
    areas = models.CharField(_("elämän alueet"), max_length=200, blank=True)
    groups = models.CharField(_("kohderyhmät"), max_length=200, blank=True)
    reason = models.TextField(_("perustelu"))
    is_active = models.BooleanField(_("käytössä"), default=True)
    created_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("lisääjä"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lisätty"), default=timezone.now)
    updated_at = models.DateTimeField(_("muokattu"), default=timezone.now)

    class Meta:
        ordering = ["language", "-created_at"]
        verbose_name = _("tarvesanaston ilmaus")
        verbose_name_plural = _("tarvesanaston ilmaukset")

    def __str__(self) -> str:
        first = _lines(self.says)[:1]
        return f"{self.language}: {first[0] if first else ''}"

    def says_list(self) -> list[str]:
        return _lines(self.says)

    def means_list(self) -> list[str]:
        return _lines(self.means)

    def areas_list(self) -> list[str]:
        return _codes(self.areas)

    def groups_list(self) -> list[str]:
        return _codes(self.groups)
