from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "tyollisyystalo.retention"
    verbose_name = _("Säilytysajat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Refuse to start with a broken record class table (unknown model, missing source).
        from tyollisyystalo.retention.table import load_table

        load_table()
