"""How an observation's flags appear in the one flag cell of a questionnaire.

The flag cell holds one code of CL_OBS_STATUS. ``C`` (confidential) marks the value as stored but
never published, as ILOSTAT's obs_status C does (the ILOSTAT reader reads it the same way:
status C, confidential). A confidential value with another status shows ``C``: confidentiality wins.
"""
from __future__ import annotations

from ...observation import Observation

CONFIDENTIAL = "C"


def flag_of(obs: Observation) -> str | None:
    return CONFIDENTIAL if obs.confidential else (obs.status or None)


def attributes_of(flag: str | None) -> dict:
    """Observation fields for a flag cell's code (already checked against CL_OBS_STATUS)."""
    return {"status": flag or None, "confidential": flag == CONFIDENTIAL}
