"""Revoke an API token by id or by its key prefix."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from courtflow.context import source_scope
from courtflow.errors import DomainError


class Command(BaseCommand):
    help = "Revoke an API token (by id or key prefix); its next request answers 401."

    def add_arguments(self, parser):
        parser.add_argument("token", help="Token id, or the key prefix shown in lists (cf_…).")
        parser.add_argument("--reason", default="", help="Why (kept in the audit trail).")

    def handle(self, *args, **options):
        from courtflow.models import ApiToken
        from courtflow.tokens import api_token_revoke

        ref = options["token"]
        matches = list(
            ApiToken.objects.filter(pk=int(ref))
            if ref.isdigit()
            else ApiToken.objects.filter(prefix=ref[:11])
        )
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} tokens match {ref!r}; give the token id.")
        try:
            with source_scope("command"):
                token = api_token_revoke(actor=None, token=matches[0], reason=options["reason"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Revoked token {token.pk} ({token.prefix}…).")
