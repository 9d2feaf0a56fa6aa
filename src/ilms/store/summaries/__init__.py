"""Summaries of the published data for the portal, computed in SQL (GROUP BY, window functions),
never by loading a table into Python.

Every function takes a ``cut`` (a changeset id, from ``ilms.web.vintage.resolve``) and reads only
what was visible at that cut; confidential values come out as ``None`` and are never summed.

* ``availability`` — country x table x year: which sources and source types, how many values;
* ``corridors`` — origin x destination x year from every table with a partner country, reported by
  either side, and the mirror comparison of what origin and destination each report;
* ``profiles`` — a country's figures: stock, share of employment, distributions, wage gap,
  inflows, nationals abroad and their top destinations.
"""
