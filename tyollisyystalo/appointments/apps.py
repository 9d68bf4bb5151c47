from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "tyollisyystalo.appointments"
    verbose_name = _("Tapaamiset")
    default_auto_field = "django.db.models.BigAutoField"
