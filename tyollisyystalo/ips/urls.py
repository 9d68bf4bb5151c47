from django.urls import path

from tyollisyystalo.ips import views

app_name = "ips"
urlpatterns = [
    path("", views.own, name="own"),
    path("tiimi/<int:pk>/", views.team, name="team"),
]
