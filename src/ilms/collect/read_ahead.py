"""A file read ahead in a forked child while the load writes: the parse on one core, the
database on the other, the load still one transaction of the parent.

``read_ahead(batches, log)`` runs ``batches(child_log)`` (a reader's ``read_batches``) in a child
process forked for it, which sends each ``RowBatch`` (pickled) through a pipe as soon as it is
read: up to several batches ahead (the pipe is widened to ``PIPE_BYTES`` where the system
allows), the parent writing the ones before meanwhile. The parent gets the batches the reader would have given it in process, in the same
order, with the same error after them: a bad row is the same ``ReadError`` at the same point of
the load (after the rows before it were handed on), and an error the child meets outside a batch
(a file without the required columns, say) is raised by the parent when it gets there. What the
reader skipped (``ReadLog``) is added to the parent's log at the end.

The child only reads. It never uses the parent's database connections: it ends by ``os._exit``
(multiprocessing's rule for a forked process), finalising none of them, and runs without the
cyclic garbage collector (forked with it off: its rows make no cycles), so that it does not
finalise one that was garbage in the parent either. A parent that stops early (a refused row, a
database error) terminates the child.

``worth_reading_ahead(path)``: when ``collect.load`` does it. Only when ``ILMS_LOAD_READ_AHEAD``
is ``1`` (off by default: on a shared machine, whose other core was busy, it saved the parent a
quarter of its CPU but no wall time, and it costs some CPU of its own; to be measured on quiet
cores), for a file of at least ``MIN_BYTES`` (a fork and a pipe cost a few milliseconds), with a
POSIX fork, and a parent with no other thread (the child of a threaded process may inherit a
lock that another thread held: a load in a threaded web server reads in process).
"""
from __future__ import annotations

import fcntl
import gc
import multiprocessing
import os
import pickle
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .registry import ReadLog

ENV = "ILMS_LOAD_READ_AHEAD"

#: files smaller than this are read in process
MIN_BYTES = 1 << 20


def worth_reading_ahead(path: Path) -> bool:
    if os.environ.get(ENV, "").strip() != "1":
        return False
    try:
        size = Path(path).stat().st_size
    except OSError:
        return False                  # the reader, in process, says what is wrong with the file
    return (size >= MIN_BYTES and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


class _ParentGone(Exception):
    """The parent closed its end of the pipe: it stopped the load."""


def _send(pipe, message) -> None:
    try:
        pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        pipe.flush()
    except OSError:
        raise _ParentGone from None


def _child(batches: Callable[[ReadLog], Iterable], parent_end: int, own_end: int) -> None:
    os.close(parent_end)              # else a parent that stopped reading would not be noticed
    log = ReadLog()
    with open(own_end, "wb") as pipe:
        try:
            try:
                for batch in batches(log):
                    _send(pipe, ("batch", batch))
                message = ("end", log.skipped)
            except _ParentGone:
                return
            except Exception as exc:  # noqa: BLE001 -- raised by the parent, where the load is
                try:
                    pickle.dumps(exc)
                except Exception:     # noqa: BLE001 -- an exception that does not pickle
                    exc = RuntimeError(f"{type(exc).__name__}: {exc}")
                message = ("error", exc)
            _send(pipe, message)
        except _ParentGone:
            pass


#: how much the pipe holds where the system lets it be widened (Linux): several batches
PIPE_BYTES = 1 << 20


def _widen(pipe_end: int) -> None:
    """Let the child be several batches ahead, not one: a parent slowed for a moment (a busy
    machine, a checkpoint) then finds the next batches read."""
    try:
        fcntl.fcntl(pipe_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass                          # not Linux, or over the system's limit: the default pipe


def read_ahead(batches: Callable[[ReadLog], Iterable], log: ReadLog | None) -> Iterator:
    """The batches of ``batches(log)``, read in a forked child (see the module's docstring). Close
    the iterator (``contextlib.closing``) when not reading it to the end: that ends the child."""
    parent_end, child_end = os.pipe()
    _widen(child_end)
    collecting = gc.isenabled()
    gc.disable()                      # inherited by the child, which never collects (see above)
    try:
        child = multiprocessing.get_context("fork").Process(
            target=_child, args=(batches, parent_end, child_end), daemon=True, name="ilms-read-ahead")
        child.start()
    except BaseException:
        os.close(parent_end)
        raise
    finally:
        if collecting:
            gc.enable()
        os.close(child_end)
    # a file object, not a multiprocessing Connection: closing it twice (here, and by the
    # collector when the load's error and this generator are garbage together) is harmless
    with open(parent_end, "rb") as pipe:
        try:
            while True:
                try:
                    kind, payload = pickle.load(pipe)
                except EOFError:
                    child.join()
                    raise RuntimeError(f"the process reading the file ended before the file did "
                                       f"(exit code {child.exitcode})") from None
                if kind == "batch":
                    yield payload
                elif kind == "error":
                    raise payload
                else:
                    if log is not None:
                        log.skipped.update(payload)
                    return
        finally:
            pipe.close()
            if child.is_alive():
                child.terminate()
            child.join()
