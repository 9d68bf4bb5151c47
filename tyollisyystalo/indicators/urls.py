from django.urls import path

from tyollisyystalo.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("tavoitteet/", views.goals, name="goals"),
    path("tavoitteet/<int:pk>/poista/", views.goal_remove, name="goal_remove"),
]
