from django.urls import path

from tyollisyystalo.situation import views

app_name = "situation"
urlpatterns = [
    path("", views.picture, name="picture"),
    path("tilannekuva.csv", views.picture_csv_download, name="csv"),
    path("tilannekuva.xlsx", views.picture_xlsx_download, name="xlsx"),
]
