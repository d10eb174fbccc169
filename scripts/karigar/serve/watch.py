"""Which files the dev server watches, and starting watchdog with a polling fallback.

A catalog of 50,000 artisan folders needs one inotify watch per folder and
can exceed the kernel's ``fs.inotify.max_user_watches``; starting the
observer then fails with ENOSPC (or EMFILE for the instance limit).  The dev
server must still work, so it falls back to watchdog's polling observer and
says how to raise the limit.
"""

from __future__ import annotations

import errno
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from karigar.config import Settings

__all__ = [
    "WatchPlan",
    "ObserverFactory",
    "ChangeHandler",
    "start_observer",
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
_CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed"})


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
        return cls(settings.config_file.resolve(), tuple(roots), ignored)

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

    def relevant(self, path: str) -> bool:
        """Whether a change at ``path`` (absolute) can change the site."""
        if not path:
            return False
        target = Path(path)
        if is_editor_temp(target.name):
            return False
        if target == self.config_file:
            return True
        if any(_within(target, ignored) for ignored in self.ignored):
            return False
        for root in self.roots:
            if _within(target, root):
                rel = posixpath.relpath(target.as_posix(), root.as_posix())
                # The loader skips dot files and folders (.git, .DS_Store, .gitkeep).
                return not any(part.startswith(".") and part not in (".", "..") for part in rel.split("/"))
        return False


class ChangeHandler(FileSystemEventHandler):
    """Hands every relevant changed path to ``on_change`` (from watchdog's thread)."""

    def __init__(self, plan: WatchPlan, on_change: Callable[[str], None]) -> None:
        super().__init__()
        self.plan = plan
        self.on_change = on_change

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


def _read_limit(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return "unknown"


def limit_warning(exc: OSError) -> str:
    """The warning printed when inotify runs out: which limit, and how to raise it."""
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
        f"  falling back to polling every second, which is slower and uses more CPU.\n"
        f"  to raise the limit: {fix}\n"
        f"  (to keep it after a reboot, add `fs.inotify.max_user_watches=524288` to /etc/sysctl.d/90-inotify.conf)"
    )


def _stop_quietly(observer: BaseObserver) -> None:
    # Half-started emitters hold inotify descriptors: release them before falling back.
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=2)
    except Exception:  # noqa: BLE001 - the observer is being thrown away
        pass


def _schedule(observer: BaseObserver, plan: WatchPlan, handler: FileSystemEventHandler) -> None:
    for folder, recursive in plan.schedules():
        observer.schedule(handler, str(folder), recursive=recursive)


def start_observer(plan: WatchPlan, handler: FileSystemEventHandler, *, factory: ObserverFactory | None = None,
                   polling_interval: float = 1.0, err: TextIO) -> tuple[BaseObserver, bool]:
    """A started observer for ``plan`` and whether it is the polling fallback.

    Only the inotify limits (ENOSPC, EMFILE) lead to polling; any other
    OSError is a real problem and is raised.
    """
    observer: BaseObserver | None = None
    try:
        observer = (factory or Observer)()
        _schedule(observer, plan, handler)
        observer.start()
        return observer, False
    except OSError as exc:
        if observer is not None:
            _stop_quietly(observer)
        if exc.errno not in LIMIT_ERRNOS:
            raise
        print(limit_warning(exc), file=err, flush=True)
    polling = PollingObserver(timeout=polling_interval)
    _schedule(polling, plan, handler)
    polling.start()
    return polling, True
