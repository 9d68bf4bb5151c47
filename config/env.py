"""Typed reading of settings from the environment.

Every secret may also come from a file named by ``<NAME>_FILE`` (Docker/Kubernetes secrets).
A git-ignored ``.env`` file at the project root, written by ``config.devsecrets`` on first run,
supplies development defaults; real environment variables always win.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_dotenv(path: Path) -> dict[str, str]:
    """Parse a minimal KEY=VALUE file (no interpolation, # comments)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


class Env:
    def __init__(self, defaults: dict[str, str] | None = None) -> None:
        self._defaults = defaults or {}

    def _raw(self, name: str) -> str | None:
        file_name = os.environ.get(f"{name}_FILE")
        if file_name:
            try:
                return Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ImproperlyConfigured(
                    f"{name}_FILE={file_name} cannot be read: {exc}"
                ) from exc
        if name in os.environ:
            return os.environ[name]
        return self._defaults.get(name)

    def get_str(self, name: str, default: str | None = None) -> str:
        value = self._raw(name)
        if value is None or value == "":
            if default is None:
                raise ImproperlyConfigured(f"Set the environment variable {name}.")
            return default
        return value

    def get_bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")

    def get_int(self, name: str, default: int) -> int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc

    def get_list(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]
