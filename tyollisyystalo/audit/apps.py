from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tyollisyystalo.audit"
    label = "audit"
    verbose_name = _("Käyttöloki")

    def ready(self) -> None:
        from tyollisyystalo.audit import checks  # noqa: F401 - registers the system checks
