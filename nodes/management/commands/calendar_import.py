"""Import a year's State Council holiday schedule: `manage.py calendar_import FILE.csv`.

The file has rows `date,is_workday[,name]` (1 = working day, 0 = rest day), listing the
holidays and the 调休 working weekends; every other day of the year follows Monday–Friday."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courtflow.context import source_scope
from courtflow.errors import DomainError
from nodes.services import calendar_import_csv


class Command(BaseCommand):
    help = "Enter a year's State Council schedule into the court calendar."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite a year already confirmed."
        )

    def handle(self, *args, file: str, replace: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with source_scope("command"):
                result = calendar_import_csv(
                    actor=None, data=path.read_bytes(), source_name=path.name, replace=replace
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write("Imported: " + ", ".join(f"{y} ({n} days)" for y, n in result.items()))
