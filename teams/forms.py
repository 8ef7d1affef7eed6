"""Sign-in forms for the site (/login/) and the administration (/admin/login/), both
throttled against password guessing (teams.signin)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext

from . import signin


class ThrottledSignInMixin:
    """Refuse sign-in while the name or the address is paused, before the password is
    checked; count and audit each wrong name or password; audit each success."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = signin.client_address(self.request)
        if username:
            wait = signin.signin_wait_seconds(username=username, address=address)
            if wait:
                raise self._paused(wait)
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if username and getattr(error, "code", None) == "invalid_login":
                wait = signin.signin_failure_record(username=username, address=address)
                if wait:
                    raise self._paused(wait) from error
            raise
        if self.user_cache is not None:
            signin.signin_success_record(user=self.user_cache, address=address)
        return cleaned

    def _paused(self, seconds: int) -> forms.ValidationError:
        minutes = signin.wait_minutes(seconds)
        # The same words whether or not the account exists: nothing to learn from them.
        return forms.ValidationError(
            ngettext(
                "Too many failed sign-ins. Sign-in is paused; try again in %(minutes)s minute.",
                "Too many failed sign-ins. Sign-in is paused; try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="sign_in_paused",
        )


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    """The site's sign-in form."""


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The administration's sign-in form (staff only, as Django's)."""
