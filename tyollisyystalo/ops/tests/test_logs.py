"""JSON log lines carry allowlisted fields only: no query strings, tokens or request objects."""

import json
import logging

from django.test import RequestFactory

from tyollisyystalo.audit.context import reset_request_id, set_request_id
from tyollisyystalo.ops.logs import SafeJsonFormatter, loggable_path


def format_record(msg, *args, **extra):
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return json.loads(SafeJsonFormatter().format(record))


def test_a_line_is_json_with_the_allowlisted_fields_only():
    request = RequestFactory().get("/asiakkaat/?q=Virtanen+Matti&hetu=010190-900A")
    token = set_request_id("req-12345678")
    try:
        line = format_record(
            "Not Found: %s", request.path, request=request, status_code=404, username="aino"
        )
    finally:
        reset_request_id(token)
    assert line["message"] == "Not Found: /asiakkaat/"
    assert line["level"] == "ERROR"
    assert line["logger"] == "django.request"
    assert line["request_id"] == "req-12345678"
    assert set(line) == {"time", "level", "logger", "message", "request_id"}
    assert "Virtanen" not in json.dumps(line)
    assert "aino" not in json.dumps(line)


def test_paths_lose_query_strings_and_tokens_but_keep_uuids():
    assert loggable_path("/portal/?q=velat") == "/portal/"
    assert (
        loggable_path("/tyokokeilu/palaute/Zk3mQ9x_2bYtR8pLw4vN7c-1/")
        == "/tyokokeilu/palaute/[redacted]/"
    )
    uuid = "0b8e3f1c-6a2d-4c1e-9f3a-2d4b6c8e0a1f"
    assert loggable_path(f"/asiakkaat/{uuid}/") == f"/asiakkaat/{uuid}/"
    line = format_record("request", path="/tyokokeilu/palaute/Zk3mQ9x_2bYtR8pLw4vN7c-1/?a=b")
    assert line["path"] == "/tyokokeilu/palaute/[redacted]/"
