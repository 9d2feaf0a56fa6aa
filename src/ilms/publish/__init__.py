"""Publishing data: the tabular writer (all CSV/XLSX output), ILOSTAT and tidy exports, SDMX, bulk downloads."""
