"""Celery tasks of the deadline engine: thin, idempotent, each calls one service.

Beat (DatabaseScheduler, editable in the admin) runs ``sweep_fanout`` every minute, which
queues one ``sweep_court`` per court; ``notifications_deliver_pending`` every minute picks up
anything a failed or skipped delivery left behind; the digests run weekly and monthly."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sweep_fanout(at: str | None = None) -> int:
    """Queue one sweep per active court (courts sweep in parallel on several workers)."""
    from teams.models import Court

    court_ids = list(Court.objects.filter(is_active=True).values_list("pk", flat=True))
    for court_id in court_ids:
        sweep_court.delay(court_id, at)
    return len(court_ids)


@shared_task(ignore_result=True, acks_late=True)
def sweep_court(court_id: int, at: str | None = None) -> dict:
    """Sweep one court now (or at ``at``, an ISO instant). Safe to run twice or at once."""
    from django.conf import settings

    from nodes.sweep import BATCH_SIZE, sweep_run

    when = dt.datetime.fromisoformat(at) if at else None
    size = getattr(settings, "COURTFLOW_SWEEP_BATCH_SIZE", BATCH_SIZE)
    result = sweep_run(at=when, court_ids=[court_id], batch_size=size)
    return {"court": court_id, "acted": result.acted, "locks": result.cases_locked}


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def notifications_deliver(ids: list[int]) -> tuple[int, int]:
    """Email and text the given notifications (what is already sent is skipped)."""
    from nodes.notify import notifications_deliver as deliver

    return deliver(ids=ids)


@shared_task(ignore_result=True)
def notifications_deliver_pending() -> tuple[int, int]:
    """Deliver whatever is still pending (the broker was down, a gateway failed …)."""
    from nodes.notify import notifications_deliver as deliver

    return deliver()


def notifications_deliver_soon(ids: list[int]) -> None:
    """Queue delivery right after commit; if the broker is unreachable the rows stay pending
    and the minutely ``notifications_deliver_pending`` sends them when it is back."""
    try:
        notifications_deliver.delay(ids)
    except Exception as exc:
        log.warning("could not queue notification delivery (%s); it will be retried", exc)


@shared_task(ignore_result=True)
def supervision_digest(period: str = "weekly") -> int:
    """Email every division head the division's weekly or monthly supervision digest."""
    from nodes.supervision import supervision_digest_send

    return supervision_digest_send(period=period)
