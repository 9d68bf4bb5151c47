from django.urls import path

from tyollisyystalo.segments import views

app_name = "segments"
urlpatterns = [
    path("", views.workshop, name="workshop"),
    path("mittarit/", views.metrics, name="metrics"),
    path("analyysi/<uuid:analysis_id>/", views.analysis, name="analysis"),
    path("versio/<int:version_id>/", views.version, name="version"),
    path("segmentti/<int:segment_id>/", views.segment_edit, name="segment_edit"),
]
