from django.urls import path

from tyollisyystalo.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.index, name="index"),
    path("aloita/<uuid:client_id>/", views.start, name="start"),
    path("<uuid:period_id>/", views.detail, name="detail"),
    path("<uuid:period_id>/tila/", views.transition, name="transition"),
    path("<uuid:period_id>/yhteydenotto/", views.support_contact, name="support_contact"),
    path("<uuid:period_id>/lomake/<str:code>/", views.form_answer, name="form"),
    path(
        "<uuid:period_id>/tyosuhde/<uuid:placement_id>/paattyminen/",
        views.placement_end,
        name="placement_end",
    ),
    path(
        "<uuid:period_id>/tyosuhde/<uuid:placement_id>/palaute/",
        views.placement_feedback_link,
        name="feedback_link",
    ),
    path("<uuid:period_id>/tyonantajatapaaminen/", views.employer_meeting, name="meeting"),
]
