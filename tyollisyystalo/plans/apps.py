from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tyollisyystalo.plans"
    verbose_name = _("Suunnitelmat")
    default_auto_field = "django.db.models.BigAutoField"
