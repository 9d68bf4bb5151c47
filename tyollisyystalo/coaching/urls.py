from django.urls import path

from tyollisyystalo.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.index, name="index"),
    path("aloita/<uuid:client_id>/", views.start, name="start"),
    path("<uuid:period_id>/", views.detail, name="detail"),
    path("<uuid:period_id>/tila/", views.transition, name="transition"),
    path("<uuid:period_id>/yhteydenotto/", views.support_contact, name="support_contact"),
]
