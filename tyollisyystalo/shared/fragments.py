"""A page part rendered once for the same inputs (ADR 0026).

The management pages draw a dozen tables and charts from figures that change only when they
are counted again; rendering them with Django's templates costs more than the rest of the page.
``fragment_rendered`` keeps the HTML of a template in the cache under the SHA-256 of the
templates' release, the template's name, the language and the pickled context, so equal inputs
give the kept HTML and any change in them (a figure, a goal, a label) renders afresh: nothing
needs invalidating. The context must be plain data (no request: the fragment has no CSRF token
or nonce of its own).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TIMEOUT = 15 * 60  # seconds a fragment is kept after it was rendered


@functools.cache
def templates_version() -> str:
    """A digest of the project's templates, once per process: a shared cache never serves a
    fragment rendered by another release's templates."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR) / "tyollisyystalo"
    for path in sorted(root.glob("**/templates/**/*.html")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fragment_rendered(template_name: str, context: Mapping[str, Any]) -> SafeString:
    state = pickle.dumps(
        (templates_version(), template_name, get_language(), dict(context)), protocol=5
    )
    key = "fragment:" + hashlib.sha256(state).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, dict(context))
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - the template's own output, escaped as it rendered
