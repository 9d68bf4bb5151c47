from django.urls import path

from tyollisyystalo.plans import views

app_name = "plans"
urlpatterns = [
    path("uusi/<uuid:case_id>/", views.create, name="create"),
    path("<uuid:plan_id>/", views.detail, name="detail"),
    path("<uuid:plan_id>/muokkaa/", views.edit, name="edit"),
    path("<uuid:plan_id>/hyvaksynta/", views.acknowledge, name="acknowledge"),
    path("<uuid:plan_id>/tarkistus/", views.review, name="review"),
    path("<uuid:plan_id>/tulosta/", views.pdf, name="pdf"),
]
