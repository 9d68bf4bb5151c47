from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tyollisyystalo.audit.api import ClientAccessLogView
from tyollisyystalo.casefile.api import ClientCardView, ClientCollectionView
from tyollisyystalo.catalogue.search.api import CatalogueSearchView
from tyollisyystalo.clients.api import (
    ClientEntriesView,
    ClientRelationshipStartView,
    ClientSearchView,
)
from tyollisyystalo.consents.api import ClientConsentsView, ConsentDetailView, ConsentWithdrawView
from tyollisyystalo.fidelity.api import FidelityScoreView
from tyollisyystalo.indicators.api import IndicatorListView, IndicatorValuesView
from tyollisyystalo.rules.api import RuleEvaluateView
from tyollisyystalo.staff.api import TokenView
from tyollisyystalo.subcontracting.api import InvoiceView

v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("clients/", ClientCollectionView.as_view(), name="clients"),
    path("clients/search/", ClientSearchView.as_view(), name="client-search"),
    path(
        "clients/relationships/",
        ClientRelationshipStartView.as_view(),
        name="client-relationship-start",
    ),
    path("clients/<uuid:client_id>/", ClientCardView.as_view(), name="client-card"),
    path("clients/<uuid:client_id>/entries/", ClientEntriesView.as_view(), name="client-entries"),
    path(
        "clients/<uuid:client_id>/consents/", ClientConsentsView.as_view(), name="client-consents"
    ),
    path("clients/<uuid:client_id>/access-log/", ClientAccessLogView.as_view(), name="client-log"),
    path("consents/<int:consent_id>/", ConsentDetailView.as_view(), name="consent"),
    path("catalogue/search", CatalogueSearchView.as_view(), name="catalogue-search"),
    path("coaching/fidelity/score", FidelityScoreView.as_view(), name="fidelity-score"),
    path("indicators/", IndicatorListView.as_view(), name="indicators"),
    path("indicators/<str:key>/values", IndicatorValuesView.as_view(), name="indicator-values"),
    path("rules/<str:rule_id>/evaluate", RuleEvaluateView.as_view(), name="rule-evaluate"),
    path(
        "subcontracting/invoices/<uuid:invoice_id>",
        InvoiceView.as_view(),
        name="subcontracting-invoice",
    ),
    path(
        "consents/<int:consent_id>/withdraw/",
        ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[]),
        name="api-docs",
    ),
    path("v1/", include((v1, "v1"))),
    path("v1/hsds/", include(("tyollisyystalo.catalogue.urls_hsds", "hsds"))),
]
