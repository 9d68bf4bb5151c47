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
}
STATUS_PLAIN = {
    "referred": _("Odottaa ensitapaamista"),
    "intake": _("Kartoitamme tilannettasi"),
    "active": _("Palvelu on käynnissä"),
    "closed": _("Päättynyt"),
}


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
