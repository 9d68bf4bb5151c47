from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "tyollisyystalo.coaching"
    verbose_name = _("Työhönvalmennus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fail at start-up, not at the first answer, if a form definition file is broken.
        from tyollisyystalo.coaching.feedback import register
        from tyollisyystalo.coaching.formdefs import all_versions

        all_versions()
        # Employer feedback on placements uses the work-trial link machinery.
        register()
