"""Charts drawn by the server as SVG: no CDN, no script, no inline style.

Colours come from CSS classes in ``static/reports/reports.css``; the SVG
scales to the width of the phone (``viewBox`` + ``width=100%``). Charts only
ever see the *shown* values: a suppressed count is drawn as a short hatched
stub labelled "<5" (or "×"), never at its real height.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pulih.reports.suppression import Shown


def _svg(width: int, height: int, body: list[str], label: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text part below is escaped
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet">' + "".join(body) + "</svg>"
    )


def column_chart(points: Sequence[tuple[str, Shown]], label: str) -> SafeString:
    """Vertical bars, e.g. a monthly trend (12 months fit a 360 px screen)."""
    width, height, top, bottom, left = 340, 150, 16, 22, 4
    n = max(len(points), 1)
    slot = (width - left) / n
    bar = max(slot * 0.68, 2)
    peak = max([s.number or 0 for _l, s in points] + [1])
    plot = height - top - bottom
    body = [f'<line class="chart__axis" x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/>']
    every = max(1, -(-n // 6))  # at most six month labels fit a phone
    for i, (text, shown) in enumerate(points):
        x = left + i * slot + (slot - bar) / 2
        cx = x + bar / 2
        if shown.hidden:
            h = 6.0
            body.append(
                f'<rect class="chart__bar chart__bar--hidden" x="{x:.1f}" y="{height - bottom - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(text)}: {escape(shown.text)}</title></rect>'
            )
        else:
            h = plot * (shown.value / peak)
            body.append(
                f'<rect class="chart__bar" x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{escape(text)}: {shown.value}</title></rect>'
            )
        y_value = height - bottom - h - 3
        body.append(
            f'<text class="chart__value" x="{cx:.1f}" y="{y_value:.1f}" text-anchor="middle">'
            f"{escape(shown.text)}</text>"
        )
        if i % every == 0 or i == n - 1:
            body.append(
                f'<text class="chart__label" x="{cx:.1f}" y="{height - 6}" text-anchor="middle">{escape(text)}</text>'
            )
    return _svg(width, height, body, label)


def bar_chart(rows: Sequence[tuple[str, Shown]], label: str) -> SafeString:
    """Horizontal bars with the label above each bar, e.g. a breakdown by age band."""
    width, row_h, bar_h = 340, 34, 12
    height = max(len(rows), 1) * row_h + 4
    peak = max([s.number or 0 for _l, s in rows] + [1])
    usable = width - 50
    body = []
    for i, (text, shown) in enumerate(rows):
        y = i * row_h + 4
        body.append(f'<text class="chart__label" x="0" y="{y + 11}">{escape(text)}</text>')
        if shown.hidden:
            w = 8.0
            cls = "chart__bar chart__bar--hidden"
        else:
            w = max(usable * shown.value / peak, 1 if shown.value else 0)
            cls = "chart__bar"
        body.append(
            f'<rect class="{cls}" x="0" y="{y + 15}" width="{w:.1f}" height="{bar_h}">'
            f"<title>{escape(text)}: {escape(shown.text)}</title></rect>"
        )
        body.append(f'<text class="chart__value" x="{w + 4:.1f}" y="{y + 25}">{escape(shown.text)}</text>')
    return _svg(width, height, body, label)
