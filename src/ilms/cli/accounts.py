"""Accounts and API tokens: ``ilms user add|list|update|password``, ``ilms token create|list|revoke``."""
from __future__ import annotations

import sys

import click

from .base import fail, get_engine, main

ROLE_CHOICES = click.Choice(["admin", "curator", "focal-point"])


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@main.group("user")
def user_group():
    """Accounts: focal points (with their countries), curators and admins (docs/accounts.md)."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICES, required=True, help="What the account may do.")
@click.option("--country", "countries", metavar="THA,VNM", default="",
              help="The countries of a focal point (comma-separated ISO3 codes).")
@click.option("--email", help="Where the outbox addresses messages for this account.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def user_add(name, role, countries, email, password_stdin):
    """Create account NAME (asks for its password, or reads it with --password-stdin)."""
    from ..accounts import accounts, passwords
    password = _read_password(password_stdin)
    try:
        with get_engine().begin() as conn:
            who = accounts.add(conn, name, role, countries=countries, password=password, email=email)
    except (accounts.AccountError, passwords.WeakPassword) as exc:
        fail(str(exc), 2)
    where = f" for {', '.join(who.countries)}" if who.countries else ""
    click.echo(f"account {who.name}: {who.role}{where}")


@user_group.command("list")
def user_list():
    """List the accounts."""
    from ..accounts import accounts
    with get_engine().connect() as conn:
        rows = accounts.listing(conn)
    if not rows:
        click.echo("no accounts (create the first admin with `ilms user add NAME --role admin`)")
    for a in rows:
        state = "disabled" if a.disabled else "active"
        click.echo(f"{a.name:<24} {a.role:<12} {','.join(a.countries) or '-':<16} {state}")


@user_group.command("update")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICES)
@click.option("--country", "countries", metavar="THA,VNM", help="Replace the focal point's countries.")
@click.option("--disable/--enable", "disabled", default=None, help="Disable (ends its sessions) or enable.")
def user_update(name, role, countries, disabled):
    """Change an account's role, countries, or disable it."""
    from ..accounts import accounts
    try:
        with get_engine().begin() as conn:
            who = accounts.update(conn, name, role=role, countries=countries, disabled=disabled)
    except accounts.AccountError as exc:
        fail(str(exc), 2)
    click.echo(f"account {who.name}: {who.role} {','.join(who.countries)} {'disabled' if who.disabled else 'active'}")


@user_group.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def user_password(name, password_stdin):
    """Set a new password for NAME (ends its sessions)."""
    from ..accounts import accounts, passwords
    try:
        with get_engine().begin() as conn:
            accounts.set_password(conn, name, _read_password(password_stdin))
    except (accounts.AccountError, passwords.WeakPassword) as exc:
        fail(str(exc), 2)
    click.echo(f"password of {name} changed")


@main.group("token")
def token_group():
    """API tokens for machine uploads (POST /api/v1/submissions)."""


@token_group.command("create")
@click.argument("name")
@click.option("--label", help="What the token is for (shown in `ilms token list`).")
@click.option("--country", "countries", metavar="THA", help="Narrow it to some of the account's countries.")
def token_create(name, label, countries):
    """Print a new API token for account NAME, once: it is stored only hashed."""
    from ..accounts import accounts, tokens
    try:
        with get_engine().begin() as conn:
            token = tokens.create(conn, name, label=label, countries=countries)
    except accounts.AccountError as exc:
        fail(str(exc), 2)
    click.echo(token)
    click.echo("keep it now: it cannot be shown again (revoke it with `ilms token revoke PREFIX`)", err=True)


@token_group.command("list")
@click.argument("name", required=False)
def token_list(name):
    """List tokens (their prefixes, never the secrets)."""
    from ..accounts import tokens
    with get_engine().connect() as conn:
        rows = tokens.listing(conn, name)
    for t in rows:
        state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "live"
        click.echo(f"{t.prefix}  {t.account:<20} {state:<18} {','.join(t.countries or ()) or '-':<10} {t.label or ''}")


@token_group.command("revoke")
@click.argument("prefix")
def token_revoke(prefix):
    """Revoke the token whose prefix (the part after ``ilms_``) is PREFIX."""
    from ..accounts import accounts, tokens
    try:
        with get_engine().begin() as conn:
            tokens.revoke(conn, prefix)
    except accounts.AccountError as exc:
        fail(str(exc), 2)
    click.echo(f"token {prefix} revoked")


@main.group("outbox")
def outbox_group():
    """Messages to focal points: deadline reminders, and handing them to a mail adapter."""


@outbox_group.command("remind")
@click.argument("round_name")
def outbox_remind(round_name):
    """Queue a deadline reminder for each focal point of each country not yet accepted in ROUND_NAME."""
    from ..accounts import reminders
    from ..collect.rounds import RoundError
    try:
        with get_engine().begin() as conn:
            n = reminders.remind(conn, round_name)
    except RoundError as exc:
        fail(str(exc), 2)
    click.echo(f"{n} reminder(s) queued in the outbox")


@outbox_group.command("deliver")
@click.option("--adapter", default="store", show_default=True, help="The mail adapter (ilms.accounts.outbox).")
def outbox_deliver(adapter):
    """Hand unsent messages to a mail adapter (the default, `store`, keeps them only)."""
    from ..accounts import outbox
    try:
        with get_engine().begin() as conn:
            n = outbox.deliver(conn, adapter)
    except KeyError as exc:
        fail(str(exc.args[0]), 2)
    click.echo(f"{n} message(s) sent")
