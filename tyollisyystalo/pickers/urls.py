from django.urls import path

from tyollisyystalo.pickers import views

app_name = "pickers"
urlpatterns = [
    path("<slug:source>/", views.options, name="options"),
]
