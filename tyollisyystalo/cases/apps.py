from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tyollisyystalo.cases"
    verbose_name = _("Palvelupolut")
    default_auto_field = "django.db.models.BigAutoField"
