"""Statistical disclosure control: a confidential value must not be derivable from what is published.

* ``relations`` -- the additive relations the declarations imply (hierarchies, cross-table agreements);
* ``system`` -- the linear system the public faces for one cluster, over this and the previous release;
* ``suppression`` -- secondary suppression (integer programme + audit cuts, HiGHS);
* ``audit`` -- the LP audit: what the public can prove about each confidential cell;
* ``pattern`` -- the pattern stored with the release (cells, counts, checksum; never values);
* ``protect`` -- the release's life: pattern on create, audit, refusal to publish.

``is_suppressed(conn, release, table, key, time)`` tells code that derives figures whether a cell
is withheld from the public in a release.
"""
from .pattern import is_suppressed

__all__ = ["is_suppressed"]
