"""What every page needs: the signed-in person and their role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def courtflow(request: HttpRequest) -> dict[str, Any]:
    from teams.access import person_for_user

    person = person_for_user(getattr(request, "user", None))
    return {"me": person}
