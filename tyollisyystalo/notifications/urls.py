from django.urls import path

from tyollisyystalo.notifications import views

app_name = "notifications"
urlpatterns = [
    path("ilmoitukset/", views.index, name="index"),
    path("ilmoitukset/<int:pk>/avaa/", views.open_, name="open"),
    path("ilmoitukset/luettu/", views.read_all, name="read_all"),
    path("ilmoitukset/asetukset/", views.preference, name="preference"),
    path("omat/ilmoitukset/", views.own_index, name="own_index"),
    path("omat/ilmoitukset/<int:pk>/avaa/", views.own_open, name="own_open"),
    path("omat/ilmoitukset/luettu/", views.own_read_all, name="own_read_all"),
    path("omat/ilmoitukset/asetukset/", views.own_preference, name="own_preference"),
]
