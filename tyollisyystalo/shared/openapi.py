"""The error answers every API operation can give, written into the OpenAPI schema once.

drf-spectacular documents the success answer of each view; the errors come from conventions
shared by every view (``shared.api.exception_handler``, authentication, the body size limit), so
they are added here by what the operation takes: a client of the API must be able to rely on the
schema for every status code it can get.
"""

from __future__ import annotations

from typing import Any

from tyollisyystalo.shared.text import NO_NUL_PATTERN

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "What was wrong: `detail`, or each invalid field with its messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object"},
        ]
    },
}

_DESCRIPTIONS = {
    "400": "The request was not valid; the body names every problem.",
    "401": "No valid credentials (token or verified session).",
    "403": "The role may not do this.",
    "404": "Not found, or not visible to the caller: the two look alike.",
    "413": "The body is larger than the limit.",
    "415": "The body is not JSON.",
    "429": "Too many requests; try again later.",
}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the errors each operation can answer."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            parameters = operation.get("parameters", [])
            has_body = "requestBody" in operation
            codes = []
            if parameters or has_body:
                codes.append("400")
            # [{}] (or no entry) means the operation is open to everyone.
            if any(requirement for requirement in operation.get("security", [{}])):
                codes += ["401", "403"]
            if any(parameter["in"] == "path" for parameter in parameters):
                codes.append("404")
            if has_body:
                codes += ["413", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _error(code))
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:
                    response["content"] = _error(code if code in _DESCRIPTIONS else "400")[
                        "content"
                    ]
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request"):
            _refuse_nul(schema)
    schemas["Error"] = ERROR_SCHEMA
    return result


def _refuse_nul(schema: dict[str, Any]) -> None:
    """Every text field of a request refuses NUL (DRF's CharField does): say so in the schema."""
    for field in schema.get("properties", {}).values():
        plain = not {"format", "enum", "pattern", "$ref", "oneOf", "allOf"} & field.keys()
        if field.get("type") == "string" and plain:
            field["pattern"] = NO_NUL_PATTERN
        elif field.get("type") == "array" and isinstance(field.get("items"), dict):
            items = field["items"]
            if items.get("type") == "string" and "pattern" not in items and "enum" not in items:
                items["pattern"] = NO_NUL_PATTERN
