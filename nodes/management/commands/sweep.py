"""Run the sweep by hand: `manage.py sweep [--at 2026-12-01T09:00+08:00] [--court 京0102]`.

The same service the beat task runs; ``--at`` moves time forward for a demo or a test."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from courtflow.context import source_scope
from nodes.sweep import sweep_run
from teams.models import Court


class Command(BaseCommand):
    help = "Prompt, warn, report and lock every node due by now (or by --at)."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="ISO 8601 instant to sweep as of (default: now)")
        parser.add_argument("--court", help="Court code (法院代字); default: every court")
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Node instances per transaction"
        )

    def handle(self, *args, at: str | None, court: str | None, batch_size: int, **options):
        if not 1 <= batch_size <= 100_000:
            raise CommandError("--batch-size must be between 1 and 100000")
        when = None
        if at:
            try:
                when = dt.datetime.fromisoformat(at)
            except ValueError as exc:
                raise CommandError(f"--at {at!r} is not an ISO 8601 instant") from exc
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        court_ids = None
        if court:
            found = Court.objects.filter(code=court).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No court with code {court}")
            court_ids = [found]
        with source_scope("command"):
            result = sweep_run(at=when, court_ids=court_ids, batch_size=batch_size)
        self.stdout.write(
            f"Sweep as of {timezone.localtime(when or timezone.now()):%Y-%m-%d %H:%M}: {result.prompts} prompts, "
            f"{result.warnings} warnings, {result.overdue} overdue, {result.locks} important overdue "
            f"({result.cases_locked} cases locked) in {result.batches} batch(es)."
        )
        if result.external:
            from nodes.notify import notifications_deliver

            sent, failed = notifications_deliver()
            self.stdout.write(f"Notifications delivered: {sent}, failed: {failed}.")
