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


ERROR_REF = "#/components/schemas/Error"
# Writes a lock or the object's state can refuse (a locked case refuses every change).
STATEFUL_PREFIXES = ("/api/cases/", "/api/hearings/", "/api/approvals/", "/api/service-requests/")


def _error_ref(response: dict) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def test_every_operation_documents_its_errors_with_the_error_body():
    """A client written from the schema knows every refusal it can meet: 400 when the
    operation takes input, 401 and 403 always, 404 when the path names an object or the
    operation is scoped, 409 for writes on cases and their nodes — all with the Error body —
    and each operation has a description and an operationId."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {
        "code",
        "message",
        "detail",
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    problems = []
    operation_ids = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            operation_ids.append(op.get("operationId"))
            if not op.get("operationId"):
                problems.append(f"{where}: no operationId")
            if not (op.get("description") or "").strip():
                problems.append(f"{where}: no description")
            params = op.get("parameters", [])
            takes_input = "requestBody" in op or any(p["in"] == "query" for p in params)
            expected = {"401", "403"}
            if takes_input:
                expected.add("400")
            if "{" in path:
                expected.add("404")
            if method in ("post", "put", "patch") and path.startswith(STATEFUL_PREFIXES):
                expected.add("409")
            for code in sorted(expected):
                response = op["responses"].get(code)
                if response is None:
                    problems.append(f"{where}: {code} not documented")
                elif _error_ref(response) != ERROR_REF:
                    problems.append(f"{where}: {code} does not answer the Error body")
            if "security" in op:
                assert {"tokenAuth": []} in op["security"], where
    assert problems == []
    assert len(operation_ids) == len(set(operation_ids)) > 40
