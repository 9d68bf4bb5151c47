from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "tyollisyystalo.staff"
    label = "staff"
    verbose_name = _("Henkilöstö")

    def ready(self) -> None:
        from tyollisyystalo.staff import schema  # noqa: F401  (registers OpenAPI extensions)
