"""Schemathesis against the live schema, in-process through the WSGI application (no network),
as several roles with their API tokens: whatever the generated input, no answer is a 5xx,
every status is one the schema documents, and every body matches the schema.

Bounded and reproducible: a fixed number of examples per operation, derandomized."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from cases.tests.helpers import register, triage_and_assign
from courtflow.tokens import api_token_create
from courtflow.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}
# A team's judge, a division head and the trial manager: three different scopes and rights.
ROLES = ["judge", "divhead", "trialmgr"]


@pytest.fixture
def in_process():
    """The WSGI handler closes "old" connections at each request's start and end; in a test
    that would close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_the_api_fail_or_leave_its_schema(world, in_process, role):
    case = triage_and_assign(world, register(world, "civil_simple"), "simple")
    assert case.pk
    with transaction.atomic():
        _token, key = api_token_create(actor=None, user=world.user(role), name="fuzz")
    headers = {"Authorization": f"Token {key}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", in_process)
    checks = [
        schemathesis.checks.not_a_server_error,
        schemathesis.checks.status_code_conformance,
        schemathesis.checks.response_schema_conformance,
        schemathesis.checks.content_type_conformance,
    ]
    failures: list[str] = []
    for operation in _operations(schema):
        for mode, count in EXAMPLES.items():
            if mode is GenerationMode.NEGATIVE and not (
                operation.body or operation.query or operation.path_parameters
            ):
                continue
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(
                max_examples=count,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(generated=strategy)
            def run(generated):
                generated.call_and_validate(headers=headers, checks=checks)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis groups failures
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    assert not failures, "\n\n".join(failures)
