"""Charts as server-side SVG: a time series (lines) or bars, readable without script, printable,
escaped as built. Each chart names the table that holds its data (``aria-describedby``)."""
from __future__ import annotations

import math
from html import escape
from typing import Sequence

from .render import number

#: categorical colours, distinguishable and at least 3:1 against white
COLOURS = ("#1f5fa8", "#d9480f", "#2b8a3e", "#862e9c", "#c2255c", "#0b7285", "#5c940d", "#e67700",
           "#495057", "#364fc7")
W, H, LEFT, RIGHT, TOP, BOTTOM = 760, 340, 64, 16, 16, 40


def _ticks(high: float, n: int = 5) -> list[float]:
    if high <= 0:
        return [0.0]
    step = 10 ** math.floor(math.log10(high / n))
    for m in (1, 2, 2.5, 5, 10):
        if high / (step * m) <= n:
            step *= m
            break
    return [i * step for i in range(int(high / step) + 2) if i * step <= high + step * 0.999]


def _frame(title: str, table_id: str, height: int) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" role="img" '
            f'aria-labelledby="chart-title" aria-describedby="{escape(table_id)}">'
            f'<title id="chart-title">{escape(title)}</title>']


def line_chart(title: str, periods: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               table_id: str) -> tuple[str, list[tuple[str, str]]]:
    """(SVG, legend [(label, colour)]): one line per series over ``periods``."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = max(values) if values else 1.0
    ticks = _ticks(top)
    ymax = max(ticks[-1], top) or 1.0
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    x = (lambda i: LEFT + (pw * i / (len(periods) - 1) if len(periods) > 1 else pw / 2))
    y = (lambda v: TOP + ph - ph * v / ymax)
    out = _frame(title, table_id, H)
    for t in ticks:
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#d0d7de"/>'
                   f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="12" fill="#4a5563">{number(t)}</text>')
    every = max(1, math.ceil(len(periods) / 12))
    for i, p in enumerate(periods):
        if i % every == 0 or i == len(periods) - 1:
            out.append(f'<text x="{x(i):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" font-size="12" '
                       f'fill="#4a5563">{escape(p)}</text>')
    legend = []
    for n, (label, vs) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        legend.append((label, colour))
        points = [(x(i), y(v), v, periods[i]) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            d = "M" + "L".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for px, py, v, p in points:
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}">'
                       f'<title>{escape(label)}, {escape(p)}: {number(v)}</title></circle>')
    out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{TOP + ph}" y2="{TOP + ph}" stroke="#4a5563"/></svg>')
    return "".join(out), legend


def bar_chart(title: str, bars: Sequence[tuple[str, float | None]], table_id: str) -> str:
    """Horizontal bars, one per label (largest first is the caller's choice)."""
    bar, gap, label_w = 22, 8, 250
    height = TOP + len(bars) * (bar + gap) + 24
    top = max([v for _, v in bars if v is not None] or [1.0])
    ticks = _ticks(top)
    xmax = max(ticks[-1], top) or 1.0
    pw = W - label_w - RIGHT - 56
    out = _frame(title, table_id, height)
    for t in ticks:
        tx = label_w + pw * t / xmax
        out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{TOP}" y2="{height - 20}" stroke="#e3e7ec"/>'
                   f'<text x="{tx:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" fill="#4a5563">{number(t)}</text>')
    for i, (label, v) in enumerate(bars):
        by = TOP + i * (bar + gap)
        short = label if len(label) <= 38 else label[:36] + "…"
        out.append(f'<text x="{label_w - 8}" y="{by + bar / 2 + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="#1b1f24">{escape(short)}</text>')
        if v is None:
            out.append(f'<text x="{label_w + 4}" y="{by + bar / 2 + 4:.1f}" font-size="12" fill="#4a5563">no value</text>')
            continue
        bw = max(1.0, pw * v / xmax)
        out.append(f'<rect x="{label_w}" y="{by}" width="{bw:.1f}" height="{bar}" rx="2" fill="{COLOURS[0]}">'
                   f'<title>{escape(label)}: {number(v)}</title></rect>'
                   f'<text x="{label_w + bw + 4:.1f}" y="{by + bar / 2 + 4:.1f}" font-size="12" fill="#1b1f24">{number(v)}</text>')
    out.append("</svg>")
    return "".join(out)
