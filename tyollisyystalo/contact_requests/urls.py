from django.urls import path

from tyollisyystalo.contact_requests import views

app_name = "contact_requests"
urlpatterns = [
    path("yhteydenotto/", views.contact, name="contact"),
    path("yhteydenotto/kiitos/", views.receipt, name="receipt"),
    path("yhteydenotot/", views.queue, name="queue"),
    path("yhteydenotot/<uuid:request_id>/", views.detail, name="detail"),
    path("yhteydenotot/<uuid:request_id>/yhteydessa/", views.contacted, name="contacted"),
    path("yhteydenotot/<uuid:request_id>/sulje/", views.close, name="close"),
    path("yhteydenotot/<uuid:request_id>/asiakkaaksi/", views.convert, name="convert"),
]
