from django.urls import path

from tyollisyystalo.staff import views

app_name = "staff"
urlpatterns = [
    path("kirjaudu/", views.login_view, name="login"),
    path("kirjaudu-ulos/", views.logout_view, name="logout"),
    path("aloitus/", views.start, name="start"),
    path("aloitus/valinta/", views.start_view_set, name="start_view_set"),
]
