from django.urls import path

from tyollisyystalo.casefile import views

app_name = "casefile"
urlpatterns = [
    path("<uuid:client_id>/", views.card, name="card"),
]
