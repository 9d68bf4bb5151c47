from django.contrib import admin
from django.urls import include, path

from tyollisyystalo.shared.admin_site import SuperuserOTPAdminSite

# The admin asks for the second factor too and admits superusers only.
admin.site.__class__ = SuperuserOTPAdminSite

urlpatterns = [
    path("", include("tyollisyystalo.portal.urls")),
    path("", include("tyollisyystalo.staff.urls")),
    path("", include("tyollisyystalo.contact_requests.urls")),
    path("asiakkaat/", include("tyollisyystalo.casefile.urls")),
    path("asiakkaat/", include("tyollisyystalo.clients.urls")),
    path("asiakkaat/", include("tyollisyystalo.instruments.urls")),
    path("asiakkaat/", include("tyollisyystalo.segments.client_urls")),
    path("polut/", include("tyollisyystalo.cases.urls")),
    path("suunnitelmat/", include("tyollisyystalo.plans.urls")),
    path("lahetteet/", include("tyollisyystalo.referrals.urls")),
    path("tyokokeilu/", include("tyollisyystalo.worktrials.urls")),
    path("alihankinta/", include("tyollisyystalo.subcontracting.urls")),
    path("tyonantajat/", include("tyollisyystalo.employers.urls")),
    path("valmennus/laatuarviointi/", include("tyollisyystalo.fidelity.urls")),
    path("valmennus/moduulit/", include("tyollisyystalo.coaching_modules.urls")),
    path("valmennus/tyolista/", include("tyollisyystalo.coaching_worklist.urls")),
    path("valmennus/mittarit/", include("tyollisyystalo.ips.urls")),
    path("valmennus/", include("tyollisyystalo.coaching.urls")),
    path("", include("tyollisyystalo.notifications.urls")),
    path("", include("tyollisyystalo.messaging.urls")),
    path("", include("tyollisyystalo.documents.urls")),
    path("", include("tyollisyystalo.appointments.urls")),
    path("", include("tyollisyystalo.acknowledgements.urls")),
    path("omat/", include("tyollisyystalo.selfservice.urls")),
    path("asiakkaat/<uuid:client_id>/saannot/", include("tyollisyystalo.rules.urls")),
    path("suostumukset/", include("tyollisyystalo.consents.urls")),
    path("loki/", include("tyollisyystalo.audit.urls")),
    path("sailytysvelvoitteet/", include("tyollisyystalo.retention.urls")),
    path("johtaminen/mittarit/", include("tyollisyystalo.indicators.urls")),
    path("johtaminen/tilannekuva/", include("tyollisyystalo.situation.urls")),
    path("johtaminen/arviointiaineisto/", include("tyollisyystalo.evaluation.urls")),
    path("johtaminen/segmentit/", include("tyollisyystalo.segments.urls")),
    path("johtaminen/kapasiteetti/", include("tyollisyystalo.capacity.urls")),
    path("johtaminen/", include("tyollisyystalo.management.urls")),
    path("", include("tyollisyystalo.surveys.urls")),
    path("palvelutiedot/", include("tyollisyystalo.catalogue.urls")),
    path("valitsimet/", include("tyollisyystalo.pickers.urls")),
    path("api/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hallinta/", admin.site.urls),
]

handler400 = "tyollisyystalo.shared.api.bad_request"
handler403 = "tyollisyystalo.shared.api.permission_denied"
handler404 = "tyollisyystalo.shared.api.page_not_found"
handler500 = "tyollisyystalo.shared.api.server_error"
