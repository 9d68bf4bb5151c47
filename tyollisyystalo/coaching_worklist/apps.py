from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingWorklistConfig(AppConfig):
    name = "tyollisyystalo.coaching_worklist"
    verbose_name = _("Valmentajan työlista")
    default_auto_field = "django.db.models.BigAutoField"
