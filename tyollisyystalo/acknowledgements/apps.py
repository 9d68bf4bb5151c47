from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcknowledgementsConfig(AppConfig):
    name = "tyollisyystalo.acknowledgements"
    verbose_name = _("Suunnitelmien kuittaukset")
    default_auto_field = "django.db.models.BigAutoField"
