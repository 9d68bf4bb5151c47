from django.urls import path

from tyollisyystalo.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.staff_log, name="staff_log"),
    path("asiakas/<uuid:client_id>/", views.client_log, name="client_log"),
]
