"""Small server-side SVG charts for the country and corridor pages: a line chart (values over
time), horizontal bars (a distribution or a ranking) and a flow diagram (a two-column Sankey).

No script, no inline style (the Content-Security-Policy forbids both): geometry and colours are SVG
attributes; text is escaped here. Each chart is an ``<svg role="img">`` with a title and a
description; the page shows the same numbers in a table next to it (the accessible alternative).

Each chart is drawn twice, for wide and for narrow screens (``svg.wide`` / ``svg.narrow``, one shown
by the stylesheet's media query): a chart scaled down to 360 px would have unreadable text.
"""
from __future__ import annotations

import math
from html import escape
from typing import Sequence

from markupsafe import Markup

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def _e(text) -> str:
    return escape(str(text), quote=True)


def nice_ticks(top: float, n: int = 4) -> list[float]:
    """0 and round steps up to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def short(value: float) -> str:
    """A tick or bar label: 1,250 · 12.5 · 0.42 · 1.2M."""
    v = abs(value)
    if value == 0:
        return "0"
    if v >= 1_000_000:
        return f"{value / 1_000_000:,.1f}M"
    if v >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}" if v >= 1 else f"{value:,.2f}"


WIDE, NARROW = 900, 360


def both(draw, **kw) -> Markup:
    """The chart for wide screens and the one for narrow screens."""
    wide = draw(width=WIDE, narrow=False, **kw)
    if not wide:
        return Markup("")
    return Markup(wide + draw(width=NARROW, narrow=True, **kw))


def _open(width: int, height: int, title: str, desc: str, css: str, narrow: bool = False) -> list[str]:
    css += " narrow" if narrow else " wide"
    return [f'<svg class="svg-chart {css}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
            f"<title>{_e(title)}</title><desc>{_e(desc)}</desc>"]


def line_chart(series: dict[str, Sequence[tuple[str, float | None]]], **kw) -> Markup:
    """One line per series over the union of their periods; a missing or confidential value
    breaks the line (never drawn as zero)."""
    return both(_line_chart, series=series, **kw)


def _line_chart(series, *, title: str, desc: str = "The same values are in the table below the chart.",
                unit: str = "", width: int, narrow: bool) -> str:
    height = 230 if narrow else 300
    periods = sorted({p for pts in series.values() for p, _ in pts})
    values = [v for pts in series.values() for _, v in pts if v is not None]
    if not periods or not values:
        return ""
    per_row = 1 if narrow else 2
    left, right, top, bottom = 48, 14, 24, 40 + 18 * ((len(series) + per_row - 1) // per_row)
    height += bottom - 58
    ticks = nice_ticks(max(values))
    ymax = ticks[-1] or 1
    pw, ph = width - left - right, height - top - bottom
    x = (lambda i: left + (pw * i / (len(periods) - 1) if len(periods) > 1 else pw / 2))
    y = (lambda v: top + ph - ph * v / ymax)
    out = _open(width, height, title, desc, "line-chart", narrow)
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#d0d5dd"/>')
        out.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="12" fill="#333">'
                   f"{_e(short(t))}</text>")
    step = max(1, math.ceil(len(periods) / (4 if narrow else 10)))
    for i, p in enumerate(periods):
        if i % step == 0 or i == len(periods) - 1:
            out.append(f'<text x="{x(i):.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
                       f'fill="#333">{_e(p)}</text>')
    for n, (name, pts) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        at = dict(pts)
        run: list[str] = []
        runs = []
        for i, p in enumerate(periods):
            v = at.get(p)
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                out.append(f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
            for point in r:
                cx, cy = point.split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="{colour}"/>')
        lx = left + (n % per_row) * (pw / 2)
        ly = top + ph + 38 + 18 * (n // per_row)
        out.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="14" height="4" fill="{colour}"/>'
                   f'<text x="{lx + 20:.1f}" y="{ly - 3}" font-size="12" fill="#222">{_e(name)}</text>')
    if unit:
        out.append(f'<text x="4" y="12" font-size="11" fill="#555">{_e(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(rows: Sequence[tuple[str, float | None]], **kw) -> Markup:
    """Horizontal bars, one per row, in the given order; a confidential row has no bar and says so.
    Wide: the label left of its bar; narrow: above it."""
    return both(_bar_chart, rows=list(rows), **kw)


def _bar_chart(rows, *, title: str, desc: str = "The same values are in the table next to the chart.",
               width: int, narrow: bool, label_width: int = 320, colour: str = PALETTE[0], fmt=short,
               confidential: str = "confidential") -> str:
    known = [v for _, v in rows if v is not None]
    if not rows or not known:
        return ""
    bar, gap, top = 16, 8, 4
    above = 15 if narrow else 0                      # the label's line above the bar
    x0 = 0 if narrow else label_width
    height = top + len(rows) * (bar + gap + above) + 4
    top_value = max(max(known), 0) or 1
    scale = (width - x0 - 64) / top_value
    chars = 50 if narrow else 46
    out = _open(width, height, title, desc, "bar-chart", narrow)
    for i, (label, v) in enumerate(rows):
        y0 = top + i * (bar + gap + above)
        text = label if len(label) <= chars else label[:chars - 2] + "…"
        if narrow:
            out.append(f'<text x="0" y="{y0 + 11}" font-size="12" fill="#222"><title>{_e(label)}</title>{_e(text)}</text>')
        else:
            out.append(f'<text x="{x0 - 8}" y="{y0 + 12}" text-anchor="end" font-size="12" fill="#222">'
                       f"<title>{_e(label)}</title>{_e(text)}</text>")
        yb = y0 + above
        if v is None:
            out.append(f'<text x="{x0 + 4}" y="{yb + 12}" font-size="12" fill="#555">{_e(confidential)}</text>')
            continue
        w = max(v * scale, 0)
        out.append(f'<rect x="{x0}" y="{yb}" width="{w:.1f}" height="{bar}" fill="{colour}"/>')
        out.append(f'<text x="{x0 + w + 4:.1f}" y="{yb + 12}" font-size="12" fill="#222">{_e(fmt(v))}</text>')
    out.append("</svg>")
    return "".join(out)


def sankey(flows: Sequence[tuple[str, str, float]], **kw) -> Markup:
    """Origins on the left, destinations on the right, one band per corridor, its width the value.
    Narrow: countries by their codes."""
    return both(_sankey, flows=list(flows), **kw)


def _sankey(flows, *, title: str, names: dict[str, str] | None = None,
            desc: str = "The same corridors are in the ranking table.", width: int, narrow: bool) -> str:
    flows = [(o, d, v) for o, d, v in flows if v and v > 0]
    if not flows:
        return ""
    names = {} if narrow else (names or {})
    height = 360 if narrow else 460
    origins = sorted({o for o, _, _ in flows}, key=lambda c: -sum(v for o, _, v in flows if o == c))
    dests = sorted({d for _, d, _ in flows}, key=lambda c: -sum(v for _, d, v in flows if d == c))
    pad, node_w, label_w, top, min_h = 4, 14, (50 if narrow else 200), 6, 13
    out_tot = {c: sum(v for o, _, v in flows if o == c) for c in origins}
    in_tot = {c: sum(v for _, d, v in flows if d == c) for c in dests}

    def scale(totals: dict) -> float:
        """Persons -> pixels so that the nodes fill the height, a small node kept ``min_h`` high
        (its label needs the room)."""
        usable = height - top * 2 - pad * (len(totals) - 1)
        small: set = set()
        for _ in range(len(totals)):
            big = sum(v for c, v in totals.items() if c not in small)
            k = (usable - min_h * len(small)) / big if big else 0
            more = {c for c, v in totals.items() if v * k < min_h}
            if more <= small:
                return k
            small |= more
        return k

    k = min(scale(out_tot), scale(in_tot))

    def place(codes, totals):
        pos, y = {}, top
        for c in codes:
            pos[c] = y
            y += max(totals[c] * k, min_h) + pad
        return pos

    oy, dy = place(origins, out_tot), place(dests, in_tot)
    cut = 4 if narrow else 26
    label = (lambda c: (lambda n: n if len(n) <= cut else n[:cut - 1] + "…")(names.get(c, c)))
    x0, x1 = label_w, width - label_w
    out = _open(width, height, title, desc, "sankey", narrow)
    o_off = {c: 0.0 for c in origins}
    d_off = {c: 0.0 for c in dests}
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(origins)}
    for o, d, v in sorted(flows, key=lambda f: (origins.index(f[0]), dests.index(f[1]))):
        w = v * k
        ya = oy[o] + o_off[o] + w / 2
        yb = dy[d] + d_off[d] + w / 2
        o_off[o] += w
        d_off[d] += w
        mid = (x0 + node_w + x1) / 2
        out.append(f'<path d="M{x0 + node_w},{ya:.1f} C{mid},{ya:.1f} {mid},{yb:.1f} {x1},{yb:.1f}" fill="none" '
                   f'stroke="{colour[o]}" stroke-opacity="0.45" stroke-width="{max(w, 1):.1f}">'
                   f"<title>{_e(names.get(o, o))} → {_e(names.get(d, d))}: {_e(short(v))}</title></path>")
    for c in origins:
        h = max(out_tot[c] * k, min_h)
        out.append(f'<rect x="{x0}" y="{oy[c]:.1f}" width="{node_w}" height="{h:.1f}" fill="{colour[c]}"/>'
                   f'<text x="{x0 - 6}" y="{oy[c] + h / 2 + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="#222"><title>{_e(names.get(c, c))}</title>{_e(label(c))}</text>')
    for c in dests:
        h = max(in_tot[c] * k, min_h)
        out.append(f'<rect x="{x1}" y="{dy[c]:.1f}" width="{node_w}" height="{h:.1f}" fill="#4b5563"/>'
                   f'<text x="{x1 + node_w + 6}" y="{dy[c] + h / 2 + 4:.1f}" font-size="12" '
                   f'fill="#222"><title>{_e(names.get(c, c))}</title>{_e(label(c))}</text>')
    out.append("</svg>")
    return "".join(out)
