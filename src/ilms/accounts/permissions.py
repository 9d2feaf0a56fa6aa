"""What each role may do: one place, called by the web routes and the tests alike."""
from __future__ import annotations

from .accounts import Account


def may_submit_for(who: Account | None, country: str | None) -> bool:
    """Focal points for their countries; curators and admins for any (on a focal point's behalf)."""
    if who is None or who.disabled:
        return False
    return who.is_curator or (country is not None and country in who.countries)


def may_see_submission(who: Account | None, ref_area: str | None) -> bool:
    return may_submit_for(who, ref_area)


def may_curate(who: Account | None) -> bool:
    """Accept, return, correct, annotate, create and publish releases."""
    return who is not None and not who.disabled and who.is_curator


def may_administer(who: Account | None) -> bool:
    return who is not None and not who.disabled and who.is_admin
