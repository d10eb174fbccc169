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
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["tuned_gc", "frozen_heap", "worker_pool"]

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
