from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "tyollisyystalo.indicators"
    label = "indicators"
    verbose_name = _("Mittarit ja tavoitteet")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Refuse to start with a broken indicator table (unknown kind, missing texts).
        from tyollisyystalo.indicators.definitions import indicators_all

        indicators_all()
