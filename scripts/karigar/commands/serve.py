"""`karigar serve`: the dev server with live reload (see :mod:`karigar.serve`)."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TextIO

from karigar.commands.common import read_settings
from karigar.serve import DevServer, ObserverFactory, parse_address

__all__ = ["run_serve"]


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM (``kill``, containers, CI) stop the server as cleanly as Ctrl-C; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signal handlers can only be set from the main thread

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def run_serve(*, config_file: Path, address: str, now: dt.datetime | None,
              observer_factory: ObserverFactory | None = None,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Serve the site at ``address`` (``HOST:PORT``) until Ctrl-C.

    Returns 0 after Ctrl-C, 1 when mkdocs.yml cannot be read at start or the
    address cannot be bound, 2 for a malformed address.  Content errors never
    stop the server: they are shown in the browser until fixed.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        host, port = parse_address(address)
    except ValueError as exc:
        print(f"karigar serve: {exc}", file=err)
        return 2
    # Without readable settings there is nothing to watch or build; once the
    # server runs, a broken mkdocs.yml is shown in the page like any error.
    settings = read_settings(config_file, err=err)
    if settings is None:
        print("karigar serve: fix mkdocs.yml, then start again", file=err)
        return 1
    server = DevServer(settings, now, host=host, port=port, observer_factory=observer_factory, out=out, err=err)
    restore = _stop_on_sigterm()
    try:
        server.start()
        return server.serve_until_interrupted()
    except KeyboardInterrupt:
        # Ctrl-C during the first build, or between it and the serve loop.
        server.stop()
        return 0
    except OSError as exc:
        server.stop()
        print(f"karigar serve: cannot serve on {address}: {exc.strerror or exc}", file=err)
        return 1
    finally:
        restore()
