"""The render stage's scheduler (karigar.runtime.shared_work): forked workers do the work, the build's process takes it.

What a user notices: every page rendered exactly once, with the same bytes
as in one process; a worker's failure stops the build with that failure
(never a hang, never a silently missing page); and each process keeps to
neighbouring work, which is what keeps the forked workers' copies of the
catalog small (the memory itself is measured by scripts/bench).  Failures
are injected at chosen chunks.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from karigar.errors import WorkerDied
from karigar import runtime
from karigar.runtime import _Claims, _child, private_memory, shared_work
from karigar.render.cards import GridCards
from karigar.render.jobs import Job
from karigar.render.site import _CARDS_PER_CHUNK, _page_ranges, _ranges, locality
from tests.conftest import REPO
from tests.realsite import differences, tree


def _runs(chunks: list[int]) -> int:
    """How many runs of consecutive numbers (ascending or descending) ``chunks`` makes, in the order taken."""
    runs = 1
    for before, after in zip(chunks, chunks[1:]):
        if abs(after - before) != 1:
            runs += 1
    return runs


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_every_chunk_is_done_once_and_its_result_reaches_the_parent(processes: int) -> None:
    chunks = _ranges(20_000, processes)
    taken: list[tuple[int, int, list[int]]] = []
    parent = os.getpid()

    def work(start: int, end: int) -> tuple[int, int, list[int]]:
        return os.getpid(), start, [n * n for n in range(start, end)]

    shared_work(chunks, processes, work, taken.append)
    assert sorted(start for _pid, start, _squares in taken) == [start for start, _end in chunks]
    assert [square for _pid, _start, squares in sorted(taken, key=lambda t: t[1]) for square in squares] == [
        n * n for n in range(20_000)]
    pids = {pid for pid, _start, _squares in taken}
    assert len(pids) <= processes
    if processes == 1:
        assert pids == {parent}  # no process forked for nothing
    else:
        assert parent not in pids  # the parent hands out the work and takes the results


def test_each_process_keeps_to_neighbouring_chunks() -> None:
    chunks = _ranges(40_000, 2)
    order: list[tuple[int, int]] = []
    shared_work(chunks, 2, lambda start, end: (os.getpid(), start), order.append)
    by_process: dict[int, list[int]] = {}
    for pid, start in order:  # results of one process arrive in the order it took its chunks
        by_process.setdefault(pid, []).append(start // chunks[0][1])
    # Its own segment from the front, then what is left of the other's from the back: at most two runs
    # (a process that rendered a little of everything would copy all of the parent's catalog).
    for pid, taken in by_process.items():
        assert _runs(taken) <= 2, (pid, taken)


def test_a_worker_over_its_memory_budget_ends_after_its_chunk_and_asks_for_a_successor() -> None:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    chunks = _ranges(10_000, 1)
    handler = signal.getsignal(signal.SIGINT)
    try:
        _child(0, _Claims(len(chunks), 1), chunks, lambda start, end: start, sender, 0)
    finally:
        signal.signal(signal.SIGINT, handler)  # a child ignores Ctrl-C: this process is the test's
    messages = [receiver.recv()]
    while messages[-1][0] != "done":
        messages.append(receiver.recv())
    assert messages == [(0, 0), ("retiring", 0), ("done", None)]  # over the budget: it ends at once


def test_a_worker_whose_memory_grows_by_the_parent_s_writes_alone_still_retires(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Pages the parent writes after the fork become the child's own without a fault of the child's:
    # the child reads its memory every few chunks as well.  Here the reading itself is the fake: under
    # the budget at the first chunk, over it at the next reading.
    readings = iter([0, 2**30])
    monkeypatch.setattr(runtime, "private_memory", lambda: next(readings))
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    chunks = _ranges(10_000, 1)
    handler = signal.getsignal(signal.SIGINT)
    try:
        _child(0, _Claims(len(chunks), 1), chunks, lambda start, end: start, sender, 2**20)
    finally:
        signal.signal(signal.SIGINT, handler)
    messages = [receiver.recv()]
    while messages[-1][0] != "done":
        messages.append(receiver.recv())
    assert messages == [*((n, chunks[n][0]) for n in range(1 + runtime._CHUNKS_BETWEEN_CHECKS)),
                        ("retiring", 0), ("done", None)]


def test_work_survives_workers_that_retire_after_every_chunk() -> None:
    # A budget of nothing: every child ends after its first chunk and a fresh fork carries on.
    chunks = _ranges(40_000, 2)
    taken: list[tuple[int, int, list[int]]] = []
    parent = os.getpid()

    def work(start: int, end: int) -> tuple[int, int, list[int]]:
        return os.getpid(), start, [n * n for n in range(start, end)]

    shared_work(chunks, 2, work, taken.append, budget=0)
    assert sorted(start for _pid, start, _squares in taken) == [start for start, _end in chunks]
    assert [square for _pid, _start, squares in sorted(taken, key=lambda t: t[1]) for square in squares] == [
        n * n for n in range(20_000 * 2)]
    by_child: dict[int, int] = {}
    for pid, _start, _squares in taken:
        by_child[pid] = by_child.get(pid, 0) + 1
    assert parent not in by_child  # the parent only hands out the work
    assert len(by_child) == len(chunks) and max(by_child.values()) == 1  # each child ended after its chunk
    assert multiprocessing.active_children() == []


def test_workers_under_their_budget_keep_working() -> None:
    taken: list[int] = []
    chunks = _ranges(20_000, 2)
    # Each child's first chunk (the front of its segment) waits for the other's: both take part.
    both = multiprocessing.get_context("fork").Barrier(2)
    firsts = {chunks[0][0], chunks[len(chunks) // 2][0]}

    def work(start: int, end: int) -> int:
        if start in firsts:
            both.wait()
        return os.getpid()

    shared_work(chunks, 2, work, taken.append, budget=2**40)
    assert len(taken) == len(chunks) > 2
    assert len(set(taken)) == 2 and os.getpid() not in taken  # the first two children did it all: none retired


def test_private_memory_counts_what_this_process_alone_holds() -> None:
    before = private_memory()
    assert before is not None and before > 0
    block = bytearray(64 * 2**20)
    block[::4096] = b"x" * len(block[::4096])  # every page touched, so the kernel gives it
    after = private_memory()
    assert after is not None and after - before >= 60 * 2**20
    del block


def test_locality_puts_one_entrys_pages_in_every_language_together() -> None:
    outputs = ["artisans/pk/multan/a-1/index.html", "ur/artisans/pk/multan/a-1/index.html",
               "artisans/pk/multan/b-2/index.html", "hi/artisans/pk/multan/a-1/pot/index.html",
               "hindi/index.html", "ur/index.html"]
    ordered = sorted(outputs, key=lambda output: locality(output, ("en", "ur", "hi")))
    assert ordered[:3] == ["artisans/pk/multan/a-1/index.html", "ur/artisans/pk/multan/a-1/index.html",
                           "hi/artisans/pk/multan/a-1/pot/index.html"]
    assert locality("hindi/index.html", ("en", "ur", "hi")) == "hindi/index.html"  # only a language's own folder


def _failing(fail: str):  # type: ignore[no-untyped-def]
    """Work that fails in whichever worker makes a chunk of it: it raises, or the process is killed."""
    def work(start: int, end: int) -> int:
        if fail == "raise":
            raise ValueError(f"chunk {start} cannot be made")
        os._exit(3)  # killed, as the kernel's OOM killer would
    return work


def test_a_workers_exception_is_raised_in_the_build_and_no_worker_is_left(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be made"):
        shared_work(_ranges(10_000, 2), 2, _failing("raise"), lambda _r: None)
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_stops_the_build_instead_of_hanging_it() -> None:
    taken: list[int] = []
    with pytest.raises(WorkerDied):
        shared_work(_ranges(10_000, 2), 2, _failing("die"), taken.append)
    assert multiprocessing.active_children() == []
    assert len(taken) < len(_ranges(10_000, 2))  # the dead worker's chunk was never made


# Run as `python SCRIPT build ...`: karigar's own entry point, with a render worker that is killed (as the
# kernel's OOM killer would) when it begins its share of pages.
DYING_WORKER_BUILD = """
import os, sys
import karigar.render.site as site
from karigar.cli import main

site.PARALLEL_RENDER_THRESHOLD = 1
PARENT = os.getpid()
render_range = site._render_range

def dying(jobs, writer, start, end):
    if os.getpid() != PARENT:
        os._exit(9)
    return render_range(jobs, writer, start, end)

if sys.argv[1] == "build" and os.environ.get("KILL_A_WORKER"):
    site._render_range = dying
sys.exit(main(sys.argv[1:]))
"""


def test_a_build_whose_worker_is_killed_says_so_and_the_next_build_completes_the_site(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "scripts"), str(REPO)])}
    site = tmp_path / "demo"
    subprocess.run([sys.executable, "-m", "karigar", "demo", "--artisans", "8", "-f", str(REPO / "mkdocs.yml"),
                    str(site)], check=True, capture_output=True, env=env)
    script = tmp_path / "dying_worker_build.py"
    script.write_text(DYING_WORKER_BUILD, "utf-8")
    build = [sys.executable, str(script), "build", "-f", str(site / "mkdocs.yml"), "-q"]
    killed = subprocess.run(build, capture_output=True, text=True, env={**env, "KILL_A_WORKER": "1"})
    assert killed.returncode == 1
    assert killed.stderr.strip().splitlines() == [
        "karigar: a worker process ended before finishing its share of the work (killed, or out of memory); "
        "the next build completes what this one wrote"], killed.stderr
    again = subprocess.run(build, capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("site", ".karigar-cache"))
    subprocess.run(build[:3] + ["-f", str(clean / "mkdocs.yml"), "-q"], check=True, capture_output=True, env=env)
    assert differences(tree(site / "site"), tree(clean / "site")) == []


def test_chunks_of_pages_that_show_many_cards_are_cut_shorter() -> None:
    """A chunk of listing pages ends at a number of cards, so a worker's memory is checked before it copied much."""
    def page(cards: int) -> Job:
        prepare = GridCards(None, [None] * cards, 0) if cards else None  # type: ignore[arg-type]
        return Job(f"p{cards}", "", bytes, prepare=prepare)

    todo = [page(0)] * 3000 + [page(50)] * 3000 + [page(6)] * 3000
    ranges = _page_ranges(todo, 2)
    assert [n for start, end in ranges for n in range(start, end)] == list(range(len(todo)))  # all, once, in order
    for start, end in ranges:
        cards = sum(len(job.prepare.items) for job in todo[start:end] if isinstance(job.prepare, GridCards))
        assert cards <= _CARDS_PER_CHUNK
    pages_only = max(end - start for start, end in ranges if end <= 3000)
    assert pages_only == max(end - start for start, end in _ranges(len(todo), 2))  # no cards: as long as before
    assert max(end - start for start, end in ranges if 3000 <= start and end <= 6000) == _CARDS_PER_CHUNK // 50


def test_parked_tables_are_empty_while_workers_run_and_whole_again_after_even_on_failure() -> None:
    hashes = {f"artisans/pk/a{n}/index.md": f"{n:040x}" for n in range(5000)}
    folded = hashes  # a second holder of the same table: parked once, restored once
    other = {"x": "y"}
    expected = dict(hashes)
    with pytest.raises(RuntimeError):
        with runtime.parked(hashes, folded, other):
            assert hashes == {} and other == {}
            raise RuntimeError("a worker failed")
    assert hashes == expected and folded is hashes and other == {"x": "y"}
