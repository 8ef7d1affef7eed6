"""Admin base classes: every admin list is scoped to the user's court, and every admin save
goes through a service.

A service-backed admin implements ``perform(request, data, obj)``. The form calls it once
inside a rolled-back savepoint while validating, so a refusal (``DomainError``) appears
next to the field it names, with the same words as in the API; ``save_model`` then calls
it for real. Nothing is ever deleted from the admin: history is kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.http import Http404, HttpRequest

from .errors import DomainError


class _DryRun(Exception):
    pass


def _court_ids(request: HttpRequest) -> list[int] | None:
    from teams.access import court_ids_for_user

    return court_ids_for_user(request.user)


class NotFoundOutsideScope:
    """An object outside the admin's (scoped) queryset answers 404, as it does on the pages and
    the API. Django's admin would redirect to its index with a message instead."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class CourtScopedAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    """Shows only rows of the user's court (superusers see all). Never deletes."""

    court_lookup: str | None = "court_id"  # None: rows that belong to no court (the calendar)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        court_ids = _court_ids(request)
        if court_ids is None or self.court_lookup is None:
            return qs
        return qs.filter(**{f"{self.court_lookup}__in": court_ids})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices in foreign-key dropdowns are scoped to the user's court too."""
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        court_ids = _court_ids(request)
        if court_ids is not None and formfield is not None:
            model = db_field.related_model
            names = {f.name for f in model._meta.get_fields()}
            if model._meta.label_lower == "teams.court":
                formfield.queryset = formfield.queryset.filter(pk__in=court_ids)
            elif "court" in names or model._meta.label_lower == "teams.teamtype":
                formfield.queryset = formfield.queryset.filter(court_id__in=court_ids)
        return formfield


class ServiceModelAdmin(CourtScopedAdmin):
    """A court-scoped admin whose saves call a service (see module docstring)."""

    add_perms: tuple[str, ...] = ()
    change_perms: tuple[str, ...] = ()

    def perform(
        self, request: HttpRequest, data: dict[str, Any], obj: models.Model | None
    ) -> models.Model:
        raise NotImplementedError

    def _has_any(self, request: HttpRequest, perms: tuple[str, ...]) -> bool:
        return request.user.is_superuser or any(request.user.has_perm(p) for p in perms)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(self.add_perms) and self._has_any(request, self.add_perms)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.change_perms) and self._has_any(request, self.change_perms)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        opts = self.opts
        return (
            super().has_view_permission(request, obj)
            or request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or self.has_change_permission(request, obj)
        )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self
        original_pk = obj.pk if obj is not None else None

        class ServiceForm(form_class):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic():
                        fresh = (
                            model_admin.model._default_manager.get(pk=original_pk)
                            if original_pk
                            else None
                        )
                        model_admin.perform(request, self.cleaned_data, fresh)
                        raise _DryRun
                except _DryRun:
                    pass
                except DomainError as exc:
                    field = exc.field if exc.field in self.fields else None
                    self.add_error(field, str(exc.message))

        return ServiceForm

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool
    ) -> None:
        fresh = self.model._default_manager.get(pk=obj.pk) if change else None
        result = self.perform(request, form.cleaned_data, fresh)
        obj.pk = result.pk
        obj._state.adding = False
        obj._state.db = result._state.db

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        """Related rows are written by the service, not by the admin."""


class ReadOnlyAdmin(CourtScopedAdmin):
    """A court-scoped admin that only lists and shows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
