"""Data categories of client data (issue 2 part 5). Every client record has exactly one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Henkilö- ja yhteystiedot")
    SOCIAL = "social", _("Sosiaalinen tilanne")
    HEALTH = "health", _("Terveys ja toimintakyky")
    EDUCATION_WORK = "education_work", _("Koulutus- ja työhistoria")
    EMPLOYMENT_SERVICES = "employment_services", _("Työllisyyspalvelut")
    PLAN = "plan", _("Suunnitelma ja seuranta")
    ASSESSMENTS = "assessments", _("Arvioinnit")
    NOTES = "notes", _("Muistiinpanot")


# Health data is special-category data (GDPR art. 9): shown with extra care.
SPECIAL_CATEGORIES = frozenset({DataCategory.HEALTH})
