"""Accounts, roles, sessions, API tokens, the audit log and the outbox (docs/accounts.md).

* ``accounts`` -- who: focal points (with their countries), curators, admins; passwords (Argon2id);
  login with throttling;
* ``permissions`` -- what each role may do (one place, used by the web and the tests);
* ``sessions`` -- server-side web sessions with their CSRF token;
* ``tokens`` -- API tokens for machine uploads: shown once, stored hashed, revocable, scoped;
* ``audit`` -- every change made through the web, with the account that made it;
* ``outbox`` -- messages to send, and the pluggable mail adapters that send them.
"""
