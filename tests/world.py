"""A small court with every team type, the catalog and the calendar (fixtures in the root conftest)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cases.services.triage import triage_rules_default
from nodes.services import calendar_seed_from_package, catalog_load
from teams.demo import demo_org_build
from teams.models import Court, Person

CATALOG = Path(__file__).resolve().parents[1] / "nodes" / "catalog" / "nodes.csv"


@dataclass
class World:
    court: Court
    people: dict[str, Person]

    def user(self, username: str):
        return self.people[username].user

    def __getattr__(self, name: str):
        return self.people[name]


def build_world() -> World:
    calendar_seed_from_package()
    catalog_load(actor=None, data=CATALOG.read_bytes(), source_name="nodes.csv")
    result = demo_org_build(scale=0.05)
    triage_rules_default(result.court.pk)
    people = {
        p.user.username: p for p in Person.objects.filter(court=result.court).select_related("user")
    }
    return World(court=result.court, people=people)
