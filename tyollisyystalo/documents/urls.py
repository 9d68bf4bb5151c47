from django.urls import path

from tyollisyystalo.documents import views

app_name = "documents"
urlpatterns = [
    path("asiakkaat/<uuid:client_id>/asiakirjat/uusi/", views.upload, name="upload"),
    path("asiakirjat/<uuid:document_id>/", views.download, name="download"),
    path("omat/asiakirjat/", views.own_index, name="own_index"),
    path("omat/asiakirjat/<uuid:document_id>/", views.own_download, name="own_download"),
]
