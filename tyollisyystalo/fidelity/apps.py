from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FidelityConfig(AppConfig):
    name = "tyollisyystalo.fidelity"
    verbose_name = _("IPS-laatuarviointi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fail at start-up, not at the first review, if the scale's file is broken, and check
        # that every pre-fill the file names exists.
        from tyollisyystalo.fidelity.definition import all_scales
        from tyollisyystalo.fidelity.prefill import prefills_check

        for scale in all_scales().values():
            prefills_check(scale)
