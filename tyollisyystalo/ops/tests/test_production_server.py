"""The shipped production server starts as the README says and serves probes, a page and static
files, logging JSON lines without query strings.

Runs the real gunicorn (config/gunicorn.py) on a free loopback port against a temporary SQLite
database that it migrates, with production settings (DEBUG off, DEMO off, random keys).
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SECRET_WORD = "salainen-hakusana-123456"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def production_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        DEBUG="false",
        DEMO="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; the proxy terminates TLS
        GUNICORN_WORKERS="2",
        LOG_LEVEL="INFO",
    )
    # Only the project's own static files: compressing the API docs' and admin's bundles takes
    # minutes and tests nothing more.
    skip = [
        "-i",
        "drf_spectacular_sidecar",
        "-i",
        "admin",
        "-i",
        "rest_framework",
        "-i",
        "django_htmx",
    ]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0", *skip]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            timeout=300,
            capture_output=True,
        )
    return env


def test_gunicorn_serves_probes_a_page_and_static_files_with_json_logs(production_env, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**production_env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=err,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, err_path.read_text()
                try:
                    status, _, _ = fetch(f"{base}/healthz")
                    if status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)

            status, headers, body = fetch(f"{base}/healthz")
            assert (status, json.loads(body)) == (200, {"status": "ok"})

            status, headers, body = fetch(f"{base}/readyz")
            assert status == 200, body
            assert json.loads(body)["checks"] == {
                "database": True,
                "migrations": True,
                "access_log": True,
            }

            status, headers, body = fetch(f"{base}/?q={SECRET_WORD}")
            assert status == 200
            page = body.decode()
            assert "Työllisyystalo" in page
            assert "script-src 'self'" in headers["Content-Security-Policy"]
            assert headers["Cache-Control"] == "no-store"

            # whitenoise serves the hashed, compressed static files, cacheable for a year
            css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page)
            assert css, "static file names are not hashed"
            status, headers, body = fetch(base + css.group(1))
            assert status == 200
            assert b"htmx-indicator" in body
            assert "max-age=315360000" in headers["Cache-Control"]
        finally:
            server.terminate()
            try:
                server.wait(timeout=40)  # graceful: workers finish their requests
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)

    output = out_path.read_text() + err_path.read_text()
    lines = [line for line in output.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert SECRET_WORD not in output
    access = [r for r in records if r.get("logger") == "gunicorn.access"]
    assert {(r["method"], r["path"], r["status"]) for r in access} >= {
        ("GET", "/healthz", 200),
        ("GET", "/readyz", 200),
        ("GET", "/", 200),
    }
    assert all("?" not in r["path"] for r in access)
    assert all(r["request_id"] for r in access if r["path"] == "/")
    assert any(r.get("logger") == "gunicorn.error" for r in records)
