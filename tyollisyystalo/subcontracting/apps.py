from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubcontractingConfig(AppConfig):
    name = "tyollisyystalo.subcontracting"
    verbose_name = _("Alihankintamalli")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tyollisyystalo.subcontracting.parameters import load

        load()  # a malformed parameter file stops the program at start
