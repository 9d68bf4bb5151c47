from django.http import HttpRequest
from django_otp.admin import OTPAdminSite


class SuperuserOTPAdminSite(OTPAdminSite):
    """The admin is for superusers who signed in with a second factor, and holds no client data:
    client, identity, entry and consent models are deliberately not registered, so the admin
    is never a way around the gatekeeper."""

    site_header = "Työllisyystalo – hallinta"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and bool(request.user.is_superuser)
