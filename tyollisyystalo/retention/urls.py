from django.urls import path

from tyollisyystalo.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.legal_holds, name="legal_holds"),
    path("<int:hold_id>/pura/", views.legal_hold_release, name="legal_hold_release"),
]
