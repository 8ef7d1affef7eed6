"""Load the demo court (idempotent): `manage.py load_demo [--scale 0.1] [--quiet]`."""

from django.core.management.base import BaseCommand, CommandError

from courtflow.context import source_scope
from teams.demo import DEMO_PASSWORD, NAMED_USERS, demo_org_build


class Command(BaseCommand):
    help = "Create or complete the demo court shaped like 北京西城 (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=0.1,
            help="Size relative to 西城 (1.0 = 17 速裁, 101 专业化, 19 执行 teams). Default 0.1.",
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, scale: float, quiet: bool, **options):
        if not 0 < scale <= 5:
            raise CommandError("--scale must be greater than 0 and at most 5")
        with source_scope("command"):
            result = demo_org_build(scale=scale)
        self.stdout.write(
            f"Demo court {result.court}: {result.created_people} people and "
            f"{result.created_teams} teams created (existing ones kept)."
        )
        if not quiet:
            self.stdout.write(logins_text())


def logins_text() -> str:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for username, name, role, _division in NAMED_USERS:
        lines.append(f"  {username:<14} {name:<6} {role.label}")
    return "\n".join(lines)
