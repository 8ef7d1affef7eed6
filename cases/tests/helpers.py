"""Steps tests use to walk cases: register, triage and assign, serve documents through the
service centre, schedule and hold hearings. Each calls the real services."""

from __future__ import annotations

import datetime as dt

from cases import services
from cases.models import Case, ServiceRequest
from cases.services.service_of_process import service_attempt_record, service_request_create
from nodes.models import NodeInstance
from teams.models import Courtroom
from teams.selectors import pool_clerks_free

PARTIES = {
    "first_instance": [
        {"name": "张三", "role": "plaintiff", "kind": "person"},
        {"name": "北京某某科技有限公司", "role": "defendant", "kind": "organisation"},
    ],
    "criminal": [
        {"name": "北京市西城区人民检察院", "role": "prosecutor", "kind": "organisation"},
        {"name": "王五", "role": "accused", "kind": "person"},
    ],
    "second_instance": [
        {"name": "张三", "role": "appellant", "kind": "person"},
        {"name": "李四", "role": "appellee", "kind": "person"},
    ],
    "review": [
        {"name": "张三", "role": "applicant", "kind": "person"},
        {"name": "李四", "role": "respondent", "kind": "person"},
    ],
    "enforcement": [
        {"name": "张三", "role": "creditor", "kind": "person"},
        {"name": "李四", "role": "debtor", "kind": "person"},
    ],
    "mediation": [
        {"name": "张三", "role": "applicant", "kind": "person"},
        {"name": "李四", "role": "respondent", "kind": "person"},
    ],
    "preservation": [
        {"name": "张三", "role": "applicant", "kind": "person"},
        {"name": "李四", "role": "respondent", "kind": "person"},
    ],
}


def register(
    world, procedure: str, *, cause: str = "民间借贷纠纷", family: str = "first_instance", **kw
) -> Case:
    return services.case_register(
        actor=world.user("registrar"),
        court=world.court,
        procedure=procedure,
        cause=cause,
        parties=kw.pop("parties", PARTIES[family]),
        **kw,
    )


def register_in_parallel(world, *, workers: int = 8, per_worker: int = 5) -> None:
    """``workers`` threads, each with its own database connection, released together by a
    barrier, each registering ``per_worker`` simple civil cases; fails on any error."""
    import threading

    from django.db import connection

    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def file_cases() -> None:
        try:
            barrier.wait()
            for _ in range(per_worker):
                register(world, "civil_simple")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_cases) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def head_of(case: Case):
    return case.division.head.user


def triage_and_assign(world, case: Case, complexity: str = "simple") -> Case:
    services.triage_decide(actor=head_of(case), case=case, complexity=complexity)
    case.refresh_from_db()
    return case


def judge_of(case: Case):
    return case.judge.user


def serve(
    world,
    case: Case,
    document: str,
    *,
    at: dt.datetime | None = None,
    method: str = "in_person",
    result: str = "served",
):
    party = case.parties.order_by("-id").first()
    request = service_request_create(
        actor=judge_of(case), case=case, document=document, party=party
    )
    return service_attempt_record(
        actor=world.user("service"), request=request, method=method, result=result, at=at
    )


def schedule_hearing(world, case: Case, starts_at: dt.datetime, *, stream: bool = False):
    room = Courtroom.objects.filter(court=world.court, supports_streaming=True).first()
    clerk = pool_clerks_free(
        world.court, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2)
    ).first()
    return services.hearing_schedule(
        actor=judge_of(case),
        case=case,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        courtroom=room,
        clerk=clerk,
        stream=stream,
    )


def live_codes(case: Case) -> set[str]:
    return set(
        NodeInstance.objects.filter(
            case=case, status__in=["open", "overdue", "locked"]
        ).values_list("code", flat=True)
    )


def status_of(case: Case, code: str) -> str:
    return (
        NodeInstance.objects.filter(case=case, code=code)
        .order_by("-id")
        .values_list("status", flat=True)
        .first()
    )


def pending_service(case: Case):
    return ServiceRequest.objects.filter(case=case, status="pending")
