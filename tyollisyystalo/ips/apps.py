from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpsConfig(AppConfig):
    name = "tyollisyystalo.ips"
    verbose_name = _("IPS-mittarit")
    default_auto_field = "django.db.models.BigAutoField"
