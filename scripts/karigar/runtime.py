"""Process-level tuning for big builds: the garbage collector, and forked worker pools.

A catalog build allocates millions of small objects that live until the
end (models, view values, jobs).  With CPython's default thresholds the
cyclic collector rescans that growing heap again and again: measured at
10,000 artisans it took 10 of 65 seconds of load+validate.  None of those
objects form garbage cycles worth chasing mid-build, so the thresholds are
raised for the duration of a command and restored afterwards.

Before forking worker processes the heap is frozen (moved out of the
collector's generations): a child then never writes to the parent's object
headers during a collection, so copy-on-write pages stay shared and the
workers' memory stays small.

Workers ignore Ctrl-C: a terminal sends SIGINT to the whole foreground
process group, and each forked worker would otherwise die with a
``KeyboardInterrupt`` traceback of its own on top of the command's one line.
The parent alone handles it, and leaving the pool's ``with`` block terminates
the workers.

:func:`shared_work` is the render stage's scheduler: the parent works too,
and each process starts on its own contiguous share of the work.  Forked
children copy every page of the parent's heap they touch (reading an object
writes its reference count), so children that each rendered a little of
everything held, between them, two more copies of the catalog: 8.4 GB at
50,000 artisans in three languages.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import multiprocessing.pool
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from karigar.errors import WorkerDied

__all__ = ["tuned_gc", "frozen_heap", "worker_pool", "shared_work"]

T = TypeVar("T")

# Young-generation threshold: collect after this many net allocations (default 700).
BUILD_GC_THRESHOLD = (100_000, 50, 100)


@contextmanager
def tuned_gc() -> Iterator[None]:
    """Raise the collector's thresholds while a build runs."""
    old = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Freeze every object that exists now while forked workers run, then release them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _quiet_worker(initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def worker_pool(processes: int, *, initializer: Callable[..., object] | None = None,
                initargs: tuple[Any, ...] = ()) -> multiprocessing.pool.Pool:
    """A pool of forked workers (they inherit the parent's memory) that leave Ctrl-C to the parent."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_quiet_worker,
                                                    initargs=(initializer, initargs))


class _Claims:
    """Which chunks are left: one contiguous segment of chunk numbers per process, shared by all.

    A process takes the front of its own segment; when that is empty it takes
    the back of the segment with most left, so the work stays balanced and
    each process stays, as long as it can, on neighbouring chunks.
    """

    def __init__(self, chunks: int, processes: int) -> None:
        edges = [chunks * i // processes for i in range(processes + 1)]
        self.processes = processes
        self.bounds = multiprocessing.get_context("fork").Array(
            "l", [edge for i in range(processes) for edge in (edges[i], edges[i + 1])], lock=True)

    def claim(self, me: int) -> int | None:
        bounds = self.bounds
        with bounds.get_lock():
            if bounds[2 * me] < bounds[2 * me + 1]:
                bounds[2 * me] += 1
                return int(bounds[2 * me] - 1)
            most = max(range(self.processes), key=lambda s: bounds[2 * s + 1] - bounds[2 * s])
            if bounds[2 * most + 1] <= bounds[2 * most]:
                return None
            bounds[2 * most + 1] -= 1
            return int(bounds[2 * most + 1])


_DONE = "done"
_FAILED = "failed"


def _child(me: int, claims: _Claims, chunks: Sequence[tuple[int, int]], work: Callable[[int, int], Any],
           conn: multiprocessing.connection.Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while (chunk := claims.claim(me)) is not None:
            conn.send((chunk, work(*chunks[chunk])))
        conn.send((_DONE, None))
    except BaseException as exc:  # noqa: BLE001 -- handed to the parent, which raises it
        try:
            conn.send((_FAILED, exc))
        except Exception:  # noqa: BLE001 -- an exception that does not pickle
            conn.send((_FAILED, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def shared_work(chunks: Sequence[tuple[int, int]], processes: int, work: Callable[[int, int], T],
                take: Callable[[T], None]) -> None:
    """Run ``work(start, end)`` for every chunk, here and in ``processes - 1`` forked children.

    ``take`` is called in this process with each chunk's result, in no fixed
    order.  Chunks are in locality order (neighbours share data): each process
    begins on its own contiguous segment of them (see :class:`_Claims`).  A
    child's exception is raised here; a child that dies raises
    :class:`WorkerDied`; on any exception the children are stopped.
    """
    claims = _Claims(len(chunks), processes)
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, multiprocessing.connection.Connection]] = []
    inbox = _Inbox()
    try:
        with frozen_heap():
            for me in range(1, processes):
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_child, args=(me, claims, chunks, work, sender), daemon=True)
                child.start()
                sender.close()  # only the child writes: its end closing tells the parent it ended
                children.append((child, receiver))
            # Started after the forks (a thread must not be running when a process forks): it reads the
            # children's results as they come, so a child never waits for the parent to finish a chunk.
            reader = threading.Thread(target=_read_all, args=([r for _c, r in children], inbox.messages), daemon=True)
            reader.start()
            while (chunk := claims.claim(0)) is not None:
                take(work(*chunks[chunk]))
                inbox.hand_over(take, block=False)
            while inbox.finished < len(children):
                inbox.hand_over(take, block=True)
    finally:
        for child, receiver in children:
            if child.is_alive():
                child.terminate()
            child.join()
            receiver.close()


def _read_all(receivers: list[multiprocessing.connection.Connection],
              inbox: queue.SimpleQueue[tuple[Any, Any]]) -> None:
    live = set(receivers)
    while live:
        for ready in multiprocessing.connection.wait(list(live)):
            conn = cast(multiprocessing.connection.Connection, ready)
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = (_FAILED, WorkerDied("a worker process ended before finishing its share of the work"))
            inbox.put(message)
            if message[0] in (_DONE, _FAILED):
                live.discard(conn)


class _Inbox:
    """The children's messages as the reader thread received them, and how many children finished."""

    def __init__(self) -> None:
        self.messages: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self.finished = 0

    def hand_over(self, take: Callable[[Any], None], *, block: bool) -> None:
        """Give ``take`` every result that arrived (``block``: wait for one message first)."""
        while True:
            try:
                kind, value = self.messages.get(block=block)
            except queue.Empty:
                return
            block = False
            if kind == _FAILED:
                raise value
            if kind == _DONE:
                self.finished += 1
            else:
                take(value)
