"""The measures' names and "how is this counted" texts shown on the pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    key: str
    name: Promise
    how: Promise


CONTACTS = Definition(
    "contacts",
    _("Työnantajakontaktit viikossa"),
    _(
        "Valmentajan työnantajarekisteriin kirjaamat yhteydenotot työnantajiin viikoittain "
        "(maanantaista sunnuntaihin) ja niistä kasvokkaiset tapaamiset. IPS-tavoite on kuusi "
        "kasvokkaista työnantajatapaamista viikossa. Keskiarvo on laskettu kahdeksalta viikolta."
    ),
)
FIRST_CONTACT = Definition(
    "first_contact",
    _("Päiviä valmennuksen alusta ensimmäiseen työnantajakontaktiin"),
    _(
        "Valmennusjaksot, jotka alkoivat viimeisen vuoden aikana ja vähintään 30 päivää sitten. "
        "Päivät lasketaan jakson alusta ensimmäiseen työnantajakontaktiin, joka kirjattiin "
        "asiakkaan asiana. IPS-tavoite on enintään 30 päivää eli kuukauden sisällä."
    ),
)
CASELOAD = Definition(
    "caseload",
    _("Avoimet valmennusjaksot"),
    _("Tänään avoinna olevat valmennusjaksot. IPS: enintään 20 asiakasta valmentajaa kohden."),
)
COHORT = Definition(
    "cohort",
    _("Seurantaryhmä"),
    _(
        "12 kuukauden ryhmään kuuluvat valmennusjaksot, jotka alkoivat 12 kuukauden aikana "
        "ennen kuin tästä päivästä on 12 kuukautta; jokaista seurataan 12 kuukautta jakson "
        "alusta. 18 kuukauden ryhmä samoin 18 kuukauden seurannalla. Mukana vain työ avoimilla "
        "työmarkkinoilla (kilpailtu työ). Alle viiden asiakkaan lukuja ei näytetä."
    ),
)
OUTCOMES = (
    Definition(
        "employed_percent",
        _("Työllistyi avoimille työmarkkinoille"),
        _("Osuus ryhmän asiakkaista, joilla oli kilpailtu työ jossain vaiheessa seurantaa."),
    ),
    Definition(
        "weeks_worked",
        _("Työviikot yhteensä"),
        _(
            "Kilpailtujen töiden viikot seurannan aikana (päällekkäiset työt kerran), "
            "keskiarvo työllistyneistä."
        ),
    ),
    Definition(
        "longest_job_weeks",
        _("Pisimmän työn kesto (viikkoa)"),
        _(
            "Pisimmän yksittäisen kilpaillun työn viikot seurannan aikana, "
            "keskiarvo työllistyneistä."
        ),
    ),
    Definition(
        "total_hours",
        _("Työtunnit yhteensä"),
        _(
            "Kunkin työn viikot kertaa sovitut viikkotunnit, laskettuna yhteen; keskiarvo "
            "työllistyneistä."
        ),
    ),
    Definition(
        "hours_per_week",
        _("Tunteja viikossa"),
        _("Työtunnit jaettuna työviikoilla, keskiarvo työllistyneistä."),
    ),
    Definition(
        "hourly_wage",
        _("Tuntipalkka (€)"),
        _(
            "Keskiarvo niistä kilpailluista töistä, joille palkka on kirjattu (vähintään kolme). "
            "Suluissa töiden määrä, joilta palkka on kirjattu."
        ),
    ),
    Definition(
        "days_to_first_job",
        _("Päiviä ensimmäiseen työhön"),
        _(
            "Päivät valmennuksen alusta ensimmäisen kilpaillun työn alkuun, "
            "keskiarvo työllistyneistä."
        ),
    ),
    Definition(
        "twenty_hours_percent",
        _("Työssä vähintään 20 tuntia viikossa"),
        _(
            "Osuus ryhmän asiakkaista, joilla oli kilpailtu työ, "
            "jossa vähintään 20 tuntia viikossa."
        ),
    ),
)
