"""Which door a change came through (web, api, admin, task, command), for the audit trail."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_source: contextvars.ContextVar[str] = contextvars.ContextVar("courtflow_source", default="system")


def current_source() -> str:
    """The door of the change being made now; 'system' when nothing set it."""
    return _source.get()


@contextlib.contextmanager
def source_scope(source: str) -> Iterator[None]:
    """Mark everything inside as coming through ``source``."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)
