"""The synthetic demonstration dataset: all 17 tables for the 11 ASEAN countries, 2010-2024.

Deterministic from a seed; internally consistent along every declared hierarchy and across
tables; published as a release marked synthetic. Everything that shows it must say
``DEMO_NOTICE``.
"""
DEMO_NOTICE = "demonstration data — not official statistics"

__all__ = ["DEMO_NOTICE"]
