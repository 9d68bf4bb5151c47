from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "tyollisyystalo.employers"
    verbose_name = _("Työnantajarekisteri")
    default_auto_field = "django.db.models.BigAutoField"
