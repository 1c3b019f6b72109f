"""Trend charts as inline SVG, drawn on the server (no script), always shown with the
numbers as a table beside them. The SVG is built from numbers only: no text from users."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD = 480, 160, 28


def _points(values: list[float | None], width: int, height: int, pad: int) -> list[tuple]:
    n = len(values)
    out = []
    for i, v in enumerate(values):
        if v is None:
            continue
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * v
        out.append((round(x, 1), round(y, 1)))
    return out


def trend_svg(values: list[float | None], *, title: str, green: float = 0.95, amber: float = 0.85):
    """A line chart of proportions (0–1) with the green and amber thresholds as rules."""
    pts = _points(values, WIDTH, HEIGHT, PAD)
    rules = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="app-chart__rule app-chart__rule--{}" '
        'stroke="{}" stroke-dasharray="4 3"/>',
        (
            (PAD, y, WIDTH - PAD, y, name, colour)
            for name, level, colour in (("green", green, "#00703c"), ("amber", amber, "#ffdd00"))
            for y in [round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * level, 1)]
        ),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#505a5f"/>'
        '<text x="2" y="{}" font-size="10" fill="#505a5f">100%</text>'
        '<text x="8" y="{}" font-size="10" fill="#505a5f">0%</text>',
        PAD,
        HEIGHT - PAD,
        WIDTH - PAD,
        HEIGHT - PAD,
        PAD + 4,
        HEIGHT - PAD,
    )
    line = ""
    if len(pts) > 1:
        line = format_html(
            '<polyline points="{}" fill="none" stroke="#1d70b8" stroke-width="2"/>',
            " ".join(f"{x},{y}" for x, y in pts),
        )
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="3" fill="#1d70b8"/>', pts)
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        title,
        rules,
        axis,
        line,
        dots,
    )


def sparkline_svg(values: list[float | None], *, title: str):
    """A small line of proportions (0–1) for a dashboard row."""
    w, h, pad = 100, 24, 2
    pts = _points(values, w, h, pad)
    if len(pts) < 2:
        return ""
    return format_html(
        '<svg class="app-sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        '<polyline points="{}" fill="none" stroke="#1d70b8" stroke-width="1.5"/></svg>',
        w,
        h,
        w,
        h,
        title,
        " ".join(f"{x},{y}" for x, y in pts),
    )
