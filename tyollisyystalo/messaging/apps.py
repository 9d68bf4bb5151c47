from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tyollisyystalo.messaging"
    verbose_name = _("Viestit")
    default_auto_field = "django.db.models.BigAutoField"
