"""Turn the real DDF extracts in ../shared/realdata into ILOSTAT bulk-download CSV, at test time.

The DDF re-export lower-cases every code, turns '-' into '_', names the value column after the
indicator and drops source, status and notes (see shared/realdata/SOURCES.md). We restore the
ILOSTAT spelling from the codes the project knows (a code we do not know is upper-cased and left
for the loader to judge) and give each country a MADE-UP source id: the DDF files carry no source,
so "XA:9xx" / "BA:9xx" below are plausible inventions, not ILOSTAT's real source ids.
"""
from __future__ import annotations

import csv
from pathlib import Path

from ilms.tables import structure

#: Real extracts used by the round-trip tests (file -> ILMS table).
DDF_FILES = {
    "ilostat_ddf_mna_oemp_sex_cds_nb_asean.csv": 15,
    "ilostat_ddf_mna_tpop_sex_crs_nb_asean.csv": 13,
    "ilostat_ddf_mna_oemp_sex_eco_nb_asean.csv": 16,
    "ilostat_ddf_mna_oemp_sex_ocu_nb_idn.csv": 17,
    "ilostat_ddf_mst_temp_sex_eco_cbr_nb_brn_female_partial.csv": 5,
}

_COUNTRIES = ("BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM")

HEADER = ["ref_area", "source", "indicator", "sex", "classif1", "classif2", "time", "obs_value",
          "obs_status", "note_classif", "note_indicator", "note_source"]


def made_up_source(ref_area: str, indicator: str) -> str:
    """A plausible but INVENTED ILOSTAT source id, one per country (surveys for stock tables)."""
    kind = "BA" if indicator.startswith("MST") else "XA"
    return f"{kind}:{900 + _COUNTRIES.index(ref_area)}"


def ilostat_spelling() -> dict[str, str]:
    """DDF spelling -> ILOSTAT spelling of every classification code the declarations know."""
    s = structure()
    known: set[str] = set()
    for table in s.tables.values():
        for m in table.ilostat:
            for c in m.classifs:
                codelist = table.dimension(c.dimension).codelist
                if c.prefix:
                    known |= {c.prefix + code.id for code in codelist}
                elif codelist.ilostat:
                    known |= set(codelist.ilostat[m.fixed["BASIS"]].values())
                else:
                    known |= {code.id for code in codelist}
    return {code.lower().replace("-", "_"): code for code in known}


def ddf_rows(path: Path, *, keep_unknown: bool = False):
    """ILOSTAT rows (dicts) of a DDF extract; rows with codes the declarations lack are left out
    unless ``keep_unknown`` (then such codes are upper-cased, for the loader to refuse)."""
    spelling = ilostat_spelling()
    known = set(spelling.values())
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        indicator = reader.fieldnames[-1].upper()
        for row in reader:
            classifs = [spelling.get(row[c], row[c].upper()) if row.get(c) else "" for c in ("classif1", "classif2")]
            if not keep_unknown and any(c and c not in known for c in classifs):
                continue
            area = row["ref_area"].upper()
            yield {"ref_area": area, "source": made_up_source(area, indicator), "indicator": indicator,
                   "sex": row["sex"].upper(), "classif1": classifs[0], "classif2": classifs[1],
                   "time": row["time"], "obs_value": row[reader.fieldnames[-1]], "obs_status": "",
                   "note_classif": "", "note_indicator": "", "note_source": ""}


def write_bulk(path: Path, rows, *, with_classif2: bool = True) -> Path:
    header = HEADER if with_classif2 else [h for h in HEADER if h != "classif2"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def convert(shared: Path, name: str, dest: Path) -> Path:
    """One DDF extract as an ILOSTAT bulk CSV in ``dest`` (classif2 only for two-classif indicators)."""
    rows = list(ddf_rows(shared / "realdata" / name))
    two = any(r["classif2"] for r in rows)
    return write_bulk(dest / name.replace("ilostat_ddf_", "ilostat_bulk_"), rows, with_classif2=two)


def identity(row: dict) -> tuple:
    """What the round trip compares: (indicator, ref_area, source, sex, classif1, classif2, time, value)."""
    value = row["obs_value"]
    return (row["indicator"], row["ref_area"], row["source"], row["sex"], row["classif1"],
            row.get("classif2") or "", row["time"], float(value) if value != "" else None)
