"""Generate the portal's country shapes from Natural Earth 1:50m (npm package world-atlas).

    make node && .venv/bin/python scripts/build_map.py

reads ``node_modules/world-atlas/countries-50m.json`` (TopoJSON, Natural Earth 1:50m admin-0
countries, public domain), decodes the arcs, simplifies each shared arc once (Douglas-Peucker,
so neighbours keep a common border), and writes
``src/ilms/web/portal/static/map/countries-50m.json``: ``{"source": ..., "countries":
{ISO3: [[ring, ...], ...]}}`` with rings of [lon, lat] rounded to 0.01 degree. Small islands
and states (Singapore, Brunei) keep their outline: a ring is never simplified below 4 points.
Deterministic: the same input always gives the same file (the file is committed; this script
reproduces it).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
TARGET = ROOT / "src" / "ilms" / "web" / "portal" / "static" / "map" / "countries-50m.json"
TOLERANCE = 0.03      # degrees (about 3 km): enough for a regional map, keeps small states
#: Natural Earth features without an ISO 3166 numeric id that still get a shape
NO_ISO = {"Kosovo": "XKX", "N. Cyprus": None, "Somaliland": None}


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            d = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm
                 else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5)
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def _ring(indexes: list[int], arcs: list, simple: list) -> list[list[float]]:
    def build(source):
        ring: list[tuple[float, float]] = []
        for i in indexes:
            arc = source[i] if i >= 0 else source[~i][::-1]
            ring.extend(arc[1:] if ring else arc)
        return ring
    ring = build(simple)
    if len(ring) < 4:            # a tiny island: keep its full outline
        ring = build(arcs)
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, 2), round(y, 2)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def iso3(feature: dict) -> str | None:
    name = feature.get("properties", {}).get("name", "")
    if "id" not in feature:
        return NO_ISO.get(name)
    found = pycountry.countries.get(numeric=feature["id"])
    return found.alpha_3 if found else None


def build(source: Path = SOURCE) -> dict:
    topo = json.loads(source.read_text())
    arcs = _arcs(topo)
    simple = [_simplify(a, TOLERANCE) for a in arcs]
    countries: dict[str, list] = {}
    for feature in topo["objects"]["countries"]["geometries"]:
        code = iso3(feature)
        if code is None or feature["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [feature["arcs"]] if feature["type"] == "Polygon" else feature["arcs"]
        shapes = [[_ring(r, arcs, simple) for r in polygon] for polygon in polygons]
        countries.setdefault(code, []).extend(shapes)
    return {"source": "Natural Earth 1:50m admin-0 countries (public domain), via npm world-atlas "
                      f"{json.loads((source.parent / 'package.json').read_text())['version']}; "
                      f"simplified to {TOLERANCE} degree by scripts/build_map.py",
            "countries": dict(sorted(countries.items()))}


def main() -> int:
    if not SOURCE.exists():
        print(f"error: {SOURCE} is missing: run `make node` first", file=sys.stderr)
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(build(), separators=(",", ":")) + "\n")
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
