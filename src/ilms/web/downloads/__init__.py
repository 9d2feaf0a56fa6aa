"""Downloads and status pages: ``/downloads/...`` (``router``) and ``/status`` (``status``).

JSON and HTML from the same routes: ``?format=json|html`` chooses, else the ``Accept`` header
(HTML when it prefers ``text/html``, JSON otherwise). See docs/downloads.md.
"""
