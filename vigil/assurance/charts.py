"""Trend charts as inline SVG, drawn on the server (no script), always shown with the
numbers as a table beside them. The SVG is built from numbers only: no text from users."""

from __future__ import annotations

import datetime as dt

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


CHART_W, CHART_H, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 40, 12, 12, 30


def dated_trend_svg(
    days: list,
    *,
    title: str,
    start: dt.date,
    end: dt.date,
    green: float,
    amber: float,
    marks: list = (),
    mark_label: str = "",
):
    """A line of a metric's proportions (0–1) over dates from `start` to `end`, against
    the green and amber thresholds (dashed rules), with each policy change in `marks`
    drawn as a vertical rule. `days` have `as_of` and `value` (None: no cases that day, a
    gap in the line). Numbers and dates only: labels are the caller's translated text."""
    span = max((end - start).days, 1)
    inner_w, inner_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + inner_w * ((day - start).days / span), 1)

    def y(value: float) -> float:
        return round(TOP + inner_h * (1 - value), 1)

    rules = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="app-chart__rule app-chart__rule--{}" '
        'stroke="{}" stroke-width="1.5" stroke-dasharray="6 4"/>',
        (
            (LEFT, y(level), CHART_W - RIGHT, y(level), name, colour)
            for name, level, colour in (("green", green, "#00703c"), ("amber", amber, "#b58840"))
        ),
    )
    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b1b4b6" stroke-width="0.5"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#505a5f">{}%</text>',
        (
            (LEFT, y(v), CHART_W - RIGHT, y(v), LEFT - 4, y(v) + 4, int(v * 100))
            for v in (0, 0.5, 1)
        ),
    )
    axis = format_html(
        '<text x="{}" y="{}" font-size="11" fill="#505a5f">{}</text>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#505a5f">{}</text>',
        LEFT,
        CHART_H - 8,
        start.strftime("%Y-%m-%d"),
        CHART_W - RIGHT,
        CHART_H - 8,
        end.strftime("%Y-%m-%d"),
    )
    policy = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="app-chart__policy" stroke="#4c2c92" '
        'stroke-width="1.5"><title>{}</title></line>',
        (
            (x(m.when), TOP, x(m.when), CHART_H - BOTTOM, f"{m.when:%Y-%m-%d}: {m.label}")
            for m in marks
            if start <= m.when <= end
        ),
    )
    segments, current = [], []
    for d in days:
        if d.value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append((x(d.as_of), y(d.value)))
    if current:
        segments.append(current)
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="#1d70b8" stroke-width="2.5"/>',
        ((" ".join(f"{px},{py}" for px, py in seg),) for seg in segments if len(seg) > 1),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="#1d70b8"/>',
        ((px, py) for seg in segments for px, py in seg if len(seg) == 1 or len(days) <= 16),
    )
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin '
        'meet" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}{}{}{}{}{}</svg>',
        CHART_W,
        CHART_H,
        title,
        grid,
        rules,
        policy,
        axis,
        lines,
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
