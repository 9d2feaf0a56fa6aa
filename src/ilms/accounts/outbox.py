"""The outbox: messages (deadline reminders, status changes) are stored first, then handed to a
mail adapter. Adapters are registered by name; the default, ``store``, only keeps them (the
outbox is visible to admins). A real one (SMTP, an API) is one class and one registration."""
from __future__ import annotations

from typing import Callable, Protocol

from sqlalchemy import Connection, select

from ..store.changesets import now
from ..store.schema import outbox


class MailAdapter(Protocol):
    name: str

    def send(self, recipient: str, subject: str, body: str) -> bool:
        """Send one message; True when it left (then the message is marked sent)."""


ADAPTERS: dict[str, Callable[[], MailAdapter]] = {}


def register_adapter(name: str):
    def register(cls):
        ADAPTERS[name] = cls
        cls.name = name
        return cls
    return register


@register_adapter("store")
class StoreOnly:
    """Keep the messages in the outbox; send nothing."""

    def send(self, recipient: str, subject: str, body: str) -> bool:
        return False


def queue(conn: Connection, recipient: str, subject: str, body: str) -> int:
    return conn.execute(outbox.insert().values(created_at=now(), recipient=recipient, subject=subject,
                                               body=body)).inserted_primary_key[0]


def deliver(conn: Connection, adapter: str = "store") -> int:
    """Hand unsent messages to an adapter; returns how many were sent."""
    if adapter not in ADAPTERS:
        raise KeyError(f"no mail adapter {adapter!r} (known: {', '.join(sorted(ADAPTERS))})")
    sender = ADAPTERS[adapter]()
    sent = 0
    for row in conn.execute(select(outbox).where(outbox.c.sent_at.is_(None)).order_by(outbox.c.id)).fetchall():
        if sender.send(row.recipient, row.subject, row.body):
            conn.execute(outbox.update().where(outbox.c.id == row.id).values(sent_at=now(), adapter=adapter))
            sent += 1
    return sent


def messages(conn: Connection, *, limit: int = 200) -> list:
    return conn.execute(select(outbox).order_by(outbox.c.id.desc()).limit(limit)).fetchall()
