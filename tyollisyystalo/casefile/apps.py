from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CasefileConfig(AppConfig):
    name = "tyollisyystalo.casefile"
    label = "casefile"
    verbose_name = _("Asiakaskortti")

    def ready(self) -> None:
        # Every installed app's ``sections`` module registers its parts of the card.
        autodiscover_modules("sections")
