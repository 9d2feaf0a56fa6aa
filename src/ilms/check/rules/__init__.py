"""The rule catalogue. Importing this package registers every rule (one module per category)."""
from . import completeness, cross_table, mirror, structural, sums, time  # noqa: F401
