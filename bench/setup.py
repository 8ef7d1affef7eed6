"""Shared benchmark setup: a fresh PostgreSQL database with the catalog, the calendar and a
demo court, so every benchmark measures on the same data in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/courtflow_bench"


def django_setup(database_url: str | None = None) -> str:
    """Point Django at the benchmark database (recreated empty) and migrate it."""
    url = database_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtflow.settings")
    os.environ["COURTFLOW_AUDIT_ALLOW_FLUSH"] = "1"
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
    return url


def load_base(scale: float = 0.1) -> object:
    """Catalog, calendar, demo organisation and triage rules; returns the court."""
    from cases.services.triage import triage_rules_default
    from courtflow.context import source_scope
    from nodes.services import calendar_seed_from_package, catalog_load
    from teams.demo import demo_org_build

    with source_scope("command"):
        calendar_seed_from_package()
        catalog_load(
            actor=None,
            data=(ROOT / "nodes" / "catalog" / "nodes.csv").read_bytes(),
            source_name="nodes.csv",
        )
        court = demo_org_build(scale=scale).court
        triage_rules_default(court.pk)
    return court


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start
