from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingModulesConfig(AppConfig):
    name = "tyollisyystalo.coaching_modules"
    verbose_name = _("Moduulimuotoinen valmennus ja vertaisvalmentajat")
    default_auto_field = "django.db.models.BigAutoField"
