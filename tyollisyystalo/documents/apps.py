from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tyollisyystalo.documents"
    verbose_name = _("Asiakirjat")
    default_auto_field = "django.db.models.BigAutoField"
