"""Excel questionnaires: written from the table declarations, read back into observations.

``write_questionnaire(path, conn, country, year, prefill=)`` writes one workbook per country and
reference year; ``read_questionnaire(path)`` checks a filled one whole and gives its
``observations()`` and ``metadata``. The reader is registered as format ``questionnaire``.
See docs/questionnaire.md.
"""
from .reader import Questionnaire, QuestionnaireReader, read_questionnaire
from .writer import QuestionnaireError, Written, build, write_questionnaire

__all__ = ["Questionnaire", "QuestionnaireError", "QuestionnaireReader", "Written", "build", "read_questionnaire",
           "write_questionnaire"]
