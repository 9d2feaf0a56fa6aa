"""Collecting data: readers (one per format, registered in ``registry``), the load pipeline,
questionnaires and fetching from the ILO."""
