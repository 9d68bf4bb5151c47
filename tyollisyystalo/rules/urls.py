from django.urls import path

from tyollisyystalo.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.client_rules, name="client_rules"),
]
