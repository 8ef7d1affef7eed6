"""The OpenAPI schema generates without warnings and documents the endpoints."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), skip_checks=True
    )
    schema = yaml.safe_load(out.read_text())
    paths = schema["paths"]
    for path in ["/api/teams/teams/", "/api/nodes/catalog/", "/api/calendar/due/"]:
        assert path in paths
    due = paths["/api/calendar/due/"]["get"]
    assert "400" in due["responses"]
    assert {p["name"] for p in due["parameters"]} >= {"anchor", "amount", "unit", "custody"}
