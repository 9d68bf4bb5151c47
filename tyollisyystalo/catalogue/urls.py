from django.urls import path

from tyollisyystalo.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.dashboard, name="editor_dashboard"),
    path("<uuid:service_id>/", views.service_page, name="editor_service"),
    path("<uuid:service_id>/muokkaa/", views.edit, name="editor_edit"),
    path("<uuid:service_id>/ajantasalla/", views.confirm, name="editor_confirm"),
    path("muutos/<int:revision_id>/julkaise/", views.publish, name="editor_publish"),
    path("muutos/<int:revision_id>/palauta/", views.send_back, name="editor_return"),
    path("muutos/<int:revision_id>/hylkaa/", views.discard, name="editor_discard"),
    path("tarvesanasto/", views.needs, name="needs"),
    path("tarvesanasto/uusi/", views.need_edit, name="need_add"),
    path("tarvesanasto/<int:need_id>/", views.need_edit, name="need_edit"),
]
