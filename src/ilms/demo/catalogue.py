"""Source catalogue entries for the demonstration sources (each says it is synthetic)."""
from __future__ import annotations

from ..tables import structure
from . import DEMO_NOTICE
from .magnitudes import countries
from .plan import Source

BASES = {"BIR": "place of birth (migrants are the foreign-born)",
         "CIT": "citizenship (migrants are the non-citizens)",
         "_Z": "not applicable (nationals abroad and their outflows)"}


def entry(source: Source, seed: int) -> dict:
    """The catalogue fields of one demonstration source."""
    kind, country = source.kind, countries()[source.country]
    name = structure().codelists["CL_COUNTRY"].label(source.country)
    first, last = source.years[0], source.years[-1]
    return {
        "name": f"{name} — {kind.name} (synthetic)",
        "type": kind.type,
        "agency": country.nso if kind.agency == "nso" else f"{kind.agency} ({name})",
        "periodicity": kind.periodicity,
        "coverage": f"{kind.coverage}; tables {', '.join(map(str, kind.tables))}; {first}-{last}",
        "migrant_definition": "; ".join(BASES[b] for b in source.bases),
        "reference_period": kind.reference_period,
        "classifications": kind.classifications or None,
        "notes": (f"{DEMO_NOTICE}. A synthetic source invented for the ILMS demonstration dataset "
                  f"(ilms demo --seed {seed}); its numbers only have plausible orders of size."),
    }
