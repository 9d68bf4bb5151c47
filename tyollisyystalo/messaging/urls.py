from django.urls import path

from tyollisyystalo.messaging import views

app_name = "messaging"
urlpatterns = [
    path("viestit/", views.inbox, name="inbox"),
    path("viestit/poissa/", views.away, name="away"),
    path("viestit/uusi/<uuid:client_id>/", views.start, name="start"),
    path("viestit/<uuid:thread_id>/", views.thread, name="thread"),
    path("viestit/<uuid:thread_id>/liite/<uuid:message_id>/", views.attachment, name="attachment"),
    path("omat/viestit/", views.own_index, name="own_index"),
    path("omat/viestit/uusi/", views.own_start, name="own_start"),
    path("omat/viestit/<uuid:thread_id>/", views.own_thread, name="own_thread"),
    path(
        "omat/viestit/<uuid:thread_id>/liite/<uuid:message_id>/",
        views.own_attachment,
        name="own_attachment",
    ),
]
