"""/healthz says the process serves; /readyz says it can serve client data and write the log."""

import pytest
from django.db import DatabaseError
from django.test import Client as HttpClient

from tyollisyystalo.ops import health


def test_healthz_answers_without_the_database(client, settings):
    """No django_db mark: pytest-django fails the test on any database access."""
    settings.ALLOWED_HOSTS = ["tyollisyystalo.example.fi"]
    settings.SECURE_SSL_REDIRECT = True
    probe = HttpClient(HTTP_HOST="10.0.0.7:8000")  # a probe on an internal address, plain HTTP
    response = probe.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_is_ready_when_database_migrations_and_log_head_are_fine(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": True, "migrations": True, "access_log": True},
    }


@pytest.mark.django_db
def test_readyz_is_not_ready_with_an_unapplied_migration(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan

    def one_left(self, targets, clean_start=False):
        graph = self.loader.graph
        node = graph.leaf_nodes()[0]
        return [(graph.nodes[node], False), *real_plan(self, targets, clean_start)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", one_left)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] is False


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_log_heads_cannot_be_read(client, monkeypatch):
    def unreadable():
        raise DatabaseError("relation audit_chainhead does not exist")

    monkeypatch.setattr(health, "log_heads_readable", unreadable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": True, "migrations": True, "access_log": False},
    }


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_database_as_503_not_500(client, monkeypatch):
    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setitem(health.READINESS_CHECKS, "database", unreachable)
    monkeypatch.setitem(health.READINESS_CHECKS, "access_log", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "migrations": True, "access_log": False}


def test_probes_take_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
