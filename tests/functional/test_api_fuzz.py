"""schemathesis against the WSGI app from /api/v1/openapi.json, as every role."""

from __future__ import annotations

import contextvars
import itertools
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests.factories import PASSWORD, CompanyFactory, JobseekerFactory, UserFactory

# Schema-valid data may still break a rule JSON Schema cannot express (a CVR check digit, a
# deadline in the past, an email already taken): those answer 422 or 409, as documented.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


@pytest.fixture
def role_headers(app) -> dict[str, dict]:
    """A bearer token for each role, and no token at all."""
    client = app.test_client()
    users = {
        "jobseeker": JobseekerFactory(),
        "entrepreneur": CompanyFactory().owner,
        "caseworker": UserFactory(role="caseworker"),
        "admin": UserFactory(role="admin"),
    }
    headers = {"anonymous": {}}
    for role, user in users.items():
        r = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        headers[role] = {"Authorization": f"Bearer {r.get_json()['token']}"}
    return headers


# Deterministic by default so CI is repeatable; TASKBOERSE_FUZZ_RANDOM=1 explores new cases.
DERANDOMIZE = os.environ.get("TASKBOERSE_FUZZ_RANDOM") != "1"


@pytest.mark.slow
def test_api_conforms_for_every_role(api_schema, role_headers) -> None:
    """Every operation, every role, valid and invalid data: no 5xx, responses match the
    schema, invalid data refused, valid data accepted."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation, mode in itertools.product(operations, GenerationMode):

        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=DERANDOMIZE,
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case) -> None:
            for headers in role_headers.values():
                # A fresh context per request, as in production (no shared g or session).
                contextvars.Context().run(case.call_and_validate, headers=headers)

        check()
