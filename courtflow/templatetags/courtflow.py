"""Template helpers: the user's language for bilingual catalog text, deadlines as people say
them, time left before a deadline, and readable names for recorded actions."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courtflow.labels import action_label, event_label
from nodes.periods import deadline_text

register = template.Library()


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


@register.filter
def bi(obj, prefix: str = "name") -> str:
    """``{{ definition|bi:"basis" }}``: ``basis_en`` in English, ``basis_zh`` otherwise."""
    if obj is None:
        return ""
    if isinstance(obj, tuple | list):
        return obj[1] if english() else obj[0]
    return getattr(obj, f"{prefix}_en" if english() else f"{prefix}_zh", "") or getattr(
        obj, f"{prefix}_zh", ""
    )


@register.filter
def deadline(value) -> str:
    """A deadline as people say it (24:00 of the last day)."""
    return deadline_text(value)


@register.filter
def event(code: str) -> str:
    return event_label(code)


@register.filter
def audit_action(code: str) -> str:
    return action_label(code)


@register.simple_tag
def time_left(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "3 days left", "5 hours left", "overdue by 2 days"."""
    if due is None:
        return ""
    now = now or timezone.now()
    delta = due - now
    seconds = abs(delta.total_seconds())
    days, hours = int(seconds // 86400), int(seconds % 86400 // 3600)
    if delta.total_seconds() >= 0:
        if days:
            return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
        if hours:
            return ngettext("%(n)d hour left", "%(n)d hours left", hours) % {"n": hours}
        return _("less than an hour left")
    if days:
        return ngettext("overdue by %(n)d day", "overdue by %(n)d days", days) % {"n": days}
    if hours:
        return ngettext("overdue by %(n)d hour", "overdue by %(n)d hours", hours) % {"n": hours}
    return _("just overdue")


@register.filter
def get(mapping, key):
    """``{{ forms|get:action.code }}``"""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def local(mapping, key: str):
    """``{{ row|local:"name" }}``: ``row["name_en"]`` in English when there is one."""
    if english() and mapping.get(f"{key}_en"):
        return mapping[f"{key}_en"]
    return mapping.get(key, "")
