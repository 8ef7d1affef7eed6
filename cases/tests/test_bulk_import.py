"""Bulk import: the same numbers, nodes and audit rows as one-by-one registration, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.demo import demo_case_rows
from cases.lifecycle import Stage
from cases.models import Case
from cases.services.bulk import ImportRow, case_import_bulk
from cases.tests.helpers import PARTIES, register
from courtflow.errors import InvalidInput
from courtflow.models import AuditEvent
from nodes.models import NodeInstance

pytestmark = pytest.mark.django_db


def test_imported_cases_get_numbers_nodes_and_audit_like_registered_ones(world):
    register(world, "civil_simple")  # numbering continues after cases registered one by one
    rows = demo_case_rows(count=120, seed=3)
    cases = case_import_bulk(actor=None, court=world.court, rows=rows, source="test")
    assert len(cases) == 120
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 121
    simple = (
        Case.objects.filter(type_code="民初")
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert list(simple) == list(range(1, len(simple) + 1))
    assert AuditEvent.objects.filter(action="case.imported").count() == 120
    # Every case has its filing nodes; archived cases owe nothing; open cases with a 审限 have its date.
    assert (
        not Case.objects.filter(pk__in=[c.pk for c in cases])
        .exclude(pk__in=NodeInstance.objects.values("case_id"))
        .exists()
    )
    archived = [c for c in cases if c.stage == Stage.ARCHIVED]
    assert archived and not NodeInstance.objects.filter(case__in=archived, status="open").exists()
    statuses = set(NodeInstance.objects.values_list("status", flat=True))
    assert {"open", "done"} <= statuses


def test_one_bad_row_refuses_the_whole_import(world):
    now = timezone.now()
    good = ImportRow(
        procedure="civil_simple",
        cause="民间借贷纠纷",
        parties=PARTIES["first_instance"],
        received_at=now - dt.timedelta(days=3),
        filed_at=now - dt.timedelta(days=2),
    )
    bad = ImportRow(
        procedure="civil_simple",
        cause="民间借贷纠纷",
        parties=[PARTIES["first_instance"][0]],
        received_at=now - dt.timedelta(days=3),
        filed_at=now - dt.timedelta(days=2),
    )
    with pytest.raises(InvalidInput) as refused:
        case_import_bulk(actor=None, court=world.court, rows=[good, bad])
    assert refused.value.detail["row"] == 2
    assert (
        not Case.objects.exists() and not AuditEvent.objects.filter(action="case.imported").exists()
    )
