"""Multi-row INSERTs without building model instances, for the hot paths that write thousands
of rows in one transaction (the sweep). Date-times and JSON go through the database's own
adaptation, so the rows are exactly what the ORM would have written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

# SQLite allows 32,766 variables per statement (since 3.32); PostgreSQL 65,535.
MAX_PARAMS = 30_000


def _field(meta, column: str) -> models.Field:
    for field in meta.concrete_fields:
        if column in (field.name, field.attname):
            return field
    raise LookupError(f"{meta.label} has no column {column}")


def _preparer(field: models.Field, conn) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return conn.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField):
        # Serialised here once; both databases cast the text to their JSON type.
        return lambda value: json.dumps(value, ensure_ascii=False, cls=field.encoder)
    return None  # integers, strings and booleans go to the driver as they are


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """INSERT the rows (tuples in ``columns`` order; foreign keys by their attname)."""
    conn = connections[using]
    meta = model._meta
    fields = [_field(meta, c) for c in columns]
    preps = [_preparer(f, conn) for f in fields]
    quote = conn.ops.quote_name
    head = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    chunk = max(1, MAX_PARAMS // len(columns))
    total, count, batch = 0, 0, []
    with conn.cursor() as cursor:
        for row in rows:
            batch.extend(
                v if p is None or v is None else p(v) for p, v in zip(preps, row, strict=True)
            )
            count += 1
            if count == chunk:
                cursor.execute(head + ", ".join([placeholder] * count), batch)
                total, count, batch = total + count, 0, []
        if count:
            cursor.execute(head + ", ".join([placeholder] * count), batch)
            total += count
    return total
