from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "tyollisyystalo.rules"
    verbose_name = _("Lakisääteiset säännöt")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fail at start-up, not at the first evaluation, if a parameter file is broken.
        from tyollisyystalo.rules.parameters import load_all

        load_all()
