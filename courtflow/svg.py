"""Charts drawn on the server as SVG: no script, no external asset, readable without colour
(values are written next to the bars), and every label escaped."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 760,
    bar_height: int = 22,
    label_width: int = 300,
    colour: str = "#8b1a1a",
) -> SafeString:
    """Horizontal bars, one per (label, value) row, largest scale first."""
    gap = 6
    height = max(1, len(rows)) * (bar_height + gap) + 30
    top = max((value for _label, value in rows), default=0) or 1
    usable = width - label_width - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 10 + i * (bar_height + gap)
        length = max(1.0, usable * value / top) if value else 0
        text = label if len(label) <= 40 else label[:39] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">'
            f"{escape(text)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{colour}" rx="3"><title>{escape(label)}: {value:g}</title></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}">{value:g}</text>'
        )
    if not rows:
        parts.append('<text x="10" y="20">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label above is escaped


def column_chart(
    series: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    colour: str = "#0b5cad",
) -> SafeString:
    """Vertical columns over time (months), with the values written above them."""
    n = max(1, len(series))
    top = max((value for _label, value in series), default=0) or 1
    base = height - 30
    slot = (width - 20) / n
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#b9c2cd"/>',
    ]
    for i, (label, value) in enumerate(series):
        x = 10 + i * slot
        h = (base - 25) * value / top
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{colour}" rx="2"><title>{escape(label)}: {value:g}</title></rect>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle">{value:g}</text>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label above is escaped
