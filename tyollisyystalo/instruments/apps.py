from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "tyollisyystalo.instruments"
    verbose_name = _("Mittarit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fail at start-up, not at the first answer, if an instrument file is broken.
        from tyollisyystalo.instruments.registry import all_versions

        all_versions()
