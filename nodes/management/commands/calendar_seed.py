"""Seed the court calendar from the chinesecalendar package (idempotent)."""

from django.core.management.base import BaseCommand

from courtflow.context import source_scope
from nodes.selectors import calendar_missing_years
from nodes.services import calendar_seed_from_package


class Command(BaseCommand):
    help = "Fill the court calendar for every year the chinesecalendar package covers."

    def handle(self, *args, **options):
        with source_scope("command"):
            added = calendar_seed_from_package(actor=None)
        if added:
            self.stdout.write(
                f"Calendar seeded: {', '.join(f'{y} ({n} days)' for y, n in added.items())}."
            )
        else:
            self.stdout.write("Calendar already seeded.")
        missing = calendar_missing_years()
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"No calendar data for {', '.join(map(str, missing))}: deadlines there are provisional "
                    "(Monday–Friday). Import the State Council schedule with `manage.py calendar_import FILE.csv`."
                )
            )
