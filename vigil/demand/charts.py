"""The forecast chart as inline SVG, drawn on the server from numbers only (no text from
users), always shown with its numbers in a table beside it."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD = 600, 240, 40


def forecast_svg(history: list[dict], forecast: list[dict], *, title: str):
    """History as a solid line, the forecast dashed, its interval as a shaded band."""
    values = [h["value"] for h in history] + [f["upper"] for f in forecast]
    low = min([h["value"] for h in history] + [f["lower"] for f in forecast] + [0])
    high = max(values) or 1
    n = len(history) + len(forecast)

    def x(i):
        return round(PAD + (WIDTH - 2 * PAD) * (i / (n - 1) if n > 1 else 0.5), 1)

    def y(v):
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * ((v - low) / (high - low or 1)), 1)

    past = " ".join(f"{x(i)},{y(h['value'])}" for i, h in enumerate(history))
    start = len(history) - 1
    ahead = [(start, history[-1]["value"], history[-1]["value"], history[-1]["value"])] + [
        (start + k, f["value"], f["lower"], f["upper"]) for k, f in enumerate(forecast, start=1)
    ]
    line = " ".join(f"{x(i)},{y(v)}" for i, v, _lo, _hi in ahead)
    band = " ".join(
        [f"{x(i)},{y(hi)}" for i, _v, _lo, hi in ahead]
        + [f"{x(i)},{y(lo)}" for i, _v, lo, _hi in reversed(ahead)]
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" fill="#505a5f" text-anchor="middle">{}</text>',
        (
            (x(i), HEIGHT - PAD + 14, row["period_end"][:4])
            for i, row in enumerate(history + forecast)
            if i % 2 == 0 or i == n - 1
        ),
    )
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        '<line x1="{p}" y1="{b}" x2="{r}" y2="{b}" stroke="#505a5f"/>'
        '<text x="2" y="{top}" font-size="10" fill="#505a5f">{hi}</text>'
        '<text x="2" y="{b}" font-size="10" fill="#505a5f">{lo}</text>'
        '<polygon points="{band}" fill="#1d70b8" fill-opacity="0.2"/>'
        '<polyline points="{past}" fill="none" stroke="#0b0c0c" stroke-width="2"/>'
        '<polyline points="{line}" fill="none" stroke="#1d70b8" stroke-width="2" '
        'stroke-dasharray="6 3"/>{labels}</svg>',
        w=WIDTH,
        h=HEIGHT,
        t=title,
        p=PAD,
        r=WIDTH - PAD,
        b=HEIGHT - PAD,
        top=PAD,
        hi=f"{high:,.0f}",
        lo=f"{low:,.0f}",
        band=band,
        past=past,
        line=line,
        labels=labels,
    )
