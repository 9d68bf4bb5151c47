from django.urls import path

from tyollisyystalo.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("palvelut/", views.search, name="search"),
    path("palvelut/alue/<slug:code>/", views.area, name="area"),
    path("palvelut/<uuid:service_id>/", views.service, name="service"),
    path("itsearvio/", views.self_assessment, name="self_assessment"),
    path("selkosuomi/", views.easy_finnish, name="easy_finnish"),
]
