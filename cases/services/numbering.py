"""案号: （年份）法院代字类型代字序号号, unique and gap-free per court, year and type."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cases.models import CaseNumberSequence
from teams.models import Court


def case_number_next(*, court: Court, year: int, type_code: str) -> tuple[int, str]:
    """Take the next sequence number under a row lock (call inside the registering
    transaction): concurrent registrants queue on the row, so no two get the same number."""
    seq = (
        CaseNumberSequence.objects.select_for_update()
        .filter(court=court, year=year, type_code=type_code)
        .first()
    )
    if seq is None:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(
                    court=court, year=year, type_code=type_code, last=0
                )
        except IntegrityError:
            pass  # another registrant created it first; lock theirs
        seq = CaseNumberSequence.objects.select_for_update().get(
            court=court, year=year, type_code=type_code
        )
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last, format_case_number(
        year=year, court_code=court.code, type_code=type_code, sequence=seq.last
    )


def format_case_number(*, year: int, court_code: str, type_code: str, sequence: int) -> str:
    return f"（{year}）{court_code}{type_code}{sequence}号"
