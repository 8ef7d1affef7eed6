"""Request middleware: the audit source of each request, domain errors as pages, and a clean
503 when the database cannot be reached."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .context import source_scope
from .errors import DomainError

log = logging.getLogger("courtflow.unavailable")

# What a lost, refused or broken database connection raises (psycopg2 and sqlite3 alike).
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _source_for(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


class RequestSourceMiddleware:
    """Tag every change made during a request with the door it came through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with source_scope(_source_for(request.path)):
            return self.get_response(request)


class DomainErrorMiddleware:
    """A refusal that reaches an HTML view uncaught becomes a page with the right status
    and the message in the user's language, never a 500. (The API has its own handler.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        template = (
            "errors/partial.html" if getattr(request, "htmx", False) else "errors/refused.html"
        )
        return render(request, template, {"error": exception}, status=exception.status)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy (settings.COURTFLOW_CSP) on every response: pages,
    admin, API and static files. A response that sets its own policy keeps it (the monthly
    report, a stand-alone document, allows its inline stylesheet and nothing else)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.COURTFLOW_CSP

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """The answer while the database is unreachable: 503 with Retry-After, a plain page in the
    user's language (rendered without the database: no user menu, no context processors) or
    the API's error body. The error itself goes to the log, never to the user."""
    log.error(
        "database unavailable: %s %s: %s",
        request.method,
        request.path,
        exception,
        exc_info=(type(exception), exception, exception.__traceback__),
    )
    message = _(
        "The service is temporarily unavailable (the database cannot be reached). "
        "Try again in a few minutes."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "unavailable", "message": message, "detail": {}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(render_to_string("errors/unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (page or API) that fails because the database cannot be reached answers 503,
    not a 500 with a stack trace. Errors raised outside views reach ``views.server_error``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None
