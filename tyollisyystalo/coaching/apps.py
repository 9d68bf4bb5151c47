from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "tyollisyystalo.coaching"
    verbose_name = _("Työhönvalmennus")
    default_auto_field = "django.db.models.BigAutoField"
