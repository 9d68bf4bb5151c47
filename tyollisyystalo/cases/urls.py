from django.urls import path

from tyollisyystalo.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("asiakkaani/", views.caseload, name="caseload"),
    path("uusi/<uuid:client_id>/", views.case_open, name="open"),
    path("<uuid:case_id>/", views.detail, name="detail"),
    path("<uuid:case_id>/tila/", views.transition, name="transition"),
    path("<uuid:case_id>/lopputulos/", views.outcome, name="outcome"),
    path("<uuid:case_id>/arviointi/", views.review, name="review"),
    path("<uuid:case_id>/vastuuhenkilot/", views.coordinator, name="coordinator"),
    path("<uuid:case_id>/kutsu/", views.invite, name="invite"),
    path("kutsut/<int:membership_id>/", views.invitation_answer, name="invitation_answer"),
    path("konsultaatiot/", views.consultations, name="consultations"),
    path("konsultaatiot/<int:consultation_id>/", views.consultation, name="consultation"),
    path("<uuid:case_id>/konsultaatioon/", views.agenda_add, name="agenda_add"),
    path(
        "konsultaatiot/kohta/<int:item_id>/paatokset/", views.item_decisions, name="item_decisions"
    ),
    path("konsultaatiot/kohta/<int:item_id>/tehtava/", views.item_task, name="item_task"),
    path("tehtavat/<int:task_id>/tehty/", views.task_done, name="task_done"),
]
