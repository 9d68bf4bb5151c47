"""The current request's id, for log entries written anywhere below the view."""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get() or f"job-{uuid.uuid4()}"


def request_id_if_any() -> str:
    """The current request's id, or "" outside a request (for log lines)."""
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
