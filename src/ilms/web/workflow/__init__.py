"""The collection workflow on the web: login and account (``login``), focal points (``collect``),
curators (``curate``) and admins (``admin``). Server-rendered Jinja, no scripts; every form
carries the session's CSRF token; every change is recorded in the audit log with the account.

The layout is one template (``templates/base.html``) so that it can later extend the public
portal's base layout.
"""
