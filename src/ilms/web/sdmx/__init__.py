"""SDMX REST service: v1 (1.5.0) under ``/rest/`` and v2 (2.2.2) under ``/rest/v2/``, one query model."""
