"""Disclosure control of a release: compute its pattern when it is created, audit it, refuse to
publish it when the audit fails.

The cells that can reveal a confidential cell are those its relations reach: the same country,
source, basis and period (sex, hierarchies and cross-table agreements never leave that cluster).
So only the clusters holding a confidential cell are read -- one small query each -- and each is
split further into connected components (``system.py``): the cost grows with the number of
confidential cells, not with the size of the release.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Connection, select

from ..observation import Observation
from ..store import releases
from ..store.read import Selection, observations, visible_at
from ..store.releases import Release, ReleaseError
from ..store.schema import observation, release, series
from . import lp, pattern
from .audit import Proof, audit_component, source_of
from .relations import CellId
from .settings import Settings
from .suppression import OBJECTIVE, Unprotectable, suppress_component
from .system import CURRENT, System, build, label

Cluster = tuple[str, str, str, str]          # ref_area, source, basis, period


class DisclosureError(ReleaseError):
    """The release cannot be protected or fails its audit; ``cells`` names them."""

    def __init__(self, message: str, cells: list[str] = ()):
        super().__init__(message)
        self.cells = list(cells)


def _named(cells: list[str], limit: int = 20) -> str:
    more = f" and {len(cells) - limit} more" if len(cells) > limit else ""
    return ", ".join(cells[:limit]) + more


def primaries(conn: Connection, cut: int) -> list[tuple[CellId, Cluster]]:
    """The confidential cells at ``cut``. A confidential flag on a cell without a value is refused."""
    rows = conn.execute(select(series.c.table_no, series.c.series_key, observation.c.time_period,
                               observation.c.value, series.c.ref_area, series.c.source, series.c.basis)
                        .join(series, series.c.id == observation.c.series_id)
                        .where(observation.c.confidential.is_(True), visible_at(cut),
                               observation.c.deleted.is_(False))).all()
    empty = sorted(f"T{t:02d} {k} {p}" for t, k, p, v, *_ in rows if v is None)
    if empty:
        raise DisclosureError(f"{len(empty)} cell(s) are flagged confidential but hold no value, so there is "
                              f"nothing to protect and nothing to publish: {_named(empty)}. Give them their value "
                              "(it stays confidential) or remove the flag.", empty)
    return sorted(((int(t), tuple(k.split(".")), p), (a, s, b, p)) for t, k, p, v, a, s, b in rows)


def previous_release(conn: Connection, found: Release) -> Release | None:
    """The published release the public can compare this one with: the latest published before it."""
    rows = conn.execute(select(release.c.name).where(release.c.published_at.is_not(None), release.c.name != found.name,
                                                     release.c.cut <= found.cut)
                        .order_by(release.c.cut.desc(), release.c.id.desc()).limit(1)).first()
    return releases.get(conn, rows.name) if rows else None


def _cluster(conn: Connection, cut: int, cl: Cluster) -> list[Observation]:
    area, source, basis, period = cl
    sel = Selection(filters={"REF_AREA": (area,), "SOURCE": (source,), "BASIS": (basis,)},
                    start=period, end=period, cut=cut)
    return [o for o in observations(conn, sel, public=False) if o.time == period]


@dataclass
class Analysis:
    release: Release
    previous: Release | None
    n_primary: int
    systems: list[tuple[Cluster, System]] = field(default_factory=list)


def analyse(conn: Connection, found: Release, settings: Settings,
            progress: Callable[[int], None] | None = None) -> Analysis:
    prims = primaries(conn, found.cut)
    prev = previous_release(conn, found)
    hidden = set(pattern.cells(conn, prev.name)) if prev else set()
    out = Analysis(found, prev, len(prims))
    for cl in sorted({c for _, c in prims}):
        before = _cluster(conn, prev.cut, cl) if prev else ()
        system = build(_cluster(conn, found.cut, cl), previous=before, previous_hidden=hidden)
        system.make_consistent(settings.time_limit)
        out.systems.append((cl, system))
        if progress:
            progress(1)
    return out


def _guard(targets: list[str], what: str):
    class Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, exc, tb):
            if isinstance(exc, lp.SolverTimeout):
                raise DisclosureError(f"the {what} timed out (ILMS_DISCLOSURE_TIME_LIMIT) for the cells "
                                      f"{_named(targets)}; nothing was changed", targets) from exc
            if isinstance(exc, lp.SolverFailure):
                raise DisclosureError(f"the solver failed ({exc}) in the {what} of the cells {_named(targets)}; "
                                      "nothing was changed", targets) from exc
            if isinstance(exc, Unprotectable):
                raise DisclosureError(str(exc), exc.cells) from exc
            return False
    return Guard()


def _targets(comp) -> list[str]:
    return [label(c.cell) for c in comp.columns() if c.target]


def protect_release(conn: Connection, found: Release, settings: Settings | None = None,
                    progress: Callable[[int], None] | None = None, outcomes: list | None = None) -> pattern.Pattern:
    """Compute and store the secondary suppression pattern of an unpublished release (``outcomes``:
    a list that receives each component's ``suppression.Outcome``, e.g. for a benchmark)."""
    settings = settings or Settings.from_env()
    if found.published:
        raise ReleaseError(f"release {found.name!r} is published: its pattern is final")
    started = time.monotonic()
    analysis = analyse(conn, found, settings, progress)
    withheld: list[CellId] = []
    for _, system in analysis.systems:
        for comp in system.components():
            with _guard(_targets(comp), "suppression"):
                outcome = suppress_component(comp, settings)
            if outcomes is not None:
                outcomes.append(outcome)
            withheld.extend(system.columns[j].cell for j in outcome.withheld
                            if system.columns[j].release == CURRENT)
    return pattern.replace(conn, found.name, withheld, n_primary=analysis.n_primary, objective=OBJECTIVE,
                           protection=settings.protection, seconds=time.monotonic() - started)


def protect(conn: Connection, name: str, settings: Settings | None = None,
            progress: Callable[[int], None] | None = None) -> pattern.Pattern:
    """(Re)compute the pattern of unpublished release ``name`` and retake its checksum."""
    found = releases.get(conn, name)
    if found is None:
        raise ReleaseError(f"no release named {name!r}")
    made = protect_release(conn, found, settings, progress)
    releases.refresh_checksum(conn, name)
    return made


@dataclass(frozen=True)
class Audit:
    release: str
    previous: str | None
    protection: float
    proofs: tuple[Proof, ...]
    n_secondary: int
    has_pattern: bool
    seconds: float
    #: the per-source rules that applied to some cell (source code -> protection share)
    rules: tuple[tuple[str, float], ...] = ()

    @property
    def failures(self) -> tuple[Proof, ...]:
        return tuple(p for p in self.proofs if not p.ok)

    @property
    def ok(self) -> bool:
        return not self.failures


def audit(conn: Connection, name: str, settings: Settings | None = None,
          progress: Callable[[int], None] | None = None) -> Audit:
    """Prove, with the solver, what the public can derive about each confidential cell of release
    ``name`` from the release as published (its pattern applied) and the previous published release."""
    settings = settings or Settings.from_env()
    found = releases.get(conn, name)
    if found is None:
        raise ReleaseError(f"no release named {name!r}")
    started = time.monotonic()
    stored = pattern.get(conn, name)
    secondary = set(pattern.cells(conn, name))
    analysis = analyse(conn, found, settings, progress)
    proofs: list[Proof] = []
    for _, system in analysis.systems:
        withheld = {system.index[(CURRENT, c)] for c in secondary if (CURRENT, c) in system.index}
        for comp in system.components():
            with _guard(_targets(comp), "audit"):
                proofs.extend(audit_component(comp, settings, withheld))
    proofs.sort(key=lambda p: (p.column.cell, p.column.release))
    own = sorted({source_of(p.column.cell) for p in proofs} & set(settings.rules))
    return Audit(name, analysis.previous.name if analysis.previous else None, settings.protection, tuple(proofs),
                 len(secondary), stored is not None, time.monotonic() - started,
                 tuple((s, settings.rules[s].protection) for s in own))


def require_protected(conn: Connection, found: Release) -> None:
    """The publish check: refuse a release whose audit fails, naming the cells."""
    result = audit(conn, found.name)
    if result.ok:
        return
    failing = [label(p.column.cell) + (" (as in the previous release)" if p.column.release != CURRENT else "")
               for p in result.failures]
    raise DisclosureError(
        f"release {found.name!r} fails its disclosure audit: {len(failing)} confidential cell(s) can be derived "
        f"from what would be published, or narrowed below their protection range ({_ranges(result)}): "
        f"{_named(failing)}. "
        f"Nothing was published; recompute its pattern with `ilms release protect {found.name}`.", failing)


def _ranges(result: Audit) -> str:
    return ", ".join([f"+-{result.protection:.0%}"] + [f"source {s}: +-{share:.0%}" for s, share in result.rules])


def report_lines(result: Audit) -> list[str]:
    """The audit as text, one line per confidential cell (for curators: it shows the real values)."""
    lines = [f"release {result.release}: {len(result.proofs)} confidential cell(s), {result.n_secondary} "
             f"secondary cell(s) withheld" + ("" if result.has_pattern else " (no pattern stored)")
             + (f"; compared with the previous published release {result.previous}" if result.previous else ""),
             f"protection required: +-{result.protection:.0%} of the value"
             + "".join(f"; source {s}: +-{share:.0%} (its rule)" for s, share in result.rules)
             + f"; audited in {result.seconds:.2f} s",
             f"{'cell':<48} {'value':>12} {'public lower':>13} {'public upper':>13}  verdict"]
    for p in result.proofs:
        where = label(p.column.cell) + ("" if p.column.release == CURRENT else " [previous]")
        verdict = "OK" if p.ok else ("EXACT" if p.exact else "TOO NARROW")
        lines.append(f"{where:<48} {p.column.value:>12.6g} {p.lower:>13.6g} {p.upper:>13.6g}  {verdict}")
    lines.append("audit: PASSED" if result.ok else f"audit: FAILED for {len(result.failures)} cell(s)")
    return lines
