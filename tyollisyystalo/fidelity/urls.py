from django.urls import path

from tyollisyystalo.fidelity import views

app_name = "fidelity"
urlpatterns = [
    path("", views.index, name="index"),
    path("tiimi/<int:pk>/", views.team, name="team"),
    path("tiimi/<int:pk>/uusi/", views.review_new, name="new"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/muokkaa/", views.review_edit, name="edit"),
    path("<int:pk>/suunnitelma/", views.action_add, name="action_add"),
]
