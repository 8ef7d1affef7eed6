"""Make an API token for a system-to-system client and print its key once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courtflow.context import source_scope
from courtflow.errors import DomainError


class Command(BaseCommand):
    help = "Make an API token acting as --user; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the client acts as.")
        parser.add_argument("--name", required=True, help="Which system uses the token.")
        parser.add_argument("--days", type=int, default=None, help="Lifetime in days.")

    def handle(self, *args, **options):
        from courtflow.tokens import api_token_create

        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        try:
            with source_scope("command"):
                token, key = api_token_create(
                    actor=None, user=user, name=options["name"], days=options["days"]
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.pk} ({token.prefix}…) for {user.get_username()}"
            + (f", expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else "")
            + ". The key above is shown only now."
        )
