"""Celery tasks for integrations: other court systems (e-service platform, the 执行 money
system …) report what happened on a case. Thin: ids in, one service, safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(ignore_result=True, acks_late=True)
def case_event_record_external(
    case_id: int, code: str, at: str, payload: dict | None = None, key: str | None = None
) -> str:
    """Record an event reported by another system. The key makes a redelivery harmless; a
    refusal (a locked case, a wrong stage) is logged and returned, never retried blindly."""
    from cases.models import Case
    from cases.services import case_event_record
    from courtflow.context import source_scope
    from courtflow.errors import DomainError

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return "unknown case"
    try:
        with source_scope("task"):
            case_event_record(
                actor=None,
                case=case,
                code=code,
                at=dt.datetime.fromisoformat(at),
                payload=payload or {},
                idempotency_key=uuid.UUID(key) if key else None,
            )
    except DomainError as exc:
        log.warning("event %s on case %s refused: %s (%s)", code, case_id, exc.code, exc.message)
        return exc.code
    return "recorded"
