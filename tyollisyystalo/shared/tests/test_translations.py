"""Finnish is the source; Swedish and English must be complete so no user meets a Finnish
fallback by surprise."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ENTRY = re.compile(
    r'^msgid (".*"(?:\n".*")*)\n(?:msgid_plural .*\n)?((?:msgstr.*\n?(?:".*"\n?)*)+)', re.M
)


def untranslated(po_text: str) -> list[str]:
    missing = []
    for match in ENTRY.finditer(po_text):
        msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
        if not msgid:
            continue
        translations = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', match.group(2))
        if any(not "".join(re.findall(r'"(.*)"', t)) for t in translations):
            missing.append(msgid)
    return missing


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_text_is_translated(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy\nmsgid" not in po
    assert untranslated(po) == []


def test_the_checker_finds_a_missing_translation():
    assert untranslated('msgid "Hei"\nmsgstr ""\n\nmsgid "Moi"\nmsgstr "Hej"\n') == ["Hei"]
