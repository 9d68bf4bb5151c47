from django.urls import path

from tyollisyystalo.surveys import views

app_name = "surveys"
urlpatterns = [
    path("kysely/<str:token>/", views.answer, name="answer"),
    path("omat/kyselyt/<int:invitation_id>/", views.own_answer, name="own_answer"),
    path("kyselyt/kutsu/<int:invitation_id>/linkki/", views.invitation_sms, name="sms"),
    path("johtaminen/kyselyt/", views.results_index, name="results_index"),
    path("johtaminen/kyselyt/<slug:key>/", views.results, name="results"),
]
