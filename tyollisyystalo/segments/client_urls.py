"""The client's segment: a person's decision and the copy of the process into a plan (the part
itself is drawn by the card, ``casefile:section`` with the key ``segments``)."""

from django.urls import path

from tyollisyystalo.segments import views

app_name = "client_segments"
urlpatterns = [
    path("<uuid:client_id>/segmentti/", views.decide, name="decide"),
    path("<uuid:client_id>/segmentti/suunnitelmaan/", views.to_plan, name="to_plan"),
]
