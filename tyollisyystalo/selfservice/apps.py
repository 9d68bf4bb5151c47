from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfserviceConfig(AppConfig):
    name = "tyollisyystalo.selfservice"
    verbose_name = _("Omat sivut")
    default_auto_field = "django.db.models.BigAutoField"
