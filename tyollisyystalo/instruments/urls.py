from django.urls import path

from tyollisyystalo.instruments import views

app_name = "instruments"
urlpatterns = [
    path("<uuid:client_id>/mittarit/", views.client_instruments, name="client_instruments"),
    path(
        "<uuid:client_id>/mittarit/<slug:key>/uusi/",
        views.response_create,
        name="response_create",
    ),
    path(
        "<uuid:client_id>/ehdotukset/<int:suggestion_id>/",
        views.suggestion_decide,
        name="suggestion_decide",
    ),
]
