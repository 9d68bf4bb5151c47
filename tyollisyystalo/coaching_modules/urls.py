from django.urls import path

from tyollisyystalo.coaching_modules import views

app_name = "coaching_modules"
urlpatterns = [
    path("vertaisvalmentajat/", views.peers_index, name="peers_index"),
    path("vertaisvalmentajat/<int:organisation_id>/", views.peers, name="peers"),
    path("vertaisvalmentajat/<int:organisation_id>/uusi/", views.peer_new, name="peer_new"),
    path("vertaisvalmentajat/<int:organisation_id>/kerta/", views.session_new, name="session_new"),
    path("vertaisvalmentajat/<int:organisation_id>/palkkiot.csv", views.payroll, name="payroll"),
    path("vertaisvalmentaja/<int:pk>/poista/", views.peer_erase, name="peer_erase"),
    path("moduuli/<uuid:module_id>/arvio/", views.assessment_new, name="assessment_new"),
    path("moduuli/<uuid:module_id>/valinta/", views.choice_new, name="choice_new"),
    path("<uuid:period_id>/", views.period, name="period"),
    path("<uuid:period_id>/uusi/", views.module_new, name="module_new"),
    path("<uuid:period_id>/vertaiskerta/", views.period_session_new, name="period_session_new"),
]
