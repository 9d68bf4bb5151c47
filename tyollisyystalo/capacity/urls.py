from django.urls import path

from tyollisyystalo.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.simulator, name="simulator"),
]
