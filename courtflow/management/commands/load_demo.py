"""Load the demo court (idempotent): `manage.py load_demo [--scale 0.1] [--quiet]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from cases.demo import demo_cases_load, demo_requests_file
from cases.models import TriageRule
from cases.rollups import rollup_rebuild
from cases.services.triage import triage_rules_default
from courtflow.context import source_scope
from nodes.selectors import catalog_current
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
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="Cases to import on the first load (default 20,000 × scale, at least 2,000).",
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, scale: float, quiet: bool, cases: int | None, **options):
        if not 0 < scale <= 5:
            raise CommandError("--scale must be greater than 0 and at most 5")
        count = cases if cases is not None else max(2000, int(20000 * scale))
        if not 0 <= count <= 1_000_000:
            raise CommandError("--cases must be between 0 and 1,000,000")
        if catalog_current() is None:
            raise CommandError("Load the node catalog first: manage.py catalog_load")
        started = time.perf_counter()
        with source_scope("command"):
            result = demo_org_build(scale=scale)
            if not TriageRule.objects.filter(court=result.court).exists():
                triage_rules_default(result.court.pk)
            imported = demo_cases_load(court=result.court, count=count)
            requests = demo_requests_file(court=result.court) if imported else 0
            # The services keep the court-metrics rollups in step; a rebuild also covers a
            # database whose demo cases were loaded before the rollups existed.
            rollup_rebuild(result.court.pk)
        self.stdout.write(
            f"Demo court {result.court}: {result.created_people} people, {result.created_teams} teams, "
            f"{imported} cases and {requests} pending requests created (existing ones kept) "
            f"in {time.perf_counter() - started:.1f} s."
        )
        if not quiet:
            self.stdout.write(logins_text())


def logins_text() -> str:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for username, name, role, _division in NAMED_USERS:
        lines.append(f"  {username:<14} {name:<6} {role.label}")
    return "\n".join(lines)
