from django.urls import path

from tyollisyystalo.referrals import views

app_name = "referrals"
urlpatterns = [
    path("uusi/<uuid:case_id>/", views.send, name="send"),
    path("<uuid:referral_id>/", views.detail, name="detail"),
    path("<uuid:referral_id>/vastaus/", views.answer, name="answer"),
    path("<uuid:referral_id>/valmis/", views.complete, name="complete"),
    path("<uuid:referral_id>/peru/", views.cancel, name="cancel"),
]
