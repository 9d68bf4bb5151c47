from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactRequestsConfig(AppConfig):
    name = "tyollisyystalo.contact_requests"
    verbose_name = _("Yhteydenottopyynnöt")
    default_auto_field = "django.db.models.BigAutoField"
