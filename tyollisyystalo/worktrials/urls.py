from django.urls import path

from tyollisyystalo.worktrials import views

app_name = "worktrials"
urlpatterns = [
    path("palaute/<str:token>/", views.answer, name="answer"),
    path("uusi/<uuid:case_id>/", views.create, name="create"),
    path("linkki/<int:link_id>/peru/", views.revoke, name="revoke"),
]
