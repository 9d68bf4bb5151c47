"""Marks Finnish texts of the rules for translation without importing Django.

``makemessages`` collects every ``gettext_noop("…")`` call; the pages and the API translate the
text at display time with Django's gettext, so the rules themselves stay pure and fast.
"""


def gettext_noop(message: str) -> str:
    return message
