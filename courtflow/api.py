"""The API's error contract: every 4xx answers ``{"code", "message", "detail"}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def _body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail if detail is not None else {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain, validation, state and permission errors to one JSON shape."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(_body("invalid", _("The input is not valid."), detail), status=400)
    if isinstance(exc, TransitionNotAllowed):
        return Response(
            _body("wrong_state", _("This step is not possible in the case's current stage.")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ConcurrentTransition):
        return Response(
            _body(
                "concurrent_change",
                _("Someone else changed this case at the same moment; reload and try again."),
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            _body("conflict", _("The change conflicts with existing data; nothing was saved.")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _body("invalid", _("The input is not valid."), exc.detail)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = (
            str(detail) if not isinstance(detail, dict | list) else _("The request was refused.")
        )
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = _body(str(code), message)
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    code = serializers.CharField(help_text="Stable machine-readable error code.")
    message = serializers.CharField(help_text="Human message in the request's language.")
    detail = serializers.DictField(help_text="Field errors or context (the node, the deadline…).")


def error_responses(*statuses: int) -> dict[int, Any]:
    """OpenAPI responses for the given error statuses, all with the error body."""
    from drf_spectacular.utils import OpenApiResponse

    texts = {
        400: "Invalid input; detail names the field.",
        401: "Not signed in.",
        403: "Signed in but not allowed to do this.",
        404: "Not found or outside the caller's scope.",
        409: "Refused by the object's state: locked, wrong stage, already done, or a clash.",
    }
    return {
        s: OpenApiResponse(response=ErrorSerializer, description=texts.get(s, "")) for s in statuses
    }


class CourtFlowAutoSchema(AutoSchema):
    """Names nested serializers after their API (CourtListApi.InputSerializer → CourtListInput),
    so the many InputSerializer/OutputSerializer classes get distinct schema components."""

    def get_serializer_name(self, serializer: serializers.BaseSerializer, direction: str) -> str:
        name = super().get_serializer_name(serializer, direction)
        qualname = type(serializer).__qualname__
        if "." in qualname:
            outer = qualname.split(".")[0].removesuffix("Api")
            name = outer + name
        return name
