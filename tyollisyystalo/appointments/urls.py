from django.urls import path

from tyollisyystalo.appointments import views

app_name = "appointments"
urlpatterns = [
    path("polut/<uuid:case_id>/tapaamiset/uusi/", views.book, name="book"),
    path("tapaamiset/", views.mine, name="mine"),
    path("tapaamiset/kalenteri/", views.feed_renew, name="feed_renew"),
    path("tapaamiset/<uuid:appointment_id>/", views.detail, name="detail"),
    path("tapaamiset/<uuid:appointment_id>/muuta/", views.change, name="change"),
    path("kalenteri/<str:token>.ics", views.feed, name="feed"),
    path("omat/tapaamiset/", views.own_index, name="own_index"),
    path("omat/tapaamiset/<uuid:appointment_id>/", views.own_detail, name="own_detail"),
]
