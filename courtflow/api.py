"""The API's error contract: every 4xx answers ``{"code", "message", "detail"}``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.utils.formatting import lazy_format
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
    if isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1
        return Response(
            _body("too_large", _("The request is too large: at most %(mb)s MB.") % {"mb": limit}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.ParseError):
        # DRF's text ("JSON parse error - …") is English only; the parser's words stay in detail.
        return Response(
            _body("parse_error", _("The body is not valid JSON."), {"parser": str(exc.detail)}),
            status=status.HTTP_400_BAD_REQUEST,
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


ERROR_TEXTS = {
    400: "Invalid input (malformed JSON, a wrong type, an unknown field…); detail names the field.",
    401: "No valid credentials: sign in, or send `Authorization: Token <key>`.",
    403: "Signed in but not allowed to do this.",
    404: "Not found or outside the caller's scope.",
    409: "Refused by the object's state: locked, wrong stage, already done, or a clash.",
    415: "The body is not JSON (send Content-Type: application/json).",
}


def error_responses(*statuses: int) -> dict[int, Any]:
    """OpenAPI responses for the given error statuses, all with the error body."""
    from drf_spectacular.utils import OpenApiResponse

    return {
        s: OpenApiResponse(response=ErrorSerializer, description=ERROR_TEXTS.get(s, ""))
        for s in statuses
    }


# Ids are 64-bit (BigAutoField); a larger number can name nothing and is refused as input.
ID_MAX = 2**63 - 1
# Free-form JSON inputs (an approval's payload, an event's payload) are small records.
MAX_FREE_JSON_CHARS = 16_000


# Dates outside the court calendar's years cannot be counted on; they are typing mistakes.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _holds(value: Any, test: Any) -> bool:
    """Whether ``test`` is true of ``value`` or of anything inside it (keys included)."""
    if test(value):
        return True
    if isinstance(value, Mapping):
        return any(_holds(k, test) or _holds(v, test) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds(v, test) for v in value)
    return False


def _has_nul(value: Any) -> bool:
    # PostgreSQL text and jsonb cannot store NUL: refused on every database alike.
    return isinstance(value, str) and "\x00" in value


def _not_finite(value: Any) -> bool:
    # JSON such as 1e400 parses to infinity, which no quantity or id can be.
    return isinstance(value, float) and not math.isfinite(value)


class StrictSerializer(serializers.Serializer):
    """The base of every API input. Before any field is read it refuses, with 400 naming the
    field: a field the endpoint does not know (a typo must not be silently ignored in a court
    record), a NUL character anywhere, free-form JSON over 16,000 characters, and integers
    outside 64 bits (ids)."""

    reject_unknown = True

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.IntegerField):
                if field.max_value is None:
                    field.max_value = ID_MAX
                    message = lazy_format(field.error_messages["max_value"], max_value=ID_MAX)
                    field.validators.append(MaxValueValidator(ID_MAX, message=message))
                if field.min_value is None:
                    field.min_value = -ID_MAX
                    message = lazy_format(field.error_messages["min_value"], min_value=-ID_MAX)
                    field.validators.append(MinValueValidator(-ID_MAX, message=message))
        return fields

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors: dict[str, list[str]] = {}
            for name in data if self.reject_unknown else ():
                if name not in self.fields or self.fields[name].read_only:
                    errors[str(name)] = [_("Unknown field: this endpoint does not take it.")]
            for name, field in self.fields.items():
                if name not in data:
                    continue
                raw = data.getlist(name) if hasattr(data, "getlist") else data[name]
                if _holds(raw, _has_nul):
                    errors[name] = [_("Text may not contain NUL characters.")]
                elif _holds(raw, _not_finite):
                    errors[name] = [_("A number must be finite.")]
                elif isinstance(field, serializers.DictField | serializers.JSONField):
                    import json

                    try:
                        size = len(json.dumps(raw, ensure_ascii=False, default=str))
                    except (TypeError, ValueError):
                        size = 0
                    if size > MAX_FREE_JSON_CHARS:
                        errors[name] = [
                            _("At most %(max)s characters of data.") % {"max": MAX_FREE_JSON_CHARS}
                        ]
            if errors:
                raise serializers.ValidationError(errors)
        value = super().to_internal_value(data)
        self._check_years(value)
        return value

    def _check_years(self, value: Mapping[str, Any]) -> None:
        from nodes.periods import COURT_TZ

        errors = {}
        for name, field in self.fields.items():
            if not isinstance(field, serializers.DateField | serializers.DateTimeField):
                continue
            when = value.get(field.source)
            if when is None:
                continue
            year = when.astimezone(COURT_TZ).year if isinstance(when, dt.datetime) else when.year
            if not FIRST_YEAR <= year <= LAST_YEAR:
                errors[name] = [
                    _("Give a date between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                ]
        if errors:
            raise serializers.ValidationError(errors)


class QueryParamsSerializer(StrictSerializer):
    """The base of query-string filters: the same checks, but other parameters (``limit``,
    ``offset``, ``format``) pass, since the query string is shared with pagination."""

    reject_unknown = False


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

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        """Every operation documents the errors it can answer even when its view forgot:
        401 and 403 always, 400 when it takes input, 404 when its path names an object,
        415 when it takes a body. Codes a view lists itself keep its own description."""
        from drf_spectacular.utils import OpenApiResponse

        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        defaults = [401, 403]
        takes_body = self.method in ("POST", "PUT", "PATCH") and self._get_request_body()
        if takes_body or any(p["in"] != "path" for p in self._get_parameters()):
            defaults.append(400)
        if takes_body:
            defaults.append(415)
        if "{" in self.path:
            defaults.append(404)
        for code in defaults:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERROR_TEXTS[code]),
                    str(code),
                    direction=direction,
                )
        return dict(sorted(responses.items()))


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """The 404 handler: under /api/ an address that names nothing (``/api/cases/abc/``, an
    unknown path) answers the error body like every other refusal; pages keep Django's."""
    from django.http import JsonResponse
    from django.views import defaults

    if request.path.startswith("/api/"):
        return JsonResponse(_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)
