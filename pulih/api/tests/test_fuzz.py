"""Schemathesis against ``/api/v1/openapi.json``, as every role.

Every operation of the published schema gets a bounded number of generated
requests (valid ones and, for operations with inputs, deliberately invalid
ones); each request is sent once per persona with that persona's personal
bearer token, in process through the Django WSGI application. A response
fails the run when it is a server error (5xx) or when its body does not match
the schema declared for its status code.

The examples are bounded (``PULIH_FUZZ_EXAMPLES``, default below) so that the
whole run stays around a minute per database; shrinking is off, so a failure
is reported as the first request that broke, with its curl command.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pulih.accounts.services import token_create
from pulih.testing.world import World

EXAMPLES = int(os.environ.get("PULIH_FUZZ_EXAMPLES", "4"))
# One persona per role (alice: agent, carol: coordinator, sam: supervisor,
# olga: national office staff, nina: province office staff, mira: partner,
# dina: data-protection officer, adam: administrator) and nobody at all.
PERSONAS = ["alice", "carol", "sam", "olga", "nina", "mira", "dina", "adam"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _routed(response: Any) -> bool:
    """Whether the request reached the API at all.

    A path parameter the URL pattern cannot match (a negative or fractional
    id for an ``int`` segment) never reaches django-ninja: Django's resolver
    answers its HTML 404 page. Such answers are only checked for server
    errors (see the report: a JSON 404 for unmatched ``/api/`` paths belongs
    in ``config/urls.py``).
    """
    if response.status_code != 404:
        return True
    try:
        resolve(urlsplit(response.request.url).path)
    except Resolver404:
        return False
    return True


def _load_schema() -> Any:
    from config.wsgi import application

    return from_wsgi("/api/v1/openapi.json", application)


def _fuzz_operation(operation: Any, headers_by_persona: dict[str, dict[str, str]]) -> list[str]:
    """Run one operation's examples for every persona; return the failures."""
    failures: list[str] = []
    modes = [GenerationMode.POSITIVE]
    if operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody"):
        modes.append(GenerationMode.NEGATIVE)
    for mode in modes:
        label = f"{operation.label} [{mode.value}]"

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            for persona, headers in headers_by_persona.items():
                # Each request runs in a savepoint that is rolled back: the
                # personas see the same data, and a failing request cannot
                # poison the test transaction for the next one.
                sid = transaction.savepoint()
                try:
                    response = case.call(headers=headers)
                    checks = CHECKS if _routed(response) else [not_a_server_error]
                    case.validate_response(response, checks=checks, headers=headers)
                except (Exception, BaseExceptionGroup) as exc:  # collected, reported below
                    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    # run() is called in this same iteration, so label is current.
                    failures.append(f"{label} as {persona}: {first_line}\n{exc}")  # noqa: B023
                    raise
                finally:
                    transaction.savepoint_rollback(sid)

        try:
            run()
        except (Exception, BaseExceptionGroup):  # noqa: S112 - the failure is already recorded
            continue
    return failures


@pytest.mark.django_db
def test_no_operation_answers_a_server_error_or_breaks_its_schema_for_any_role(world: World) -> None:
    headers_by_persona: dict[str, dict[str, str]] = {"anonymous": {}}
    for name in PERSONAS:
        user = getattr(world, name)
        _token, raw = token_create(user=user, name=f"fuzz {name}")
        headers_by_persona[name] = {"Authorization": f"Bearer {raw}"}
    schema = _load_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50, "the schema lost its operations"
    started = time.monotonic()
    failures: list[str] = []
    # Expected 4xx answers would each log a line; server errors are reported below.
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security.csrf")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        for operation in operations:
            failures.extend(_fuzz_operation(operation, headers_by_persona))
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    elapsed = time.monotonic() - started
    print(f"fuzzed {len(operations)} operations × {len(headers_by_persona)} personas in {elapsed:.0f} s")
    assert not failures, f"{len(failures)} failing operation(s):\n\n" + "\n\n".join(failures)


@pytest.mark.django_db
def test_nul_characters_are_refused_as_invalid_input_never_a_server_error(world: World, client: Any) -> None:
    # PostgreSQL cannot store NUL in text; found by fuzzing on PostgreSQL (500s before the fix).
    _token, raw = token_create(user=world.alice, name="nul")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {"channel": "home_visit", "contacted_on": "2024-01-01", "outcome": "informed", "notes": "a\u0000b"}
    response = client.post("/api/v1/clients/outreach", data=body, content_type="application/json", **auth)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "invalid"
    response = client.get("/api/v1/clients/?q=a%00b", **auth)
    assert response.status_code == 422, response.content[:300]
    push = {"key": "nul-batch-01", "records": [{"model": "clients.outreachcontact", "data": {"notes": "\u0000"}}]}
    response = client.post("/api/v1/sync/push", data=push, content_type="application/json", **auth)
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "invalid_batch"
