from django.urls import path

from tyollisyystalo.consents import views

app_name = "consents"
urlpatterns = [
    path("uusi/<uuid:client_id>/", views.create, name="create"),
    path("<int:consent_id>/", views.detail, name="detail"),
    path("<int:consent_id>/muuta/", views.revise, name="revise"),
    path("<int:consent_id>/peru/", views.withdraw, name="withdraw"),
    path("hatakaytot/", views.emergency_reviews, name="emergency_reviews"),
]
