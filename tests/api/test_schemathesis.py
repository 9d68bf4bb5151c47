"""Schemathesis over the whole API, in-process through WSGI, with a staff member's token.

The schema is the one drf-spectacular serves at /api/schema/ (generated here in-process); it
covers the staff API and the public HSDS and catalogue-search API. Every operation gets up to 25
schema-valid and 25 schema-violating cases (derandomized, so a run is repeatable), and every
check schemathesis has runs on each answer: no server error, status code, content type, headers
and body as documented, invalid input refused, valid input accepted (see BUSINESS_RULES).
"""

import contextlib
import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conftest import PASSWORD, current_code, make_consent, totp_device

# positive_data_acceptance expects every schema-valid request to succeed. These operations have
# rules that a JSON Schema cannot state, so a schema-valid request may rightly get 400 or 428:
# cross-field rules (a name or a henkilötunnus; a search word or a filter; an oral consent's
# dates), lookups (a municipality or organisation code must exist), check characters (the
# henkilötunnus), dates relative to today (no entry in the future), and the version a change is
# based on, given as the If-Match header or as a body field (one of the two); the indicator
# values answer only readers of management figures (this run's coordinator gets 403) and only for
# a key of the indicator table (404 otherwise). Every other check
# still runs on them, and the check runs on every other operation.
BUSINESS_RULES = {
    "GET /api/v1/catalogue/search",
    "POST /api/v1/clients/",
    "POST /api/v1/clients/search/",
    "POST /api/v1/clients/relationships/",
    "POST /api/v1/clients/{client_id}/entries/",
    "POST /api/v1/clients/{client_id}/consents/",
    "PUT /api/v1/consents/{consent_id}/",
    "POST /api/v1/consents/{consent_id}/withdraw/",
    "GET /api/v1/indicators/{key}/values",
}


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    schema.app = get_wsgi_application()
    return schema


def _describe(label, failure, case, response) -> str:
    sent = {"path": case.path_parameters, "query": case.query, "body": case.body}
    return (
        f"{label} {failure.title}: {failure.message[:700]}\n"
        f"SENT {sent!r:.400}\nGOT {response.status_code} {response.text[:300]}"
    )


@contextlib.contextmanager
def _connection_kept():
    """The WSGI handler closes the database connection around each request; the test's
    transaction lives on that connection (on PostgreSQL), so keep it open, as Django's test
    client does (which connects the handlers again after each of its own requests)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_within_its_schema(settings, sari, aino, employment, county):
    settings.ALLOWED_HOSTS = ["*"]
    make_consent(
        sari, disclosing=[county], receiving=[employment], categories=["health"], recorder=aino
    )
    device = totp_device(aino.user)
    response = APIClient().post(
        reverse("v1:token"),
        {"username": "aino", "password": PASSWORD, "otp_token": current_code(device)},
        format="json",
    )
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    schema = _schema()
    failures: list[str] = []
    cases: dict[str, int] = {}
    with _connection_kept():
        _run_all(schema, headers, cases, failures)
    cache.clear()  # the token endpoint's throttle counts in the cache
    operations = {label.rsplit(" [", 1)[0] for label in cases}
    print(
        f"schemathesis: {len(operations)} operations, {len(cases)} operation × mode runs, "
        f"{sum(cases.values())} cases, {len(failures)} failures"
    )
    assert not failures, "\n\n".join(failures)


def _run_all(schema, headers, cases, failures):
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            label = f"{operation.label} [{mode}]"

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=25,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                cases[label] = cases.get(label, 0) + 1  # noqa: B023 (run() is called at once)
                response = case.call(headers=headers)
                excluded = (
                    [positive_data_acceptance] if operation.label in BUSINESS_RULES else []  # noqa: B023
                )
                try:
                    case.validate_response(
                        response,
                        headers=headers,
                        excluded_checks=excluded,
                        transport_kwargs={"headers": dict(headers)},
                    )
                except FailureGroup as group:
                    failures.extend(
                        _describe(label, f, case, response)  # noqa: B023
                        for f in group.exceptions
                    )
                except Failure as failure:
                    failures.append(_describe(label, failure, case, response))  # noqa: B023

            try:
                run()
            except Unsatisfiable:
                # Nothing to make invalid: an operation without parameters or body.
                assert mode == GenerationMode.NEGATIVE, operation.label
