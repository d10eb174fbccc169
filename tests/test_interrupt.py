"""Ctrl-C during a build: one line and exit 130, no traceback from the command or its forked workers.

A terminal sends SIGINT to the whole foreground process group, so forked
workers get it too.  The test makes a real ``karigar build`` wait inside a
photo worker (the fault is injected at one chosen point: the function that
processes a photo announces itself and blocks), then signals the group the
way a terminal does, and reads what the user would see.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from karigar.runtime import worker_pool
from tests.conftest import REPO

# Run as `python SCRIPT build ...`: karigar's own entry point, with photo processing
# replaced by a function that says it has started, then waits until it is killed.
BLOCKING_BUILD = """
import os, signal, sys, threading
# A shell starts background jobs (CI's, say) with Ctrl-C ignored, and Python keeps it so;
# a command typed at a terminal has it on. This is the terminal's case.
signal.signal(signal.SIGINT, signal.default_int_handler)
import karigar.photos.publish as publish
from karigar.cli import main

def processing_that_blocks(data, **options):
    os.write(1, b"photo-worker-started\\n")  # one write: two workers' lines never interleave
    threading.Event().wait()

publish.process_photo = processing_that_blocks
sys.exit(main(sys.argv[1:]))
"""


def _sigint_is_ignored(_: int) -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_forked_workers_leave_ctrl_c_to_the_parent() -> None:
    before = signal.getsignal(signal.SIGINT)
    with worker_pool(2) as pool:
        assert pool.map(_sigint_is_ignored, range(4)) == [True] * 4
    assert signal.getsignal(signal.SIGINT) is before, "the parent's own handling is untouched"


def test_ctrl_c_during_a_build_prints_one_line_and_leaves_no_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "scripts"), str(REPO)])}
    site = tmp_path / "demo"
    subprocess.run([sys.executable, "-m", "karigar", "demo", "--artisans", "6", "--photos",
                    "-f", str(REPO / "mkdocs.yml"), str(site)], check=True, capture_output=True, env=env)
    script = tmp_path / "blocking_build.py"
    script.write_text(BLOCKING_BUILD, "utf-8")
    build = subprocess.Popen([sys.executable, str(script), "build", "-f", str(site / "mkdocs.yml"), "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             start_new_session=True)  # its own process group, like a terminal's job
    try:
        assert build.stdout is not None
        for line in build.stdout:  # wait for the state, not for time (pytest-timeout bounds it)
            if line.strip() == "photo-worker-started":
                break
        else:
            build.wait()
            raise AssertionError(f"the build ended ({build.returncode}) before processing a photo: "
                                 f"{build.stderr.read() if build.stderr else ''}")
        os.killpg(build.pid, signal.SIGINT)
        _, stderr = build.communicate()
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert build.returncode == 130
    # Nothing else: no traceback, and no "Process ForkPoolWorker-N:" from a dying worker.
    assert stderr.strip().splitlines() == ["karigar: interrupted"], stderr
    try:
        os.killpg(build.pid, 0)
    except ProcessLookupError:
        pass  # the group is empty: no worker outlived the command
    else:
        raise AssertionError("a worker process outlived the interrupted build")
