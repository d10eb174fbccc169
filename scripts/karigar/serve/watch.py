"""Which files the dev server watches, and starting watchdog with a polling fallback.

A catalog of 50,000 artisan folders needs one inotify watch per folder and
can exceed the kernel's ``fs.inotify.max_user_watches``; starting the
observer then fails with ENOSPC (or EMFILE for the instance limit).  The dev
server must still work, so it falls back to polling and says how to raise
the limit.

Polling is slow at that size: one pass over a 10,000-artisan catalog
(~90,000 paths) takes seconds, over 50,000 artisans tens of seconds, so a
fixed one-second interval would keep a core busy walking the tree for good.
So the fallback (1) still watches the small folders -- content, theme,
templates, mkdocs.yml -- with inotify, so edits there reload at once, and
polls only the catalog; and (2) paces the catalog's polling by how long a
pass really takes (:class:`Pace`): it waits ``PACE_FACTOR`` times the last
pass between passes, so polling costs at most about a fifth of one core, and
it prints the measured pass and the resulting delay once.
"""

from __future__ import annotations

import errno
import logging
import posixpath
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingEmitter

from karigar.config import Settings

__all__ = [
    "WatchPlan",
    "ObserverFactory",
    "ChangeHandler",
    "OverflowAlarm",
    "watchdog_logger",
    "Pace",
    "start_observer",
    "stop_observers",
    "PACE_FACTOR",
    "limit_warning",
    "is_editor_temp",
    "LIMIT_ERRNOS",
    "RAISE_LIMIT_COMMAND",
]

ObserverFactory = Callable[[], BaseObserver]
LIMIT_ERRNOS = frozenset({errno.ENOSPC, errno.EMFILE})
RAISE_LIMIT_COMMAND = "sudo sysctl fs.inotify.max_user_watches=524288"
_WATCHES_FILE = Path("/proc/sys/fs/inotify/max_user_watches")
_INSTANCES_FILE = Path("/proc/sys/fs/inotify/max_user_instances")
# Events that mean content changed.  Opened/closed-without-write events are
# left out on purpose: the build itself opens every file it reads, and would
# otherwise trigger the next build, forever.
# Attribute changes count: `touch` or a restored mtime changes a file's stat record and
# nothing else, and the loader, which re-stats only the paths reported, must hear of it.
_CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})
# The same, as the event filter handed to watchdog: on Linux it becomes the
# inotify mask, so the kernel never queues the open/close-without-write events
# of every file a build reads.  Without it a cold check of 10,000 artisans
# (70,000 files read) overflows the kernel's event queue; watchdog then
# re-walks the tree to rebuild its watches, the walk's own directory opens
# overflow the queue again, and it loops for good, holding a core and the GIL
# (seen on a 10,000-artisan demo).
_WATCHED_EVENTS: tuple[type[FileSystemEvent], ...] = (
    FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent, FileAttribEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent, DirAttribEvent,
)
# Polling waits this many times the last pass between passes: at most ~1/(1+4)
# of a core goes to walking the tree, however big it is.
PACE_FACTOR = 4.0


def is_editor_temp(name: str) -> bool:
    """Swap, backup, lock and probe files that editors write next to the file being saved."""
    return (
        name.endswith((".swp", ".swo", ".swx", "~", ".tmp", "___jb_tmp___", "___jb_old___"))
        or name.startswith(".#")
        or (name.startswith("#") and name.endswith("#"))
        or name == "4913"  # vim probes whether it may write in the folder
    )


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


@dataclass(frozen=True)
class WatchPlan:
    """The folders to watch for one set of settings, and which changed paths matter."""

    config_file: Path
    roots: tuple[Path, ...]  # watched recursively
    ignored: tuple[Path, ...]  # never trigger a build (outputs and caches)
    catalog: Path | None = None  # the one folder that can be huge (polled when inotify runs out)

    @classmethod
    def for_settings(cls, settings: Settings) -> WatchPlan:
        """Config file, catalog, content, theme and templates; the cache and site dirs ignored."""
        wanted = [settings.catalog_dir, settings.docs_dir, settings.theme_dir, settings.templates_dir]
        resolved = sorted({p.resolve() for p in wanted}, key=lambda p: len(p.parts))
        roots: list[Path] = []
        for path in resolved:
            # A folder inside another watched folder is already covered.
            if not any(_within(path, root) for root in roots):
                roots.append(path)
        ignored = (settings.cache_dir.resolve(), settings.site_dir.resolve())
        return cls(settings.config_file.resolve(), tuple(roots), ignored, settings.catalog_dir.resolve())

    def schedules(self) -> tuple[tuple[Path, bool], ...]:
        """``(folder, recursive)`` pairs for the folders that exist now.

        The config file's folder is watched without recursion: editors save by
        renaming a temporary file over the original, which a watch on the file
        itself would lose, and the folder also shows watched folders appearing.
        """
        found = [(root, True) for root in self.roots if root.is_dir()]
        parent = self.config_file.parent
        if not any(_within(parent, root) for root, _ in found):
            found.insert(0, (parent, False))
        return tuple(found)

    def is_big(self, folder: Path, recursive: bool) -> bool:
        """Whether a schedule covers the catalog (the part that may need thousands of watches).

        A folder watched without recursion takes one watch, however much is below it.
        """
        return recursive and self.catalog is not None and _within(self.catalog, folder)

    def relevant(self, path: str) -> bool:
        """Whether a change at ``path`` (absolute) can change the site."""
        if not path:
            return False
        target = Path(path)
        if is_editor_temp(target.name):
            return False
        return target == self.config_file or self._read_by_build(target)

    def noted(self, path: str) -> bool:
        """Whether ``path`` is an editor's temporary file where the loader reads.

        It triggers no build, but the loader must hear of it: a ``~`` backup
        left in a catalog folder is a stray file that a full walk reports, and
        a walk that re-reads only changed paths would otherwise never see it.
        """
        return bool(path) and is_editor_temp(Path(path).name) and self._read_by_build(Path(path))

    def _read_by_build(self, target: Path) -> bool:
        if any(_within(target, ignored) for ignored in self.ignored):
            return False
        for root in self.roots:
            if _within(target, root):
                rel = posixpath.relpath(target.as_posix(), root.as_posix())
                # The loader skips dot files and folders (.git, .DS_Store, .gitkeep).
                return not any(part.startswith(".") and part not in (".", "..") for part in rel.split("/"))
        return False


class ChangeHandler(FileSystemEventHandler):
    """Hands every relevant changed path to ``on_change`` (from watchdog's thread).

    Either end of a move counts, files and folders alike (a folder's path
    makes the loader walk all of it).  ``on_note`` hears the paths that
    trigger no build but that the loader must know of (:meth:`WatchPlan.noted`).
    """

    def __init__(self, plan: WatchPlan, on_change: Callable[[str], None],
                 on_note: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.on_change = on_change
        self.on_note = on_note

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Filter one watchdog event."""
        if event.event_type not in _CHANGE_EVENTS:
            return
        # A folder's "modified" only repeats the event of the file inside it.
        if event.is_directory and event.event_type == "modified":
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = raw.decode() if isinstance(raw, bytes) else str(raw)
            if self.plan.relevant(path):
                self.on_change(path)
            elif self.on_note is not None and self.plan.noted(path):
                self.on_note(path)


class OverflowAlarm(logging.Handler):
    """Calls ``on_overflow`` when watchdog says the kernel's event queue overflowed.

    Events were then lost, so the changed paths the dev server hands the
    loader are incomplete.  watchdog has no event for it: it logs a warning
    (``Inotify queue overflowed; filesystem events were lost``), which this
    handler, added to the ``watchdog`` logger while watching, hears.
    """

    def __init__(self, on_overflow: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self.on_overflow = on_overflow

    def emit(self, record: logging.LogRecord) -> None:
        """Raise the alarm for a record that mentions an overflow."""
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record from another library is not ours to report
            return
        if "overflow" in text.lower():
            self.on_overflow()


def watchdog_logger() -> logging.Logger:
    """The logger watchdog's observers log to (where :class:`OverflowAlarm` listens)."""
    return logging.getLogger("watchdog")


def _read_limit(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return "unknown"


def limit_warning(exc: OSError) -> str:
    """The warning printed when inotify runs out: which limit, what happens now, and how to raise it."""
    if exc.errno == errno.EMFILE:
        limit = (f"fs.inotify.max_user_instances (now {_read_limit(_INSTANCES_FILE)}, "
                 f"{_INSTANCES_FILE}) or the open-files limit")
        fix = f"sudo sysctl fs.inotify.max_user_instances=1024, then `ulimit -n` if needed; {RAISE_LIMIT_COMMAND}"
    else:
        limit = f"fs.inotify.max_user_watches (now {_read_limit(_WATCHES_FILE)}, {_WATCHES_FILE})"
        fix = RAISE_LIMIT_COMMAND
    return (
        f"warning: cannot watch the site with inotify ({exc.strerror or exc}): the kernel's limit "
        f"{limit} is too low for this many folders.\n"
        f"  falling back to polling the catalog, paced by how long one pass over it takes "
        f"(about {PACE_FACTOR:g}x that between passes): edits in the catalog take seconds to show on a big "
        f"site, and polling uses some CPU; content/, theme/ and mkdocs.yml are still watched instantly "
        f"when the limit allows.\n"
        f"  to raise the limit: {fix}\n"
        f"  (to keep it after a reboot, add `fs.inotify.max_user_watches=524288` to /etc/sysctl.d/90-inotify.conf)"
    )


class Pace:
    """Polling intervals, each folder paced by how long one pass over it takes.

    ``base`` is the shortest interval; after each pass over a folder the
    next wait before polling it again is ``max(base, factor * pass)`` (per
    folder: a small folder polled by the same observer keeps polling fast).
    ``report`` hears about each folder's first pass (its duration and the
    interval that follows), to tell the user once.
    """

    def __init__(self, base: float, *, factor: float = PACE_FACTOR,
                 report: Callable[[str, float, float], None] | None = None) -> None:
        self.base = base
        self.factor = factor
        self.report = report
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}  # folder -> seconds its last pass took

    def interval(self, folder: str) -> float:
        """How long to wait before the next pass over ``folder``."""
        with self._lock:
            last = self._last.get(folder)
        return self.base if last is None else max(self.base, self.factor * last)

    def record(self, folder: str, seconds: float) -> None:
        """Note one pass over ``folder`` (a folder's first pass is reported)."""
        with self._lock:
            first = folder not in self._last
            self._last[folder] = seconds
        if first and self.report is not None:
            self.report(folder, seconds, self.interval(folder))


class PacedPollingEmitter(PollingEmitter):
    """watchdog's polling emitter, waiting as long as its :class:`Pace` says between passes."""

    pace: Pace  # set by the subclass :func:`_paced_observer` makes for each observer

    # Passes are timed in this thread's CPU time, not wall time: a pass made while
    # a build holds the GIL takes far longer on the clock (9 s instead of 1.5 s
    # at 10,000 artisans), and pacing by that would delay the next edit by half
    # a minute.  CPU time is what polling costs, which is what the pace bounds.
    def on_thread_start(self) -> None:
        """Take (and time) the first snapshot."""
        started = time.thread_time()
        super().on_thread_start()
        self.pace.record(str(self.watch.path), time.thread_time() - started)

    def queue_events(self, timeout: float) -> None:
        """Wait the paced interval (not watchdog's fixed ``timeout``), then take and diff a snapshot."""
        if self.stopped_event.wait(self.pace.interval(str(self.watch.path))):
            return
        started = time.thread_time()
        super().queue_events(0)  # 0: the wait happened above
        if self.should_keep_running():
            self.pace.record(str(self.watch.path), time.thread_time() - started)


def _paced_observer(pace: Pace) -> BaseObserver:
    # A subclass per observer carries its pace: BaseObserver builds emitters from a
    # class, and older watchdog releases forward no extra arguments to it.
    emitter = type("KarigarPacedEmitter", (PacedPollingEmitter,), {"pace": pace})
    return BaseObserver(emitter, timeout=pace.base)


def _stop_quietly(observer: BaseObserver) -> None:
    # Half-started emitters hold inotify descriptors: release them before falling back.
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=2)
    except Exception:  # noqa: BLE001 - the observer is being thrown away
        pass


def stop_observers(observers: list[BaseObserver], *, timeout: float = 5.0) -> None:
    """Stop and join every observer (a polling pass in progress ends on its own)."""
    for observer in observers:
        observer.stop()
    for observer in observers:
        if observer.is_alive():
            observer.join(timeout=timeout)


def _schedule(observer: BaseObserver, schedules: tuple[tuple[Path, bool], ...],
              handler: FileSystemEventHandler) -> None:
    for folder, recursive in schedules:
        observer.schedule(handler, str(folder), recursive=recursive, event_filter=list(_WATCHED_EVENTS))


def _try_inotify(factory: ObserverFactory, schedules: tuple[tuple[Path, bool], ...],
                 handler: FileSystemEventHandler) -> BaseObserver:
    """A started native observer; raises OSError (after releasing what it took) when it cannot start."""
    observer: BaseObserver | None = None
    try:
        observer = factory()
        _schedule(observer, schedules, handler)
        observer.start()
        return observer
    except OSError:
        if observer is not None:
            _stop_quietly(observer)
        raise


def start_observer(plan: WatchPlan, handler: FileSystemEventHandler, *, factory: ObserverFactory | None = None,
                   polling_interval: float | None = None, err: TextIO) -> tuple[list[BaseObserver], bool]:
    """Started observers for ``plan``, and whether (part of) the tree is polled.

    Only the inotify limits (ENOSPC, EMFILE) lead to polling; any other
    OSError is a real problem and is raised.  ``polling_interval`` is the
    shortest polling interval (default one second); passes over a big tree
    space themselves further apart (see :class:`Pace`).
    """
    native = factory or Observer
    schedules = plan.schedules()
    try:
        return [_try_inotify(native, schedules, handler)], False
    except OSError as exc:
        if exc.errno not in LIMIT_ERRNOS:
            raise
        print(limit_warning(exc), file=err, flush=True)

    def report(folder: str, seconds: float, interval: float) -> None:
        print(f"polling {folder}: one pass costs {seconds:.1f} s of CPU, so it is checked every {interval:.1f} s; "
              f"a saved edit there is seen within about {interval + seconds:.0f} s, then the site rebuilds "
              f"(raise the inotify limit for instant reloads)", file=err, flush=True)

    base = 1.0 if polling_interval is None else polling_interval
    big = tuple(s for s in schedules if plan.is_big(*s))
    small = tuple(s for s in schedules if not plan.is_big(*s))
    observers: list[BaseObserver] = []
    if small:
        # The small folders rarely need many watches: keep them instant if the kernel allows.
        try:
            observers.append(_try_inotify(native, small, handler))
            small = ()
        except OSError as exc:
            if exc.errno not in LIMIT_ERRNOS:
                raise
    polled = big + small
    if polled:
        poller = _paced_observer(Pace(base, report=report))
        _schedule(poller, polled, handler)
        poller.start()
        observers.append(poller)
    return observers, True
