"""Choosing the text of the active language among ``*_fi`` / ``*_sv`` / ``*_en`` fields."""

from __future__ import annotations

from django.utils.translation import get_language


def pick(fi: str, sv: str = "", en: str = "") -> str:
    """Text in the active language, falling back to Finnish."""
    language = (get_language() or "fi")[:2]
    if language == "sv" and sv:
        return sv
    if language == "en" and en:
        return en
    return fi
