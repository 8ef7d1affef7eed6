"""Load the node catalog: `manage.py catalog_load [FILE]` (default nodes/catalog/nodes.csv).

Idempotent: the same file changes nothing; a changed file becomes a new current version;
a file with errors is refused whole (each error with its line) and the current version stays."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courtflow.context import source_scope
from courtflow.errors import DomainError
from nodes.services import catalog_load

DEFAULT = Path(__file__).resolve().parents[2] / "catalog" / "nodes.csv"


class Command(BaseCommand):
    help = "Load the node catalog file as a new version if it changed."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT))

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with source_scope("command"):
                version, created = catalog_load(
                    actor=None, data=path.read_bytes(), source_name=path.name
                )
        except DomainError as exc:
            lines = [
                f"{path.name}:{e['line']}: {e['message']}" for e in exc.detail.get("errors", [])
            ]
            raise CommandError("\n".join(lines) or str(exc.message)) from exc
        state = "loaded as" if created else "unchanged, current is"
        self.stdout.write(
            f"Catalog {state} v{version.number}: {version.node_count} nodes "
            f"({version.general_count} general, {version.important_count} important)."
        )
