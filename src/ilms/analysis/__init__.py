"""Analysis of a release's data: declared indicators and regional aggregates, corridors, the UN DESA
context dataset, the source-quality map and the analytical report. One module per concern; the
web and CLI call these functions and hold no statistics of their own."""
