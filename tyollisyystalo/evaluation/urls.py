from django.urls import path

from tyollisyystalo.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.package, name="package"),
]
