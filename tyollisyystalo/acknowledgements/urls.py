from django.urls import path

from tyollisyystalo.acknowledgements import views

app_name = "acknowledgements"
urlpatterns = [
    path("suunnitelmat/kuitattavana/", views.waiting, name="waiting"),
    path("suunnitelmat/<uuid:plan_id>/kuittaus/", views.respond, name="respond"),
    path("omat/suunnitelmat/", views.own_index, name="own_index"),
    path("omat/suunnitelmat/<uuid:plan_id>/", views.own_plan, name="own_plan"),
]
