"""What every page needs: the signed-in person, and for trial managers the calendar gaps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def courtflow(request: HttpRequest) -> dict[str, Any]:
    from nodes.selectors import calendar_missing_years
    from teams.access import person_for_user
    from teams.roles import Role

    user = getattr(request, "user", None)
    person = person_for_user(user)
    context: dict[str, Any] = {"me": person}
    if user is not None and user.is_authenticated:
        from nodes.models import Notification

        context["unread_count"] = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    if person is not None and person.role == Role.TRIAL_MANAGER:
        # Only the people who can fix it see the banner; everyone else sees provisional dates.
        context["calendar_gaps"] = calendar_missing_years()
    return context
