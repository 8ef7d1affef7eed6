"""Spreadsheet-safe CSV exports: UTF-8 with a byte-order mark (so Excel shows Chinese
correctly), streamed row by row, and every cell that a spreadsheet would read as a formula
(starting with = + - @, or a tab or carriage return) neutralised with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number is data, not a formula, even when negative
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 500) -> Iterable[str]:
    """The CSV text in pieces of ``chunk`` rows (one write per piece, not per row)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([safe_cell(v) for v in row]))
        if len(buffer) >= chunk:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)


def csv_batches(header: Sequence[str], batches: Iterable[Sequence[Sequence]]) -> Iterable[str]:
    """The CSV text for batches of rows whose cells are already safe (neutralised where
    they were made): one ``writerows`` and one piece per batch, no step per cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    yield "\ufeff" + buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(rows)
        yield buffer.getvalue()


def csv_response_pieces(filename: str, pieces: Iterable[str]):
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 1_048_575  # a worksheet's limit, less the header


def xlsx_write(
    target,
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one workbook (a path or a binary file) with XlsxWriter in constant-memory mode:
    one row in memory at a time, text always a string (never a formula or a link), a sheet
    continued on further sheets past the row limit. ``progress`` is called every 10,000 rows
    with the rows written so far. Returns the number of rows."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    total = 0
    for name, header, rows in sheets:
        number = 0

        def new_sheet(name=name, header=header):
            nonlocal number
            number += 1
            ws = book.add_worksheet((name if number == 1 else f"{name} ({number})")[:31])
            ws.write_row(0, 0, [str(h) for h in header], bold)
            return ws

        ws, r = new_sheet(), 0
        for row in rows:
            if r == XLSX_MAX_ROWS:
                ws, r = new_sheet(), 0
            r += 1
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, c, str(value))
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                elif isinstance(value, Decimal):
                    ws.write_number(r, c, float(value))
                else:
                    ws.write_string(r, c, str(value))
            total += 1
            if progress is not None and total % 10_000 == 0:
                progress(total)
    book.close()
    return total


def csv_write_batches(
    path,
    header: Sequence[str],
    batches: Iterable[Sequence[Sequence]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """``csv_batches`` written to ``path``; ``progress`` after each batch."""
    total = 0

    def counted():
        nonlocal total
        for rows in batches:
            total += len(rows)
            yield rows
            if progress is not None:
                progress(total)

    with open(path, "w", encoding="utf-8", newline="") as handle:
        for piece in csv_batches(header, counted()):
            handle.write(piece)
    return total


def csv_write(
    path,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The streamed CSV's bytes, written to ``path``; ``progress`` every 10,000 rows."""
    total = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:

        def counted():
            nonlocal total
            for row in rows:
                total += 1
                if progress is not None and total % 10_000 == 0:
                    progress(total)
                yield row

        for piece in csv_rows(header, counted()):
            handle.write(piece)
    return total


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], *, sheet: str):
    """An XLSX workbook written in constant memory to a temporary file, then sent."""
    import tempfile

    from django.http import FileResponse

    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    xlsx_write(handle, [(sheet, header, rows)])
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
