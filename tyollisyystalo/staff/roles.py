"""Professional roles of staff members (DOMAIN.md §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Työkykykoordinaattori")
    SOCIAL_WORKER = "social_worker", _("Sosiaalityöntekijä")
    SOCIAL_COUNSELLOR = "social_counsellor", _("Sosiaaliohjaaja")
    NURSE = "nurse", _("Terveydenhoitaja tai sairaanhoitaja")
    PHYSICIAN = "physician", _("Lääkäri")
    PHYSIOTHERAPIST = "physiotherapist", _("Fysioterapeutti")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Toimintaterapeutti")
    PSYCHOLOGIST = "psychologist", _("Psykologi")
    EMPLOYMENT_EXPERT = "employment_expert", _("Työllisyysasiantuntija")
    KELA_EXPERT = "kela_expert", _("Kelan kuntoutusasiantuntija")
    JOB_COACH = "job_coach", _("Työhönvalmentaja")
    WORK_GROUP_SUPERVISOR = "work_group_supervisor", _("Työvalmentaja")
    SERVICE_EDITOR = "service_editor", _("Palvelutietojen ylläpitäjä")
    MANAGER = "manager", _("Esihenkilö")
    STEERING_GROUP = "steering_group", _("Alueellisen ohjausryhmän jäsen")
    ADMINISTRATOR = "administrator", _("Pääkäyttäjä")
