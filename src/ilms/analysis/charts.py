"""The report's charts: matplotlib's SVG backend, deterministic (fixed ids, no dates), text as paths,
so the same data give the same bytes and the PDF gets them as vector graphics."""
from __future__ import annotations

import io
from typing import Sequence

import matplotlib

matplotlib.use("svg", force=False)
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

STYLE = {"svg.hashsalt": "ilms-report", "svg.fonttype": "path", "font.family": "DejaVu Sans", "font.size": 8,
         "axes.spines.top": False, "axes.spines.right": False}
COLOURS = ("#1f5fa8", "#e07b24", "#5a9e3a", "#9b4f96", "#c0392b", "#7f7f7f")


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = out.getvalue()
    return text[text.index("<svg"):]           # inline in HTML: no XML prolog or DOCTYPE


def bars(labels: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str, unit: str,
         horizontal: bool = False, width: float = 6.2, height: float = 2.6) -> str:
    """Grouped bars; a missing value (None) is left empty, never drawn as zero."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        n = max(len(series), 1)
        step = 0.8 / n
        for i, (name, values) in enumerate(series.items()):
            pos = [j - 0.4 + step * (i + 0.5) for j in range(len(labels))]
            kept = [(p, v) for p, v in zip(pos, values) if v is not None]
            if not kept:
                continue
            xs, ys = zip(*kept)
            if horizontal:
                ax.barh(xs, ys, height=step, label=name, color=COLOURS[i % len(COLOURS)])
            else:
                ax.bar(xs, ys, width=step, label=name, color=COLOURS[i % len(COLOURS)])
        if horizontal:
            ax.set_yticks(range(len(labels)), labels)
            ax.invert_yaxis()
            ax.set_xlabel(unit)
        else:
            ax.set_xticks(range(len(labels)), labels)
            ax.set_ylabel(unit)
        ax.set_title(title, loc="left", fontsize=9)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=7)
        return _svg(fig)
