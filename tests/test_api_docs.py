"""The API documentation page: served by the application itself, every operation listed,
nothing loaded from another origin, in Chinese by default and in English on request."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _operation_ids() -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {op["operationId"] for item in schema["paths"].values() for op in item.values()}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_docs_page_lists_every_operation_and_loads_nothing_from_elsewhere(language):
    resp = Client(headers={"Accept-Language": language}).get("/api/docs/")
    assert resp.status_code == 200
    html = resp.content.decode()
    ids = _operation_ids()
    assert len(ids) > 40
    missing = [i for i in ids if f'id="{i}"' not in html or f'href="#{i}"' not in html]
    assert missing == []
    # no asset from another origin: no src/href/url() to http(s) or protocol-relative URLs
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html), "external asset"
    assert "url(http" not in html and "<script" not in html.split("</footer>")[0]
    assert "/api/schema/" in html
    # the page is readable: the registration operation shows its body fields and errors
    section = html[html.index('id="cases_create"') :]
    section = section[: section.index("</section>")]
    for text in ("POST /api/cases/", "procedure", "parties", "409", "415", "Error"):
        assert text in section, text
    if language == "en":
        assert "API documentation" in html and "Request body (JSON)" in html


def test_the_docs_page_is_chinese_by_default():
    html = Client().get("/api/docs/").content.decode()
    assert '<html lang="zh-CN">' in html
