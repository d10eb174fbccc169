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
50,000 artisans in three languages.  Keeping each process on neighbouring
work was not enough: a child still copied most pages over a whole render
stage, so a child that holds more than a budget of memory of its own hands
its place to a fresh fork (see :data:`CHILD_MEMORY_BUDGET`).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import multiprocessing.connection
import multiprocessing.pool
import pickle
import queue
import resource
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from karigar.errors import WorkerDied

__all__ = ["tuned_gc", "frozen_heap", "worker_pool", "shared_work", "release_free_memory", "parked"]

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


def release_free_memory() -> None:
    """Hand the C library's free heap pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Strings over 512 bytes live in the C library's heap, which keeps pages it
    freed in the middle of the heap until asked: freed there, they would stay
    in the build's memory and in every forked worker's share of it.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


@contextmanager
def parked(*tables: dict[str, str]) -> Iterator[None]:
    """Keep ``tables`` on disk, not in memory, for the block (each emptied in place, then filled again).

    For what a build holds but does not read while forked workers run (the
    entries' hashes, read again for the build's snapshot): every holder keeps
    its reference, and the workers fork from a smaller heap.
    """
    unique = list({id(table): table for table in tables}.values())
    with tempfile.TemporaryFile(prefix="karigar-parked-") as handle:
        for table in unique:
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
            table.clear()
        release_free_memory()
        try:
            yield
        finally:
            handle.seek(0)
            for table in unique:
                table.update(pickle.load(handle))


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
_RETIRING = "retiring"

# A child that holds more memory of its own than this after a chunk ends and a fresh fork takes its
# place.  Forked children share the parent's pages until either side writes one (reading an object
# writes its reference count), so a long-lived child ends up with a copy of most of the catalog: at
# 10,000 artisans in English one child grew by 400 MB over the render stage.  A fresh fork shares it
# all again.  The parent only hands out work while children run, so it forks a successor as soon as
# one ends (a parent that rendered too forked it only between two of its own chunks, and asking for
# successors early to hide that wait had three processes at once: at 50,000 artisans in three
# languages the peak held 0.76 GB of children's memory beside the parent's 2.6 GB).  Each fork and
# each child's first touches of the heap cost time: at 10,000 artisans in three languages, this budget
# against one of 256 MB took the cold build from about 100 to 104 s and its peak PSS from 1,015 to 785 MB.
CHILD_MEMORY_BUDGET = 128 * 2**20

# Reading smaps_rollup walks the page tables (about 7 ms for a 1.7 GB process): a child reads it only
# after it took this many page faults of its own since the last reading, or made this many chunks.  Its
# own faults miss what the parent writes: a page the parent writes after the fork (recording results
# touches every job's strings) stays in the child as a private copy, and at 50,000 artisans in three
# languages children checked on their own faults alone were seen holding 312 MB against a 128 MB budget.
_FAULTS_BETWEEN_CHECKS = 4096
_CHUNKS_BETWEEN_CHECKS = 4


def private_memory() -> int | None:
    """Bytes of memory this process alone maps (its own pages and its copies of the parent's); None if unknown.

    Counted from ``/proc/self/smaps_rollup`` (Linux): a page the parent wrote
    after the fork is then mapped only here, so it counts too, as it should.
    """
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as handle:
            total = 0
            for line in handle:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
            return total
    except OSError:
        return None


def _child(me: int, claims: _Claims, chunks: Sequence[tuple[int, int]], work: Callable[[int, int], Any],
           conn: multiprocessing.connection.Connection, budget: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        checked = -_FAULTS_BETWEEN_CHECKS  # page faults at the last reading (none yet)
        unchecked = 0  # chunks made since the last reading
        while (chunk := claims.claim(me)) is not None:
            conn.send((chunk, work(*chunks[chunk])))
            if budget is None:
                continue
            unchecked += 1
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            if faults - checked < _FAULTS_BETWEEN_CHECKS and unchecked < _CHUNKS_BETWEEN_CHECKS:
                continue
            checked, unchecked = faults, 0
            held = private_memory()
            if held is not None and held > budget:
                conn.send((_RETIRING, me))  # the parent forks a successor for this slot now
                break
        conn.send((_DONE, None))
    except BaseException as exc:  # noqa: BLE001 -- handed to the parent, which raises it
        try:
            conn.send((_FAILED, exc))
        except Exception:  # noqa: BLE001 -- an exception that does not pickle
            conn.send((_FAILED, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


class _Children:
    """The forked children of one :func:`shared_work` call, and their result pipes for the reader thread."""

    def __init__(self, claims: _Claims, chunks: Sequence[tuple[int, int]], work: Callable[[int, int], Any],
                 budget: int | None) -> None:
        self.claims, self.chunks, self.work, self.budget = claims, chunks, work, budget
        self.context = multiprocessing.get_context("fork")
        self.started: list[tuple[Any, multiprocessing.connection.Connection]] = []
        self.new_pipes: queue.SimpleQueue[multiprocessing.connection.Connection | None] = queue.SimpleQueue()
        self._wake_reader, self._wake_writer = self.context.Pipe(duplex=False)

    def fork(self, me: int) -> None:
        """Start a child on process slot ``me`` (the first ones, or a retired one's successor)."""
        gc.freeze()  # what the parent made since the last fork too: see frozen_heap
        receiver, sender = self.context.Pipe(duplex=False)
        child = self.context.Process(target=_child, args=(me, self.claims, self.chunks, self.work, sender,
                                                          self.budget), daemon=True)
        child.start()
        sender.close()  # only the child writes: its end closing tells the parent it ended
        self.started.append((child, receiver))
        self.new_pipes.put(receiver)
        self._wake_writer.send_bytes(b"")

    def read_all(self, inbox: queue.SimpleQueue[tuple[Any, Any]]) -> None:
        """The reader thread: every child's messages into ``inbox`` as they come, until :meth:`stop`."""
        live: set[multiprocessing.connection.Connection] = set()
        while True:
            for ready in multiprocessing.connection.wait([*live, self._wake_reader]):
                conn = cast(multiprocessing.connection.Connection, ready)
                if conn is self._wake_reader:
                    conn.recv_bytes()
                    pipe = self.new_pipes.get()
                    if pipe is None:
                        return
                    live.add(pipe)
                    continue
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    message = (_FAILED, WorkerDied("a worker process ended before finishing its share of the work"))
                inbox.put(message)
                if message[0] in (_DONE, _FAILED):
                    live.discard(conn)

    def stop(self, reader: threading.Thread | None) -> None:
        """Stop the reader thread, then every child still running."""
        if reader is not None:
            self.new_pipes.put(None)
            self._wake_writer.send_bytes(b"")
            reader.join()
        for child, receiver in self.started:
            if child.is_alive():
                child.terminate()
            child.join()
            receiver.close()
        self._wake_reader.close()
        self._wake_writer.close()


def shared_work(chunks: Sequence[tuple[int, int]], processes: int, work: Callable[[int, int], T],
                take: Callable[[T], None], *, budget: int | None = CHILD_MEMORY_BUDGET) -> None:
    """Run ``work(start, end)`` for every chunk: here if ``processes`` is 1, else in that many forked children.

    ``take`` is called in this process with each chunk's result, in no fixed
    order.  Chunks are in locality order (neighbours share data): each child
    begins on its own contiguous segment of them (see :class:`_Claims`).  A
    child that holds more than ``budget`` bytes of its own after a chunk ends,
    and a successor forked at once carries on with its segment (None:
    children never retire).  While children work, this process only takes
    their results (so its own heap does not grow with the work, and a
    successor is never kept waiting).  A child's exception is raised here; a
    child that dies raises :class:`WorkerDied`; on any exception the children
    are stopped.
    """
    if processes <= 1:
        for start, end in chunks:
            take(work(start, end))
        return
    claims = _Claims(len(chunks), processes)
    children = _Children(claims, chunks, work, budget)
    inbox = _Inbox(children)
    reader: threading.Thread | None = None
    try:
        with frozen_heap():
            for me in range(processes):
                children.fork(me)
            # Started after the first forks, it reads the children's results as they come.  A retired
            # child's successor is forked by this thread while the reader waits on pipes (a lock held
            # by this thread at fork time would hang the child; multiprocessing's pools fork beside threads too).
            reader = threading.Thread(target=children.read_all, args=(inbox.messages,), daemon=True)
            reader.start()
            while inbox.finished < len(children.started):
                inbox.hand_over(take, block=True)
    finally:
        children.stop(reader)


class _Inbox:
    """The children's messages as the reader thread received them, and how many children finished."""

    def __init__(self, children: _Children) -> None:
        self.messages: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self.children = children
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
            elif kind == _RETIRING:
                self.children.fork(value)
            else:
                take(value)
