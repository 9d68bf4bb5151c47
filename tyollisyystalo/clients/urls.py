from django.urls import path

from tyollisyystalo.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.search, name="search"),
    path("uusi/", views.register, name="register"),
    path("asiakkuus/", views.relationship_start, name="relationship_start"),
    path("asiakkuus/tarkastus/", views.relationship_reviews, name="relationship_reviews"),
    path("<uuid:client_id>/kirjaus/", views.entry_create, name="entry_create"),
    path("<uuid:client_id>/ensitapaaminen/", views.first_meeting, name="first_meeting"),
    path("<uuid:client_id>/tiimi/", views.team_add, name="team_add"),
    path("<uuid:client_id>/hatakaytto/", views.emergency, name="emergency"),
]
