"""Rows of the SDMX-CSV writers: RFC 4180 quoting, labels, one row per observation (or series)."""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from ....observation import Observation
from ...tabular import safe_field
from ....tables import TIME_DIMENSION
from ..artefacts import MEASURE
from .layout import Layout, number, sdmx_time, series
from .rows import ATTRIBUTE_FIELDS, AttributeTexts

EOL = "\r\n"


def field(value: str | None) -> str:
    """One CSV field: RFC 4180 quoting; text a spreadsheet would run as a formula gets a leading
    apostrophe (``publish.tabular.safe_field``), as in every CSV the system writes."""
    if value is None:
        return ""
    value = safe_field(value)
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def line(values: Iterable[str | None]) -> str:
    return ",".join(field(v) for v in values) + EOL


def _dimensions(layout: Layout) -> list[str]:
    return list(layout.all_dimensions if layout.with_observations else layout.dimensions)


def components(layout: Layout) -> list[str]:
    return _dimensions(layout) + list(layout.measures) + list(layout.attributes)


def union_components(layouts: Sequence[Layout]) -> list[str]:
    """The columns of a message over several dataflows (SDMX-CSV 2.x field guide): the dimensions of
    the first structure, then the remaining dimensions of the next, ...; then the measures; then
    the attributes, likewise."""
    out: list[str] = []
    for part in (_dimensions, lambda lo: lo.measures, lambda lo: lo.attributes):
        for layout in layouts:
            out += [c for c in part(layout) if c not in out]
    return out


def component_header(layouts: Sequence[Layout], comp: str) -> list[str]:
    """The column header(s) of a component; its name from the first structure that has it."""
    layout = next((lo for lo in layouts if comp in components(lo)), layouts[0])
    labels = layout.options.labels
    if labels == "both":
        return [f"{comp}: {layout.component_name(comp)}"]
    if labels == "name":
        return [comp, layout.component_name(comp)]
    return [comp]


def _name(layout: Layout, comp: str, value: str) -> str | None:
    if comp == MEASURE:
        return None
    if comp in layout.attributes:
        return layout.attribute_name(comp, value) if layout.is_coded(comp) else None
    if comp == TIME_DIMENSION:
        return None
    return layout.code_name(comp, value)


def component_value(layout: Layout, comp: str, value: str | None) -> list[str | None]:
    labels = layout.options.labels
    if labels == "id":
        return [value]
    name = None if value is None else _name(layout, comp, value)
    if labels == "both":
        return [f"{value}: {name}" if value is not None and name is not None else value]
    if labels == "name":
        return [value, name]
    return [value]


def rows(layout: Layout, observations: Iterable[Observation], prefix: list[str],
         columns: Sequence[str] | None = None) -> Iterator[str]:
    """One line per observation (per series without observations); ``columns``: the message's
    components when it holds several dataflows (a component not in this one stays empty)."""
    comps = list(columns) if columns is not None else components(layout)
    if not layout.with_observations:
        for key, _ in series(observations):
            values = dict(zip(layout.dimensions, key))
            yield line(prefix + [v for c in comps for v in component_value(layout, c, values.get(c))])
        return
    if layout.options.labels == "id" and comps and len(set(comps)) == len(comps):
        yield from _id_rows(layout, observations, prefix, comps)
        return
    yield from reference_rows(layout, observations, prefix, comps)


def reference_rows(layout: Layout, observations: Iterable[Observation], prefix: list[str],
                   comps: Sequence[str]) -> Iterator[str]:
    """One line per observation, every component through ``component_value`` (any ``labels``)."""
    for obs in observations:
        values = dict(zip(layout.dimensions, obs.key))
        values[TIME_DIMENSION] = sdmx_time(obs.time)
        if layout.with_value:
            values[MEASURE] = layout.value(obs)
        values.update(zip(layout.attributes, layout.attribute_row(obs)))
        yield line(prefix + [v for c in comps for v in component_value(layout, c, values.get(c))])


#: at most this many distinct attribute tuples (or periods) are cached per message; then the cache
#: starts again (memory stays bounded whatever the data)
CACHE_LIMIT = 50_000


def _id_rows(layout: Layout, observations: Iterable[Observation], prefix: list[str],
             comps: Sequence[str]) -> Iterator[str]:
    """``reference_rows`` for ``labels=id`` (one cell per component), the same bytes: the quoted
    prefix and series-key cells are built once per series, the period's cell once per period, the
    attributes' cells once per distinct attribute tuple (observations share few); per observation
    only the value is formatted. tests/publish/sdmx/test_csv_fast_path.py compares the two."""
    slot = {c: i for i, c in reversed(list(enumerate(comps)))}        # first column of each component
    owner: dict[str, str] = {d: "key" for d in layout.dimensions}
    owner[TIME_DIMENSION] = "time"
    if layout.with_value:
        owner[MEASURE] = "value"
    for a in layout.attributes:
        owner[a] = "attribute"
    key_cells = [(slot[d], j) for j, d in enumerate(layout.dimensions) if d in slot and owner[d] == "key"]
    time_at = slot.get(TIME_DIMENSION) if owner.get(TIME_DIMENSION) == "time" else None
    value_at = slot.get(MEASURE) if owner.get(MEASURE) == "value" else None
    attribute_at = [slot.get(a) if owner[a] == "attribute" else None for a in layout.attributes]
    head = "".join(field(p) + "," for p in prefix)
    n = len(comps)
    attributes_of = layout.attribute_tuple
    with_value = layout.with_value
    times: dict[str, str] = {}
    attribute_texts: dict[tuple, object] = {}
    # the usual message (one dataflow): key cells, the period, the value, the attributes, in that order
    placed = [i for i, _ in key_cells] + ([time_at] if time_at is not None else []) + \
        ([value_at] if value_at is not None else []) + [i for i in attribute_at if i is not None]
    simple = placed == list(range(n)) and None not in attribute_at and time_at is not None
    if simple and hasattr(observations, "row_batches"):
        yield from _row_lines(layout, observations.row_batches(), head, [j for _, j in key_cells])
        return
    last_key, template, key_text = None, None, ""
    for obs in observations:
        if obs.key != last_key:
            last_key, template = obs.key, [""] * n
            for i, j in key_cells:
                if j < len(obs.key):
                    template[i] = field(obs.key[j])
            key_text = head + "".join(template[i] + "," for i, _ in key_cells)
        time_text = times.get(obs.time)
        if time_text is None:
            if len(times) >= CACHE_LIMIT:
                times.clear()
            time_text = times[obs.time] = field(sdmx_time(obs.time))
        attrs = attributes_of(obs)
        texts = attribute_texts.get(attrs)
        if texts is None:
            if len(attribute_texts) >= CACHE_LIMIT:
                attribute_texts.clear()
            cells = [field(v) for v in attrs]
            texts = attribute_texts[attrs] = ("," + ",".join(cells) if cells else "") if simple else cells
        if simple:
            if with_value:
                v = obs.value
                value = "" if v is None else number(v) or ""
                yield key_text + time_text + "," + value + texts + EOL
            else:
                yield key_text + time_text + texts + EOL
            continue
        cells = template.copy()
        if time_at is not None:
            cells[time_at] = time_text
        if value_at is not None:
            cells[value_at] = field(layout.value(obs))
        for i, v in zip(attribute_at, texts):
            if i is not None:
                cells[i] = v
        yield head + ",".join(cells) + EOL


def _row_lines(layout: Layout, batches: Iterable[list[tuple]], head: str, key_positions: list[int]) -> Iterator[str]:
    """``_id_rows``' usual message (key cells, period, value, attributes) from a read's driver tuples
    (``store.read.public_rows``: series key text, period, value, then the attributes, masked by the
    database), a batch of lines at a time: no ``Observation`` per row. An attribute tuple's cells
    are made through an ``Observation`` of its own, once per distinct tuple (``rows.AttributeTexts``):
    the same text as ``_id_rows``. tests/publish/sdmx/test_csv_fast_path.py compares the two."""
    with_value = layout.with_value
    times: dict[str, str] = {}
    attribute_texts = AttributeTexts(layout, lambda values: "," + ",".join(field(v) for v in values) if values else "",
                                     CACHE_LIMIT)
    last_key, key_text = None, ""
    for rows in batches:
        lines = []
        for row in rows:
            if row[0] != last_key:
                last_key = row[0]
                codes = last_key.split(".")
                key_text = head + "".join((field(codes[j]) if j < len(codes) else "") + "," for j in key_positions)
            time_text = times.get(row[1])
            if time_text is None:
                if len(times) >= CACHE_LIMIT:
                    times.clear()
                time_text = times[row[1]] = field(sdmx_time(row[1]))
            texts = attribute_texts[row[ATTRIBUTE_FIELDS]]
            if with_value:
                v = row[2]
                lines.append(key_text + time_text + "," + ("" if v is None else number(v) or "") + texts + EOL)
            else:
                lines.append(key_text + time_text + texts + EOL)
        yield "".join(lines)
