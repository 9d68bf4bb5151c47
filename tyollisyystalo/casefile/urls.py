from django.urls import path

from tyollisyystalo.casefile import views

app_name = "casefile"
urlpatterns = [
    path("<uuid:client_id>/", views.card, name="card"),
    path("<uuid:client_id>/osio/<slug:key>/", views.section, name="section"),
    path(
        "<uuid:client_id>/tiimi/<int:membership_id>/poista/",
        views.team_end_confirm,
        name="team_end_confirm",
    ),
]
