from django.urls import path

from tyollisyystalo.coaching_worklist import views

app_name = "coaching_worklist"
urlpatterns = [
    path("", views.worklist, name="worklist"),
]
