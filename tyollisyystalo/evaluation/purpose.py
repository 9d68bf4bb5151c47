"""The purpose a manager gives for an evaluation export (a pure rule, shared by form and service).

It is written to the access log, so it must say something (10–150 characters on one line)
and must not carry a henkilötunnus.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tyollisyystalo.clients.hetu import contains_hetu

MIN_LENGTH = 10
MAX_LENGTH = 150


def purpose_clean(text: str) -> str:
    """The purpose on one line with single spaces, or ``ValidationError`` in the user's language."""
    purpose = " ".join((text or "").split())
    if not purpose:
        raise ValidationError(_("Kirjoita, mihin aineistoa käytetään."), code="required")
    if len(purpose) < MIN_LENGTH:
        raise ValidationError(
            _("Kerro käyttötarkoitus tarkemmin (vähintään %(n)s merkkiä).") % {"n": MIN_LENGTH},
            code="short",
        )
    if len(purpose) > MAX_LENGTH:
        raise ValidationError(
            _("Käyttötarkoitus saa olla enintään %(n)s merkkiä.") % {"n": MAX_LENGTH},
            code="long",
        )
    if any(not ch.isprintable() for ch in purpose):
        raise ValidationError(_("Käyttötarkoituksessa on merkkejä, joita ei voi tallentaa."))
    if contains_hetu(purpose):
        raise ValidationError(
            _("Poista henkilötunnus: käyttötarkoitukseen ei kirjoiteta henkilötietoja."),
            code="hetu",
        )
    return purpose
