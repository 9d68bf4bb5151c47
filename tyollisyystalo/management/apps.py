from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManagementConfig(AppConfig):
    name = "tyollisyystalo.management"
    label = "management"
    verbose_name = _("Tiedolla johtaminen")
