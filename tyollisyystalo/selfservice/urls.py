from django.urls import path

from tyollisyystalo.selfservice import views

app_name = "selfservice"
urlpatterns = [
    path("", views.home, name="home"),
    path("kirjaudu/", views.login_page, name="login"),
    path("kirjaudu/tunnistus/", views.oidc_start, name="oidc_start"),
    path("kirjaudu/paluu/", views.oidc_callback, name="oidc_callback"),
    path("kirjaudu-ulos/", views.logout_view, name="logout"),
    path("itsearvio/", views.self_assessment, name="self_assessment"),
    path("suostumukset/<int:consent_id>/peru/", views.consent_withdraw, name="consent_withdraw"),
    path("omat-tiedot.json", views.export, name="export"),
    path("sailytysajat/", views.retention, name="retention"),
]
