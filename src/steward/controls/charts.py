"""Small SVG charts drawn on the server: no script, no inline style (the
Content Security Policy forbids both), colours as SVG attributes. Each
chart has a title and a description for screen readers, and every page
that shows one also shows the same figures as a table."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
GREY = "#b1b4b6"
TEXT = "#0b0c0c"


def _frame(
    width: int, height: int, title: str, desc: str, body: str
) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="steward-chart" '
        'viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-t {id}-d" focusable="false" '
        'font-family="GDS Transport, arial, sans-serif">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>'
        "{body}</svg>",
        w=width,
        h=height,
        id=f"chart-{abs(hash((title, desc))) % 10**8}",
        title=title,
        desc=desc,
        body=mark_safe(body),  # built with format_html below
    )


def trend_line(
    points: list[tuple[str, int | None]], *, title: str
) -> SafeString:
    """Scores (0-100) by period, left to right; a period without a score
    leaves a gap."""
    width, height = 640, 240
    left, right, top, bottom = 48, 16, 24, 40
    inset = 40  # keeps the first and last points clear of the edges
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)
    step = (plot_w - 2 * inset) / max(n - 1, 1)

    def x(i: int) -> float:
        return left + inset + (i * step if n > 1 else plot_w / 2 - inset)

    def y(v: int) -> float:
        return top + plot_h * (1 - v / 100)

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
            'stroke-width="1"/>'
            '<text x="{}" y="{}" font-size="12" text-anchor="end" '
            'fill="{}">{}%</text>',
            left,
            y(v),
            width - right,
            y(v),
            GREY,
            left - 6,
            y(v) + 4,
            TEXT,
            v,
        )
        for v in (0, 25, 50, 75, 100)
    ]
    coords = [(x(i), y(s)) for i, (_, s) in enumerate(points) if s is not None]
    if len(coords) > 1:
        parts.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="3" '
                'points="{}"/>',
                BLUE,
                " ".join(f"{a:.1f},{b:.1f}" for a, b in coords),
            )
        )
    for i, (label, score) in enumerate(points):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="middle" '
                'fill="{}">{}</text>',
                x(i),
                height - bottom + 20,
                TEXT,
                label,
            )
        )
        if score is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="12" '
                    'text-anchor="middle" fill="{}">{}%</text>',
                    x(i),
                    y(score),
                    BLUE,
                    x(i),
                    y(score) - 10,
                    TEXT,
                    score,
                )
            )
    desc = "; ".join(
        f"{label}: {'no score' if s is None else f'{s}%'}"
        for label, s in points
    )
    return _frame(width, height, title, desc, "".join(parts))


def bars(rows: list[tuple[str, int | None]], *, title: str) -> SafeString:
    """One horizontal bar per row (a score 0-100), labelled."""
    label_w, bar_w, row_h = 260, 320, 28
    width = label_w + bar_w + 60
    height = row_h * max(len(rows), 1) + 10
    parts = []
    for i, (label, score) in enumerate(rows):
        top = 5 + i * row_h
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="end" '
                'fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                label_w - 8,
                top + 17,
                TEXT,
                label if len(label) <= 36 else label[:35] + "…",
                label_w,
                top + 4,
                bar_w,
                row_h - 10,
                "#f3f2f1",
            )
        )
        if score is not None:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" '
                    'fill="{}"/><text x="{}" y="{}" font-size="13" '
                    'fill="{}">{}%</text>',
                    label_w,
                    top + 4,
                    round(bar_w * score / 100, 1),
                    row_h - 10,
                    BLUE,
                    label_w + bar_w + 6,
                    top + 17,
                    TEXT,
                    score,
                )
            )
        else:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="13" fill="{}">'
                    "not assessed</text>",
                    label_w + 6,
                    top + 17,
                    TEXT,
                )
            )
    desc = "; ".join(
        f"{label}: {'not assessed' if s is None else f'{s}%'}"
        for label, s in rows
    )
    return _frame(width, height, title, desc, "".join(parts))
