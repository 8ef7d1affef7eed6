"""Request middleware: the audit source of each request, and domain errors as pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .context import source_scope
from .errors import DomainError


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
