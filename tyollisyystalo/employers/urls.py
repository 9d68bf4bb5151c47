from django.urls import path

from tyollisyystalo.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.index, name="index"),
    path("tiimi/<int:pk>/", views.team, name="team"),
    path("tiimi/<int:pk>/uusi/", views.employer_new, name="new"),
    path("tiimi/<int:pk>/tuonti/", views.import_csv, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/muokkaa/", views.employer_edit, name="edit"),
    path("<int:pk>/yhteydenotto/", views.contact_new, name="contact_new"),
    path("<int:pk>/yhdista/", views.merge, name="merge"),
    path("<int:pk>/yhteyshenkilo/", views.person_new, name="person_new"),
    path("<int:pk>/paikka/", views.opening_new, name="opening_new"),
    path("paikka/<int:pk>/sulje/", views.opening_close, name="opening_close"),
    path("yhteyshenkilo/<int:pk>/poista/", views.person_erase, name="person_erase"),
]
