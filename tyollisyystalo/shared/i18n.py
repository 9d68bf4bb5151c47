"""Choosing the text of the active language among ``*_fi`` / ``*_sv`` / ``*_en`` fields."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


def pick(fi: str, sv: str = "", en: str = "") -> str:
    """Text in the active language, falling back to Finnish."""
    return pick_localised(fi, sv, en).text


@dataclass(frozen=True)
class Localised:
    """A text in the reader's language, or the Finnish one when the reader's is missing."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def pick_localised(fi: str, sv: str = "", en: str = "") -> Localised:
    """As ``pick``, telling which language the text is in and whether it fell back to Finnish
    (so that a page can say so and mark the passage ``lang="fi"``)."""
    language = (get_language() or "fi")[:2]
    own = {"sv": sv, "en": en}.get(language, "")
    if language in {"sv", "en"} and own:
        return Localised(own, language, False)
    return Localised(fi, "fi", language in {"sv", "en"} and bool(fi))
