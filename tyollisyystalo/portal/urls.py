from django.urls import path

from tyollisyystalo.portal import views

app_name = "portal"
urlpatterns = [path("", views.home, name="home")]
