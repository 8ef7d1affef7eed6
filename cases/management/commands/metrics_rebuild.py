"""Rebuild the court-metrics rollups from the raw rows: `manage.py metrics_rebuild [--court CODE]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from cases.rollups import rollup_rebuild
from teams.models import Court


class Command(BaseCommand):
    help = (
        "Recompute the court-metrics rollups from the cases, suspensions and hearings (after "
        "a migration, an import in SQL or writes that bypassed the services)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--court", help="The court's code (default: every court).")

    def handle(self, *args, court: str | None, **options):
        courts = Court.objects.order_by("pk")
        if court:
            courts = courts.filter(code=court)
            if not courts.exists():
                raise CommandError(f"No court with the code {court!r}.")
        for item in courts:
            started = time.perf_counter()
            result = rollup_rebuild(item.pk)
            self.stdout.write(
                f"{item}: {result['cases']} cases → {result['flow_rows']} flow rows, "
                f"{result['segment_rows']} age segments, {result['hearing_rows']} hearing days "
                f"in {time.perf_counter() - started:.1f} s."
            )
