"""What the evaluation package holds: its files and their fields, as data.

One ``Table`` per CSV file, with a Frictionless Table Schema made from it (field names, types,
descriptions, constraints, primary and foreign keys). The same definitions draw the page that
tells the manager what the package contains, and ``datapackage_descriptor`` writes
``datapackage.json`` from them (the product builds the JSON itself; the ``frictionless``
library only validates it, in the tests). Codes are the product's own (``TextChoices`` values)
and every field with codes lists them with their meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import CaseOutcome, CaseStatus, DeadlineKind, EntryRoute, EventKind
from tyollisyystalo.coaching.models import (
    CoachingKind,
    CoachingStatus,
    ContractType,
    EndedBy,
    EndingReason,
    Intensity,
)
from tyollisyystalo.evaluation.coarsening import AGE_GROUPS
from tyollisyystalo.evaluation.pseudonyms import PSEUDONYM_PATTERN
from tyollisyystalo.instruments.models import Respondent
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.referrals.models import ReferralStatus
from tyollisyystalo.worktrials.models import RATED

Text = str | Promise


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, yearmonth
    description: Text
    required: bool = False
    unique: bool = False
    codes: Sequence[tuple[str, Text]] = ()  # allowed values and what they mean
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None

    def field_descriptor(self) -> dict[str, Any]:
        description = str(self.description)
        if self.codes:
            description += " " + "; ".join(f"{code} = {label}" for code, label in self.codes)
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.codes:
            constraints["enum"] = [code for code, _label in self.codes]
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        descriptor: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": description,
        }
        if self.type == "boolean":
            descriptor.update(trueValues=["true"], falseValues=["false"])
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    reference: str


@dataclass(frozen=True)
class Table:
    name: str
    title: Text
    description: Text
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def resource_descriptor(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [column.field_descriptor() for column in self.columns],
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": [key.column],
                    "reference": {"resource": key.table, "fields": [key.reference]},
                }
                for key in self.foreign_keys
            ]
        return {
            "name": self.name,
            "path": self.path,
            "title": str(self.title),
            "description": str(self.description),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "schema": schema,
        }


TYPE_LABELS: dict[str, Text] = {
    "string": _("teksti tai koodi"),
    "integer": _("kokonaisluku"),
    "number": _("luku"),
    "boolean": _("kyllä/ei (true/false)"),
    "yearmonth": _("kuukausi (VVVV-KK)"),
}


def codes(choices: type[TextChoices]) -> tuple[tuple[str, Text], ...]:
    return tuple((str(value), label) for value, label in choices.choices if value)


def pseudonym(name: str, description: Text, *, key: bool = False, required: bool = True) -> Column:
    return Column(
        name,
        "string",
        description,
        required=required or key,
        unique=key,
        pattern=PSEUDONYM_PATTERN,
    )


def in_month(name: str, description: Text) -> Column:
    return Column(name, "yearmonth", description)


def rating(name: str, label: Text) -> Column:
    return Column(name, "integer", label, minimum=1, maximum=5)


MUNICIPALITY_PATTERN = "^[0-9A-Za-z]{1,3}$"  # Statistics Finland's three digits; the demo's X01
CLIENT = pseudonym("client", _("Asiakkaan pseudonyymi tässä aineistossa."))
CLIENT_KEY = ForeignKey("client", "clients", "client")
PATH = pseudonym("path", _("Palvelupolun pseudonyymi tässä aineistossa."))
PATH_KEY = ForeignKey("path", "paths", "path")
RATINGS = tuple(
    rating(name, _("%(label)s, arvio 1–5 (1 heikko, 5 erinomainen).") % {"label": label})
    for name, label in RATED
)

CLIENTS = Table(
    "clients",
    _("Asiakkaat"),
    _(
        "Yksi rivi asiakasta kohden: organisaation asiakkaat, joilla on palvelupolku tai "
        "valmennusjakso."
    ),
    (
        pseudonym("client", _("Asiakkaan pseudonyymi tässä aineistossa."), key=True),
        Column(
            "age_group",
            "string",
            _(
                "Ikäryhmä (viiden vuoden ryhmät) ensimmäisen palvelupolun tai valmennusjakson "
                "alkaessa. Tyhjä, jos syntymäaika ei ole tiedossa."
            ),
            codes=tuple((group, group) for group in AGE_GROUPS),
        ),
        Column(
            "municipality",
            "string",
            _(
                "Kotikunnan kuntanumero. Tyhjä, jos kotikunta ei ole tiedossa tai jos "
                "aineistossa on siitä kunnasta alle viisi asiakasta."
            ),
            pattern=MUNICIPALITY_PATTERN,
        ),
    ),
    primary_key=("client",),
)

PATHS = Table(
    "paths",
    _("Palvelupolut"),
    _("Yksi rivi palvelupolkua kohden: tulokanava, vaiheet kuukausina ja lopputulos."),
    (
        pseudonym("path", _("Palvelupolun pseudonyymi tässä aineistossa."), key=True),
        CLIENT,
        Column("entry_route", "string", _("Tulokanava."), required=True, codes=codes(EntryRoute)),
        Column("status", "string", _("Tila aineiston tekohetkellä."), codes=codes(CaseStatus)),
        in_month("referred_month", _("Kuukausi, jona asiakas ohjattiin polulle.")),
        in_month("started_month", _("Kuukausi, jona alkukartoitus alkoi.")),
        in_month("closed_month", _("Kuukausi, jona polku päättyi.")),
        Column("outcome", "string", _("Lopputulos."), codes=codes(CaseOutcome)),
        in_month("outcome_month", _("Lopputuloksen kuukausi.")),
    ),
    primary_key=("path",),
    foreign_keys=(CLIENT_KEY,),
)

PATH_EVENTS = Table(
    "path_events",
    _("Palvelupolun tapahtumat"),
    _(
        "Polun tapahtumat aikajärjestyksessä: avaus, tilan muutokset, lopputulos, "
        "vastuuhenkilön vaihto ja arvioinnit. Ei perusteluja eikä tekijää."
    ),
    (
        Column("event", "integer", _("Rivin järjestysnumero."), required=True, unique=True),
        PATH,
        in_month("month", _("Tapahtuman kuukausi.")),
        Column("kind", "string", _("Tapahtuman laji."), required=True, codes=codes(EventKind)),
        Column("from_status", "string", _("Tila ennen muutosta."), codes=codes(CaseStatus)),
        Column("to_status", "string", _("Tila muutoksen jälkeen."), codes=codes(CaseStatus)),
        Column("outcome", "string", _("Kirjattu lopputulos."), codes=codes(CaseOutcome)),
    ),
    primary_key=("event",),
    foreign_keys=(PATH_KEY,),
)

PATH_DEADLINES = Table(
    "path_deadlines",
    _("Arvioinnit ja määräajat"),
    _(
        "Polun väli- ja loppuarvioinnit ja lakisääteiset määräajat: milloin erääntyi, "
        "milloin tehtiin."
    ),
    (
        Column("deadline", "integer", _("Rivin järjestysnumero."), required=True, unique=True),
        PATH,
        Column("kind", "string", _("Määräajan laji."), required=True, codes=codes(DeadlineKind)),
        Column("months", "integer", _("Monenko kuukauden kohdalla arviointi on."), minimum=0),
        in_month("due_month", _("Eräpäivän kuukausi.")),
        in_month("done_month", _("Kuukausi, jona tehtiin.")),
        Column("cancelled", "boolean", _("Määräaika peruttiin.")),
    ),
    primary_key=("deadline",),
    foreign_keys=(PATH_KEY,),
)

INSTRUMENT_RESPONSES = Table(
    "instrument_responses",
    _("Mittarien vastaukset"),
    _(
        "Arviointimittarien ja itsearvioiden tulokset: mittari, kuukausi, kokonaispistemäärä ja "
        "tulkinta. Yksittäisiä vastauksia ei ole mukana."
    ),
    (
        pseudonym("response", _("Vastauksen pseudonyymi tässä aineistossa."), key=True),
        CLIENT,
        Column("instrument", "string", _("Mittarin tunnus."), required=True),
        Column("instrument_version", "string", _("Mittarin versio.")),
        in_month("month", _("Vastauskuukausi.")),
        Column("respondent", "string", _("Kuka vastasi."), codes=codes(Respondent)),
        Column("total", "number", _("Kokonaispistemäärä (mittarin asteikolla).")),
        Column("band", "string", _("Tulkintaluokan koodi mittarin määrittelyssä.")),
    ),
    primary_key=("response",),
    foreign_keys=(CLIENT_KEY,),
)

INSTRUMENT_DOMAINS = Table(
    "instrument_domain_scores",
    _("Mittarien osa-alueet"),
    _("Mittarin osa-alueiden pistemäärät vastauksittain."),
    (
        pseudonym("response", _("Vastaus, johon pistemäärä kuuluu.")),
        Column("domain", "string", _("Osa-alueen koodi mittarin määrittelyssä."), required=True),
        Column("score", "number", _("Osa-alueen pistemäärä.")),
    ),
    primary_key=("response", "domain"),
    foreign_keys=(ForeignKey("response", "instrument_responses", "response"),),
)

REFERRALS = Table(
    "referrals",
    _("Lähetteet"),
    _(
        "Organisaation lähettämät lähetteet: vastaanottajan organisaatiotyyppi, palvelun "
        "elämän alueet, tila ja kuukaudet. Ei perusteluja eikä tuloksen tekstiä."
    ),
    (
        pseudonym("referral", _("Lähetteen pseudonyymi tässä aineistossa."), key=True),
        PATH,
        Column(
            "receiving_organisation_type",
            "string",
            _("Vastaanottavan organisaation tyyppi."),
            codes=codes(OrganisationType),
        ),
        Column(
            "service_areas",
            "string",
            _(
                "Palveluluettelon elämän alueet (luokitus tt-area), välilyönnein eroteltuina. "
                "Tyhjä, jos lähete ei koske luettelon palvelua."
            ),
            pattern="^[a-z0-9-]+( [a-z0-9-]+)*$",
        ),
        Column("status", "string", _("Lähetteen tila."), codes=codes(ReferralStatus)),
        in_month("sent_month", _("Lähetyskuukausi.")),
        in_month("answer_due_month", _("Kuukausi, johon mennessä vastausta pyydettiin.")),
        in_month("answered_month", _("Vastauskuukausi.")),
        in_month("completed_month", _("Kuukausi, jona tulos tuli takaisin.")),
    ),
    primary_key=("referral",),
    foreign_keys=(PATH_KEY,),
)

WORK_TRIAL_FEEDBACK = Table(
    "work_trial_feedback",
    _("Työkokeilujen palautteet"),
    _("Työkokeilun järjestäjän arviot 1–5. Vastaajan nimeä ja vapaita tekstejä ei ole mukana."),
    (
        Column("feedback", "integer", _("Rivin järjestysnumero."), required=True, unique=True),
        PATH,
        in_month("month", _("Palautteen kuukausi.")),
        *RATINGS,
    ),
    primary_key=("feedback",),
    foreign_keys=(PATH_KEY,),
)

COACHING_PERIODS = Table(
    "coaching_periods",
    _("Valmennusjaksot"),
    _("Työhönvalmennuksen jaksot: malli, tiiviys, tila, kuukaudet ja päättymisen syy."),
    (
        pseudonym("period", _("Valmennusjakson pseudonyymi tässä aineistossa."), key=True),
        CLIENT,
        pseudonym(
            "path",
            _("Palvelupolku, johon jakso liittyy. Tyhjä, jos polku ei ole aineistossa."),
            required=False,
        ),
        Column("kind", "string", _("Valmennuksen malli."), codes=codes(CoachingKind)),
        Column("intensity", "string", _("Tiiviys."), codes=codes(Intensity)),
        Column("status", "string", _("Tila aineiston tekohetkellä."), codes=codes(CoachingStatus)),
        in_month("started_month", _("Alkamiskuukausi.")),
        in_month("ended_month", _("Päättymiskuukausi.")),
        Column("ending_reason", "string", _("Päättymisen syy."), codes=codes(EndingReason)),
    ),
    primary_key=("period",),
    foreign_keys=(CLIENT_KEY, PATH_KEY),
)

COACHING_EVENTS = Table(
    "coaching_events",
    _("Valmennusjaksojen tilan muutokset"),
    _("Valmennusjakson tilan muutokset kuukausittain. Ei huomioita eikä tekijää."),
    (
        Column("event", "integer", _("Rivin järjestysnumero."), required=True, unique=True),
        pseudonym("period", _("Valmennusjakso.")),
        in_month("month", _("Muutoksen kuukausi.")),
        Column("from_status", "string", _("Tila ennen muutosta."), codes=codes(CoachingStatus)),
        Column("to_status", "string", _("Tila muutoksen jälkeen."), codes=codes(CoachingStatus)),
        Column("ending_reason", "string", _("Päättymisen syy."), codes=codes(EndingReason)),
    ),
    primary_key=("event",),
    foreign_keys=(ForeignKey("period", "coaching_periods", "period"),),
)

PLACEMENTS = Table(
    "placements",
    _("Työsuhteet"),
    _(
        "Valmennuksen aikana alkaneet työsuhteet: kuukaudet, työaika, laji ja palkka. "
        "Ei työnantajaa eikä tehtävänimikettä."
    ),
    (
        pseudonym("placement", _("Työsuhteen pseudonyymi tässä aineistossa."), key=True),
        pseudonym("period", _("Valmennusjakso, jonka aikana työsuhde alkoi.")),
        in_month("started_month", _("Alkamiskuukausi.")),
        in_month("ended_month", _("Päättymiskuukausi.")),
        Column("hours_per_week", "number", _("Tunteja viikossa.")),
        Column("contract_type", "string", _("Työsuhteen laji."), codes=codes(ContractType)),
        Column("competitive", "boolean", _("Kilpailtu työ avoimilla työmarkkinoilla.")),
        Column("hourly_wage", "number", _("Tuntipalkka euroina.")),
        Column("pay_subsidy", "boolean", _("Palkkatuettu.")),
        Column("ended_by", "string", _("Kuka päätti työsuhteen."), codes=codes(EndedBy)),
    ),
    primary_key=("placement",),
    foreign_keys=(ForeignKey("period", "coaching_periods", "period"),),
)

PLACEMENT_FEEDBACK = Table(
    "placement_feedback",
    _("Työnantajien palautteet"),
    _("Työnantajan arviot 1–5 työsuhteesta. Vastaajan nimeä ja vapaita tekstejä ei ole mukana."),
    (
        Column("feedback", "integer", _("Rivin järjestysnumero."), required=True, unique=True),
        pseudonym("placement", _("Työsuhde, jota palaute koskee.")),
        in_month("month", _("Palautteen kuukausi.")),
        *RATINGS,
    ),
    primary_key=("feedback",),
    foreign_keys=(ForeignKey("placement", "placements", "placement"),),
)

SURVEY_ANSWERS = Table(
    "survey_answers",
    _("Kyselyvastaukset"),
    _(
        "Organisaation anonyymit kyselyvastaukset: kysely, vuosineljännes ja kunta. Niitä ei "
        "voi yhdistää asiakkaisiin: ei asiakkaan tunnistetta, ei kuukautta eikä vapaita "
        "tekstejä, ja mukana ovat vain kyselyt ja neljännekset, joilta on vähintään viisi "
        "vastausta."
    ),
    (
        pseudonym("answer", _("Vastauksen pseudonyymi tässä aineistossa."), key=True),
        Column("survey", "string", _("Kyselyn tunnus."), required=True),
        Column("version", "string", _("Kyselyn versio.")),
        Column(
            "quarter",
            "string",
            _("Vuosineljännes, jolle vastaus lasketaan (VVVV-Q1 … VVVV-Q4)."),
            required=True,
            pattern="^[0-9]{4}-Q[1-4]$",
        ),
        Column(
            "municipality",
            "string",
            _(
                "Kunta, jolle vastaus lasketaan. Tyhjä, jos kunta ei ole tiedossa tai jos "
                "kunnasta on saman kyselyn neljänneksellä alle viisi vastausta."
            ),
            pattern=MUNICIPALITY_PATTERN,
        ),
    ),
    primary_key=("answer",),
)

SURVEY_VALUES = Table(
    "survey_values",
    _("Kyselyvastausten arvot"),
    _("Vastausten luvut kysymyksittäin: asteikon arvo tai kyllä 1 / ei 0."),
    (
        pseudonym("answer", _("Vastaus, johon arvo kuuluu.")),
        Column("item", "string", _("Kysymyksen tunnus kyselyn määrittelyssä."), required=True),
        Column("value", "integer", _("Vastauksen arvo.")),
    ),
    primary_key=("answer", "item"),
    foreign_keys=(ForeignKey("answer", "survey_answers", "answer"),),
)

TABLES: tuple[Table, ...] = (
    CLIENTS,
    PATHS,
    PATH_EVENTS,
    PATH_DEADLINES,
    INSTRUMENT_RESPONSES,
    INSTRUMENT_DOMAINS,
    REFERRALS,
    WORK_TRIAL_FEEDBACK,
    COACHING_PERIODS,
    COACHING_EVENTS,
    PLACEMENTS,
    PLACEMENT_FEEDBACK,
    SURVEY_ANSWERS,
    SURVEY_VALUES,
)

PACKAGE_NAME = "tyollisyystalo-evaluation"


def datapackage_descriptor(
    tables: Sequence[Table], *, organisation: str, month: str
) -> dict[str, Any]:
    """``datapackage.json``: a Tabular Data Package with a Table Schema for every file."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": gettext("Työllisyystalon arviointiaineisto"),
        "description": gettext(
            "Pseudonymisoitu arviointiaineisto organisaation %(organisation)s asiakastyöstä, "
            "tehty %(month)s. Pseudonyymit on muodostettu avaimella, joka tehtiin vain tätä "
            "aineistoa varten ja hävitettiin: niitä ei voi yhdistää henkilötunnukseen eikä "
            "muihin aineistoihin. Päivämäärät ovat kuukauden tarkkuudella ja iät "
            "viiden vuoden ryhminä."
        )
        % {"organisation": organisation, "month": month},
        "resources": [table.resource_descriptor() for table in tables],
    }
