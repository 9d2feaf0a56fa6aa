"""One stream, several writers: read the observations once and feed every file being written.

Writers (the tabular writer, the XLSX writer, the SDMX data writers) pull from an iterable. A
:class:`Fanout` runs each writer in its own thread over a bounded feed and pushes batches of
the one stream to all of them, so the database is read once however many files are written,
and memory stays at ``depth`` batches per writer. A failing writer stops the whole fan-out with
its own exception; the others are told to stop (their feed raises :class:`Aborted`).
"""
from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence

_END = object()
_ABORT = object()
_POLL = 0.2


class Aborted(RuntimeError):
    """The fan-out stopped before the stream ended (another writer or the reader failed)."""


@dataclass
class Handle:
    name: str
    feed: "queue.Queue" = field(repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)
    result: Any = None
    error: BaseException | None = None
    done: bool = False


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _items(feed: "queue.Queue") -> Iterator:
    while True:
        batch = feed.get()
        if batch is _END:
            return
        if batch is _ABORT:
            raise Aborted("the bulk build stopped")
        yield from batch


class Fanout:
    def __init__(self, depth: int = 4):
        self.depth = depth
        self.running: list[Handle] = []

    def start(self, name: str, writer: Callable[[Iterable], Any]) -> Handle:
        """Run ``writer(items)`` in a thread; ``items`` yields what ``send`` pushes."""
        handle = Handle(name, queue.Queue(self.depth))

        def run():
            try:
                handle.result = writer(_items(handle.feed))
            except BaseException as exc:        # noqa: BLE001 -- handed to the caller in finish()
                handle.error = exc
                _drain(handle.feed)

        handle.thread = threading.Thread(target=run, name=f"ilms-bulk-{name}", daemon=True)
        handle.thread.start()
        self.running.append(handle)
        return handle

    def _put(self, handle: Handle, item) -> None:
        while True:
            if handle.error is not None:
                raise handle.error
            try:
                handle.feed.put(item, timeout=_POLL)
                return
            except queue.Full:
                if not handle.thread.is_alive():
                    raise handle.error or Aborted(f"writer {handle.name} stopped")

    def send(self, handles: Sequence[Handle], batch: list) -> None:
        for handle in handles:
            self._put(handle, batch)

    def finish(self, handle: Handle):
        """End the handle's stream, wait for its writer and return its result (or raise its error)."""
        self._put(handle, _END)
        handle.thread.join()
        handle.done = True
        self.running.remove(handle)
        if handle.error is not None:
            raise handle.error
        return handle.result

    def abort(self) -> None:
        for handle in list(self.running):
            if handle.thread.is_alive():
                try:
                    handle.feed.put(_ABORT, timeout=5)
                except queue.Full:      # the writer is stuck elsewhere; it is a daemon thread
                    pass
            handle.thread.join(timeout=30)
            self.running.remove(handle)

    def __enter__(self) -> "Fanout":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None or self.running:
            self.abort()


def _drain(feed: "queue.Queue") -> None:
    """After a writer failed: empty its feed so a producer blocked on put() wakes up."""
    try:
        while True:
            feed.get_nowait()
    except queue.Empty:
        pass
