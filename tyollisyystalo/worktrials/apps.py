from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktrialsConfig(AppConfig):
    name = "tyollisyystalo.worktrials"
    verbose_name = _("Työkokeilun palaute")
    default_auto_field = "django.db.models.BigAutoField"
