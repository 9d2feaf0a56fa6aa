"""Accounts, passwords, login throttling, sessions, API tokens, audit and outbox, on both backends."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from ilms.accounts import accounts, audit, outbox, permissions, sessions, tokens
from ilms.accounts.passwords import WeakPassword
from ilms.cli import main
from ilms.store.schema import account as account_table, web_session

PASSWORD = "correct horse battery"


def test_roles_countries_and_password_hashing(conn):
    ana = accounts.add(conn, "ana", "focal-point", countries="tha,vnm", password=PASSWORD)
    assert ana.countries == ("THA", "VNM") and ana.role == "focal-point" and not ana.is_curator
    stored = conn.execute(select(account_table.c.password_hash).where(account_table.c.name == "ana")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(accounts.AccountError, match="at least one country"):
        accounts.add(conn, "bob", "focal-point", password=PASSWORD)
    with pytest.raises(accounts.AccountError, match="only focal points"):
        accounts.add(conn, "cur", "curator", countries="THA", password=PASSWORD)
    with pytest.raises(accounts.AccountError, match="unknown country"):
        accounts.add(conn, "bob", "focal-point", countries="XXX", password=PASSWORD)
    with pytest.raises(accounts.AccountError, match="role must be"):
        accounts.add(conn, "bob", "king", password=PASSWORD)
    with pytest.raises(WeakPassword):
        accounts.add(conn, "bob", "curator", password="short")
    with pytest.raises(accounts.AccountError, match="exists already"):
        accounts.add(conn, "ana", "curator", password=PASSWORD)
    assert accounts.authenticate(conn, "ana", PASSWORD).name == "ana"
    with pytest.raises(accounts.AccountError, match="wrong name or password"):
        accounts.authenticate(conn, "ana", PASSWORD + "!")
    with pytest.raises(accounts.AccountError, match="wrong name or password"):
        accounts.authenticate(conn, "nobody", PASSWORD)
    accounts.update(conn, "ana", disabled=True)
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(conn, "ana", PASSWORD)


def test_login_is_throttled_after_repeated_failures(conn):
    accounts.add(conn, "ana", "curator", password=PASSWORD)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(conn, "ana", "wrong password", client="10.0.0.1")
    with pytest.raises(accounts.Throttled, match="too many failed logins"):
        accounts.authenticate(conn, "ana", PASSWORD, client="10.0.0.1")   # even the right password


def test_permissions_by_role_and_country(conn):
    fp = accounts.add(conn, "ana", "focal-point", countries="THA", password=PASSWORD)
    cur = accounts.add(conn, "cur", "curator", password=PASSWORD)
    adm = accounts.add(conn, "adm", "admin", password=PASSWORD)
    assert permissions.may_submit_for(fp, "THA") and not permissions.may_submit_for(fp, "VNM")
    assert not permissions.may_curate(fp) and permissions.may_curate(cur) and permissions.may_curate(adm)
    assert not permissions.may_administer(cur) and permissions.may_administer(adm)
    assert not permissions.may_submit_for(None, "THA")


def test_sessions_expire_and_end_when_the_account_is_disabled(conn):
    ana = accounts.add(conn, "ana", "curator", password=PASSWORD)
    value, session = sessions.start(conn, ana, ttl=dt.timedelta(minutes=5))
    found = sessions.find(conn, value)
    assert found.account.name == "ana" and sessions.csrf_ok(found, session.csrf)
    assert not sessions.csrf_ok(found, session.csrf[:-1] + "x") and not sessions.csrf_ok(found, None)
    stored = conn.execute(select(web_session.c.token_hash)).scalar_one()
    assert value not in stored                                   # only its hash is kept
    conn.execute(update(web_session).values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
    assert sessions.find(conn, value) is None
    value, _ = sessions.start(conn, ana, ttl=dt.timedelta(minutes=5))
    accounts.update(conn, "ana", disabled=True)
    assert sessions.find(conn, value) is None


def test_tokens_are_hashed_scoped_and_revocable(conn):
    accounts.add(conn, "ana", "focal-point", countries="THA,VNM", password=PASSWORD)
    token = tokens.create(conn, "ana", label="upload script", countries="THA")
    (listed,) = tokens.listing(conn, "ana")
    assert token.startswith(f"ilms_{listed.prefix}_") and listed.countries == ("THA",)
    who = tokens.authenticate(conn, token)
    assert who.name == "ana" and who.countries == ("THA",)           # narrowed to the token's scope
    assert tokens.authenticate(conn, token[:-2] + "zz") is None
    with pytest.raises(accounts.AccountError, match="does not hold"):
        tokens.create(conn, "ana", countries="PHL")
    tokens.revoke(conn, listed.prefix)
    assert tokens.authenticate(conn, token) is None


def test_audit_and_outbox(conn):
    ana = accounts.add(conn, "ana", "curator", password=PASSWORD)
    audit.record(conn, ana, "release.publish", target="release 2026-1", origin="/curate/releases",
                 detail={"when": "now"})
    (entry,) = audit.entries(conn)
    assert (entry.actor, entry.action, entry.target, entry.origin) == ("ana", "release.publish", "release 2026-1",
                                                                       "/curate/releases")
    outbox.queue(conn, "ana@example.org", "Deadline", "The round closes on 31 March.")
    assert outbox.deliver(conn, "store") == 0                        # the default adapter only stores
    (message,) = outbox.messages(conn)
    assert message.sent_at is None and message.subject == "Deadline"
    with pytest.raises(KeyError, match="no mail adapter"):
        outbox.deliver(conn, "carrier-pigeon")


def test_cli_user_add_and_token_create(env_database):
    runner = CliRunner()
    done = runner.invoke(main, ["user", "add", "ana", "--role", "focal-point", "--country", "THA",
                                "--password-stdin"], input=PASSWORD + "\n")
    assert done.exit_code == 0, done.output
    assert "focal-point for THA" in done.output
    refused = runner.invoke(main, ["user", "add", "bob", "--role", "admin", "--password-stdin"], input="short\n")
    assert refused.exit_code == 2 and "at least" in refused.output
    made = runner.invoke(main, ["token", "create", "ana"])
    assert made.exit_code == 0 and made.stdout.strip().startswith("ilms_")
    listed = runner.invoke(main, ["token", "list"])
    secret = made.stdout.strip().split("_", 2)[2]          # ilms_<prefix>_<secret>; the secret may hold "_"
    assert "ana" in listed.output and secret and secret not in listed.output


def test_deadline_reminders_go_to_the_focal_points_of_countries_not_done(conn):
    from ilms.accounts import reminders
    from ilms.collect import rounds
    accounts.add(conn, "ana", "focal-point", countries="THA", password=PASSWORD, email="ana@example.org")
    accounts.add(conn, "vu", "focal-point", countries="VNM", password=PASSWORD)
    accounts.add(conn, "off", "focal-point", countries="THA", password=PASSWORD)
    accounts.update(conn, "off", disabled=True)
    rounds.open_round(conn, "ILMS 2026", years=[2025], deadline=dt.date(2026, 3, 31), countries=["THA", "LAO"],
                      by="cur")
    assert reminders.remind(conn, "ILMS 2026") == 1          # THA's active focal point; nobody holds LAO
    (message,) = outbox.messages(conn)
    assert message.recipient == "ana@example.org" and "2026-03-31" in message.subject and "THA" in message.subject
    with pytest.raises(Exception, match="no collection round"):
        reminders.remind(conn, "nope")


def test_the_default_hash_is_argon2id_with_its_recommended_cost(monkeypatch):
    from ilms.accounts import passwords
    monkeypatch.delenv("ILMS_ARGON2_PROFILE")
    stored = passwords.hash_secret(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify(stored, PASSWORD) and not passwords.verify(stored, PASSWORD + "x")
    assert not passwords.verify("not a hash", PASSWORD)
