"""The API's documentation page (/api/docs/): the OpenAPI schema rendered on the server as
plain HTML in the site's style — no Swagger UI, no script, nothing fetched from elsewhere
(court networks are closed and the Content-Security-Policy allows only this origin)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def _schema() -> dict[str, Any]:
    # The schema depends only on the code: generated once per process.
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict[str, Any], node: dict[str, Any] | None) -> dict[str, Any]:
    if not node:
        return {}
    ref = node.get("$ref")
    if ref:
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return node


def _type_label(schema: dict[str, Any], node: dict[str, Any]) -> str:
    """A short type for a table cell: ``string (date-time)``, ``array of PartyInput``."""
    if "$ref" in node:
        target = _resolve(schema, node)
        if "enum" in target:
            return "enum: " + ", ".join(str(v) for v in target["enum"] if v not in ("", None))
        return node["$ref"].rsplit("/", 1)[1]
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            parts = [_type_label(schema, n) for n in node[key] if n.get("type") != "null"]
            label = " | ".join(p for p in parts if p)
            return label + (" | null" if node.get("nullable") else "")
    kind = node.get("type", "object")
    if kind == "array":
        return "array of " + _type_label(schema, node.get("items", {}))
    if "enum" in node:
        return "enum: " + ", ".join(str(v) for v in node["enum"] if v not in ("", None))
    label = kind + (f" ({node['format']})" if "format" in node else "")
    limits = []
    if "maxLength" in node:
        limits.append(f"≤ {node['maxLength']} chars")
    if "minimum" in node and abs(node["minimum"]) < 2**53:
        limits.append(f"≥ {node['minimum']}")
    if "maximum" in node and abs(node["maximum"]) < 2**53:
        limits.append(f"≤ {node['maximum']}")
    if limits:
        label += ", " + ", ".join(limits)
    return label + (", null" if node.get("nullable") else "")


def _fields(schema: dict[str, Any], node: dict[str, Any] | None) -> list[dict[str, Any]]:
    target = _resolve(schema, node)
    if target.get("type") == "array":
        target = _resolve(schema, target.get("items"))
    required = set(target.get("required", []))
    return [
        {
            "name": name,
            "type": _type_label(schema, prop),
            "required": name in required,
            "description": prop.get("description", ""),
            "read_only": prop.get("readOnly", False),
        }
        for name, prop in target.get("properties", {}).items()
    ]


def _operations() -> list[dict[str, Any]]:
    schema = _schema()
    out = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = []
            for code, response in op["responses"].items():
                content = response.get("content", {})
                first = next(iter(content.values()), {}) if content else {}
                node = first.get("schema", {})
                responses.append(
                    {
                        "code": code,
                        "description": response.get("description", ""),
                        "media_types": list(content),
                        "type": _type_label(schema, node) if node else "",
                        "fields": [] if code.startswith(("4", "5")) else _fields(schema, node),
                    }
                )
            out.append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or ["api"])[0],
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type_label(schema, p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _fields(schema, body.get("schema")),
                    "responses": responses,
                }
            )
    return sorted(out, key=lambda o: (o["tag"], o["path"], METHODS.index(o["method"].lower())))


def api_docs(request: HttpRequest) -> HttpResponse:
    """Every API operation: method, path, what it does, its parameters, body fields and the
    answers it can give. Public like the schema itself: it describes, it reveals no data."""
    operations = _operations()
    tags: dict[str, list[dict[str, Any]]] = {}
    for op in operations:
        tags.setdefault(op["tag"], []).append(op)
    schema = _schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "tags": tags,
            "error_fields": _fields(schema, {"$ref": "#/components/schemas/Error"}),
            "operation_count": len(operations),
        },
    )
