"""Writing audit events. Only services call this, inside the transaction of their change."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from .context import current_source
from .models import AuditEvent

_PLAIN = (str, int, float, bool, type(None))


def _json_safe(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # the common case first: the sweep writes thousands of these
        return value
    if kind is dict:
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-safe values (foreign keys as ids)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _json_safe(getattr(obj, attname))
    return out


def actor_label(actor: Any) -> str:
    if actor is None:
        return ""
    person = getattr(actor, "person", None) if hasattr(actor, "_meta") else None
    if person is not None and getattr(person, "name", ""):
        return person.name
    return actor.get_username()


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events must be written inside the transaction of the change")


def _build(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    object_type: str | None,
    object_id: Any,
    object_repr: str | None,
    court_id: int | None,
    case_id: int | None,
    node_id: int | None,
    before: Any,
    after: Any,
    reason: str,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr if object_repr is not None else str(obj)
        if court_id is None:
            court_id = getattr(obj, "court_id", None)
        if case_id is None:
            case_id = getattr(obj, "case_id", None)
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_label(actor)[:150],
        action=action,
        source=current_source(),
        court_id=court_id,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:255],
        case_id=case_id,
        node_id=node_id,
        before=_json_safe(before),
        after=_json_safe(after),
        reason=reason or "",
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    court_id: int | None = None,
    case_id: int | None = None,
    node_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit event. Raises if called outside a transaction: the event must commit
    or roll back together with the change it records."""
    _require_transaction()
    event = _build(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        court_id=court_id,
        case_id=case_id,
        node_id=node_id,
        before=before,
        after=after,
        reason=reason,
    )
    event.save(force_insert=True)
    return event


def audit_record_bulk(events: Iterable[dict[str, Any]], *, batch_size: int = 1000) -> int:
    """Write many audit events in bulk statements (the sweep); same transaction rule."""
    _require_transaction()
    rows = [
        _build(
            actor=e.get("actor"),
            action=e["action"],
            obj=e.get("obj"),
            object_type=e.get("object_type"),
            object_id=e.get("object_id"),
            object_repr=e.get("object_repr"),
            court_id=e.get("court_id"),
            case_id=e.get("case_id"),
            node_id=e.get("node_id"),
            before=e.get("before"),
            after=e.get("after"),
            reason=e.get("reason", ""),
        )
        for e in events
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "source",
    "court_id",
    "object_type",
    "object_id",
    "object_repr",
    "case_id",
    "node_id",
    "before",
    "after",
    "reason",
)


def audit_insert_rows(events: Iterable[dict[str, Any]]) -> int:
    """Write many system audit events (no actor) as multi-row INSERTs, for the sweep's hot
    path; the same columns and the same transaction rule as ``audit_record``."""
    from django.utils import timezone

    from .bulk import insert_rows

    _require_transaction()
    source = current_source()
    now = timezone.now()
    return insert_rows(
        AuditEvent,
        AUDIT_COLUMNS,
        (
            (
                e.get("at", now),
                None,
                "",
                e["action"],
                source,
                e.get("court_id"),
                e["object_type"],
                str(e.get("object_id", "")),
                (e.get("object_repr") or "")[:255],
                e.get("case_id"),
                e.get("node_id"),
                _json_safe(e.get("before")),
                _json_safe(e.get("after")),
                e.get("reason", ""),
            )
            for e in events
        ),
    )
