"""Plain-language labels for the client's own pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.audit.models import AccessLogEntry, Action, Basis

register = template.Library()

# What was looked at, by the kind of object in the access log.
SUBJECTS = {
    "client_card": _("perustietosi ja kirjaukset"),
    "client_entry": _("kirjaus"),
    "case": _("palvelupolkusi"),
    "plan": _("suunnitelmasi"),
    "referral": _("lähete"),
    "referral_inbox": _("saapuneet lähetteet"),
    "worklist": _("työlista"),
    "instrument_response": _("arvioinnin vastaukset"),
    "instrument_responses": _("arvioinnin vastaukset"),
    "instrument_suggestion": _("arvioinnin ehdotus"),
    "rule_facts": _("etuuksien ja palvelujen edellytykset"),
    "team_membership": _("tiimisi"),
    "consent": _("suostumuksesi"),
    "worktrial_feedback": _("työkokeilun palaute"),
    "own_data": _("omat tietosi"),
    "coaching_period": _("työhönvalmennuksesi"),
    "coaching_periods": _("valmentajan asiakaslista"),
    "coaching_form_answer": _("työhönvalmennuksen lomake"),
    "coaching_support_contact": _("työhönvalmennuksen tapaaminen"),
    "employer_contacts": _("työnantajatapaamiset"),
}
STATUS_PLAIN = {
    "referred": _("Odottaa ensitapaamista"),
    "intake": _("Kartoitamme tilannettasi"),
    "active": _("Palvelu on käynnissä"),
    "closed": _("Päättynyt"),
}


COACHING_PLAIN = {
    "started": _("Valmennus on alkanut. Mietitte yhdessä, millaista työtä haluat."),
    "job_search": _("Etsitte työpaikkaa yhdessä."),
    "employed": _("Olet töissä. Valmentaja tukee sinua työn alussa."),
    "follow_along": _("Olet töissä. Valmentaja tukee sinua, kun tarvitset."),
    "ended": _("Valmennus on päättynyt."),
}


@register.filter
def plain_coaching_status(status: str) -> str:
    return str(COACHING_PLAIN.get(status, status))


@register.filter
def log_subject(entry: AccessLogEntry) -> str:
    return str(SUBJECTS.get(entry.object_type, _("asiakastietosi")))


@register.filter
def log_action(entry: AccessLogEntry) -> str:
    return str(dict(Action.choices).get(entry.action, entry.action))


@register.filter
def log_basis(entry: AccessLogEntry) -> str:
    return str(dict(Basis.choices).get(entry.basis, entry.basis)) if entry.basis else ""


@register.filter
def plain_status(status: str) -> str:
    return str(STATUS_PLAIN.get(status, status))
