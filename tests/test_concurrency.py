"""Races on PostgreSQL with real parallel connections: each contender is a thread with its own
database connection, and a barrier releases them together. Every race runs several rounds so
that a lucky interleaving cannot pass for a correct one.

Covered elsewhere and not repeated here (nodes/tests/test_sweep_processes.py): two sweeps at
once, a sweep killed mid-run, a sweep racing an unlock, two approvers unlocking at once; and
(cases/tests/test_concurrency.py) eight registrants numbering cases through the service.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from cases import services
from cases.models import Case, CaseEvent
from cases.tests.helpers import PARTIES, judge_of, register, triage_and_assign
from courtflow.errors import Conflict
from courtflow.models import AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def race(*contenders: Callable[[], Any]) -> list[Any]:
    """Run the callables at the same moment, each on its own connection; return what each
    returned or raised, in the order given."""
    barrier = threading.Barrier(len(contenders))
    results: list[Any] = [None] * len(contenders)

    def run(i: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn()
        except BaseException as exc:  # returned to the test, which says what it expected
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(contenders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a contender hung (deadlock?)"
    return results


def _assigned_cases(world, n: int) -> list[Case]:
    return [
        triage_and_assign(world, register(world, "civil_simple", claim_amount="8000"), "simple")
        for _ in range(n)
    ]


def _close(case: Case, closure: str) -> Callable[[], Any]:
    def close() -> str:
        services.case_event_record(
            actor=judge_of(case),
            case=case,
            code="case_closed",
            payload={"closure_type": closure},
        )
        return closure

    return close


def test_two_closings_of_one_case_at_once_one_wins_the_other_is_refused(committed_world):
    """The judge closes a case as withdrawn while, in another tab, closing it as mediated:
    one closing is recorded, the other is refused as a wrong-stage conflict (409 on the API),
    and the case, its events and its audit trail show the winner only."""
    for case in _assigned_cases(committed_world, ROUNDS):
        results = race(_close(case, "withdrawal"), _close(case, "mediation"))
        wins = [r for r in results if isinstance(r, str)]
        refusals = [r for r in results if isinstance(r, Conflict)]
        assert len(wins) == 1 and len(refusals) == 1, results
        assert refusals[0].code == "wrong_stage" and refusals[0].status == 409
        case.refresh_from_db()
        assert case.stage == "closed" and case.closure_type == wins[0]
        assert CaseEvent.objects.filter(case=case, code="case_closed").count() == 1
        assert (
            AuditEvent.objects.filter(case_id=case.pk, action="case.event.case_closed").count() == 1
        )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_two_clients_closing_one_case_through_the_api_get_200_and_409(committed_world):
    """Two API clients post conflicting closings at the same moment: one 200, one 409 with
    the house error body in the user's language; nothing is half-written."""
    for case in _assigned_cases(committed_world, ROUNDS):
        judge = judge_of(case)

        def post(closure: str, judge=judge, case=case) -> Any:
            return _api(judge).post(
                f"/api/cases/{case.pk}/actions/",
                {"action": "event:case_closed", "closure_type": closure},
                format="json",
            )

        responses = race(lambda: post("withdrawal"), lambda: post("mediation"))
        assert sorted(r.status_code for r in responses) == [200, 409], [
            getattr(r, "content", r) for r in responses
        ]
        winner = next(r for r in responses if r.status_code == 200).json()
        refused = next(r for r in responses if r.status_code == 409).json()
        assert refused["code"] == "wrong_stage"
        assert set(refused) >= {"code", "message", "detail"}
        case.refresh_from_db()
        with translation.override("zh-hans"):  # the message names the stage, in Chinese
            assert str(case.get_stage_display()) in refused["message"]
        assert winner["stage"] == case.stage == "closed"
        assert CaseEvent.objects.filter(case=case, code="case_closed").count() == 1
        assert (
            AuditEvent.objects.filter(case_id=case.pk, action="case.event.case_closed").count() == 1
        )


def test_parallel_registrations_through_the_api_number_without_gap_or_duplicate(
    committed_world,
):
    """Registrars submit at the same moment, and one of them double-submits the same form
    (same Idempotency-Key): every distinct form gets a case, the repeat gets 409, and the
    案号 of the court, year and type run 1, 2, 3 … with no duplicate and no gap."""
    registrar = committed_world.user("registrar")
    body = {
        "procedure": "civil_small_claims",
        "cause": "买卖合同纠纷",
        "claim_amount": "5000",
        "parties": PARTIES["first_instance"],
    }

    def submit(key: str) -> Callable[[], Any]:
        return lambda: _api(registrar).post(
            "/api/cases/", body, format="json", headers={"Idempotency-Key": key}
        )

    forms = 0
    for _round in range(ROUNDS):
        keys = [str(uuid.uuid4()) for _ in range(3)]
        responses = race(*(submit(k) for k in [*keys, keys[0]]))
        forms += len(keys)
        codes = sorted(r.status_code for r in responses)
        assert codes == [201, 201, 201, 409], [r.content for r in responses]
        repeat = next(r for r in responses if r.status_code == 409).json()
        assert repeat["code"] == "duplicate_submission"
    cases = Case.objects.filter(court=committed_world.court, procedure="civil_small_claims")
    numbers = list(cases.values_list("number", flat=True))
    assert len(numbers) == forms == len(set(numbers))
    assert sorted(cases.values_list("sequence", flat=True)) == list(range(1, forms + 1))
    assert all(n.endswith("号") and not n.startswith("pending") for n in numbers)
    assert AuditEvent.objects.filter(action="case.registered").count() == forms
