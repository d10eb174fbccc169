"""The dev server: plan the site, render pages on demand, watch, re-plan, reload the browser.

A "build" here renders nothing: it checks the catalog, runs MkDocs when
something it reads changed, and plans every output as a job
(:mod:`karigar.serve.planner`); a page is rendered when a browser asks for it
and kept in a bounded cache keyed by its signature
(:mod:`karigar.serve.ondemand`), so a 350,000-page site serves its first page
without rendering the others, and an edit re-renders only the pages it
changed, when they are next viewed.

Three kinds of threads meet here.  watchdog's thread only records changed
paths (the planner hands them to the loader, which re-reads just those; when
changes may have been missed -- the first build, watches restarted, the
kernel's event queue overflowed -- the build is told they are unknown and
walks everything); one rebuild thread waits until the tree has been quiet for
``debounce`` seconds and then calls :meth:`DevServer.rebuild` (so two builds
never overlap, and a save during a build schedules exactly one more); the
HTTP threads only read the current :class:`SiteSnapshot`, which is replaced
whole after each build.  Before the first plan, the last ``karigar build``'s
site folder is served if its stamp proves it current (:mod:`karigar.serve.lastbuild`).  A broken build never stops anything: its errors
become the snapshot's error page, and the last good files stay served.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
import traceback
from collections.abc import Collection, Mapping
from importlib import resources
from pathlib import Path
from typing import TextIO

from watchdog.observers.api import BaseObserver

from karigar.config import Settings, load_settings
from karigar.diagnostics import Diagnostic, DiagnosticSink, format_text
from karigar.pipeline import last_build_is_current
from karigar.serve.http import DevHTTPServer
from karigar.serve.lastbuild import BuiltSite
from karigar.serve.ondemand import DEFAULT_CACHE_PAGES, PageCache
from karigar.serve.planner import Plan, SitePlanner
from karigar.serve.respond import Response, SiteSnapshot, respond
from karigar.serve.watch import (
    ChangeHandler,
    ObserverFactory,
    OverflowAlarm,
    WatchPlan,
    start_observer,
    stop_observers,
    watchdog_logger,
)

__all__ = ["DevServer", "DEBOUNCE_SECONDS"]

DEBOUNCE_SECONDS = 0.15


def _load_livereload() -> bytes:
    return resources.files("karigar.serve").joinpath("livereload.js").read_bytes()


class DevServer:
    """``karigar serve``: the site rendered page by page on demand, served with live reload.

    ``now`` fixes the build clock (``--now``); None reads the current time at
    every build.  ``port=0`` binds a free port (see :attr:`url` after
    :meth:`start`).  ``observer_factory`` makes the watchdog observer; tests
    pass one that fails to exercise the polling fallback.  ``polling_interval``
    is the fallback's shortest interval (None: one second; passes over a big
    tree space themselves further apart).  ``cache_pages``
    bounds the rendered pages kept in memory.
    """

    def __init__(self, settings: Settings, now: dt.datetime | None = None, *, host: str = "127.0.0.1",
                 port: int = 8000, observer_factory: ObserverFactory | None = None,
                 debounce: float = DEBOUNCE_SECONDS, polling_interval: float | None = None,
                 cache_pages: int = DEFAULT_CACHE_PAGES,
                 out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.settings = settings
        self.now = now
        self.host = host
        self.port = port
        self.observer_factory = observer_factory
        self.debounce = debounce
        self.polling_interval = polling_interval
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.livereload_js = _load_livereload()
        # Shared by every plan: pages whose signature an edit left alone are not rendered again.
        self.pages = PageCache(cache_pages, on_error=self._page_failed)
        self.planner = SitePlanner(self.pages)
        self.polling = False  # True once watching fell back to the polling observer
        self._snapshot = SiteSnapshot(0, {}, (), settings.base_path, ready=False)
        self._snapshot_changed = threading.Condition()
        self._build_lock = threading.Lock()  # one build at a time, whoever asks
        self._settings_ok = True
        self._shown_warnings: tuple[str, ...] = ()
        # Changes seen by watchdog and not built yet; guarded by _wake.
        self._wake = threading.Condition()
        self._changed: set[str] = set()
        # False when a change may have gone unrecorded since the last build (none yet, watches
        # restarted, an overflow): that build is then given no paths, so it trusts none.
        self._complete = False
        self._reread_settings = False  # an overflow may have hidden an edit of mkdocs.yml too
        self._alarm = OverflowAlarm(self.changes_lost)
        self._dirty = False
        self._busy = False  # the rebuild thread is building (or re-syncing watches)
        self._last_change = 0.0
        self._stopping = False
        self._stopped = threading.Event()
        self._plan = WatchPlan.for_settings(settings)
        self._plan_schedules: tuple[tuple[Path, bool], ...] = ()
        self._observers: list[BaseObserver] = []
        self._http: DevHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # -- the served state -------------------------------------------------
    def snapshot(self) -> SiteSnapshot:
        """The site as served right now."""
        with self._snapshot_changed:
            return self._snapshot

    @property
    def build_id(self) -> int:
        """The id of the latest build, failed or not (0 before the first)."""
        return self.snapshot().build_id

    def respond(self, path: str) -> Response:
        """What a GET of ``path`` gets now (everything but the live-reload long poll)."""
        return respond(self.snapshot(), path, livereload_js=self.livereload_js)

    def wait_for_change(self, since: int, timeout: float) -> int:
        """Block until the build id is not ``since`` (or timeout, or stop); the current build id."""
        deadline = time.monotonic() + timeout
        with self._snapshot_changed:
            while self._snapshot.build_id == since and not self._stopping:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._snapshot_changed.wait(remaining)
            return self._snapshot.build_id

    @property
    def url(self) -> str:
        """The address to open in a browser (the bound port once started)."""
        host, port = self.host, self.port
        if self._http is not None:
            port = self._http.server_address[1]
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else ("localhost" if host == "::" else host)
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}{self.settings.base_path}"

    # -- building -----------------------------------------------------------
    def rebuild(self, changed: Collection[str] = ()) -> SiteSnapshot:
        """Check and plan the site again and publish the result; never raises for a failed build.

        ``changed`` lists every path changed since the last build: settings
        are re-read when the config file is among them, MkDocs runs again
        only when one of them can change its output, and the loader re-reads
        only them.  None given means unknown: MkDocs runs and the loader walks
        the whole tree.  Nothing is rendered here; pages render when requested.
        """
        with self._build_lock:
            started = time.monotonic()
            if not self.snapshot().ready:
                self._serve_last_build()
            files: Mapping[str, bytes] = self.snapshot().files
            errors: tuple[str, ...] = ()
            plan: Plan | None = None
            try:
                settings, diagnostics = self._current_settings(changed)
                if settings is not None:
                    plan = self._plan_site(settings, changed)
                    diagnostics = diagnostics + plan.diagnostics
                else:
                    # Nothing was loaded: the next build's walk must still look at these paths.
                    self.planner.note_changes(changed)
                if plan is not None and plan.site is not None:
                    files = plan.site
                errors = tuple(format_text(d) for d in diagnostics if d.is_error)
                if (plan is None or plan.site is None) and not errors:
                    errors = ("the build failed without reporting a problem",)
                self._print_diagnostics(diagnostics)
            except Exception as exc:  # noqa: BLE001 - the server must outlive any bug in a build
                traceback.print_exc(file=self.err)
                # Where it stopped, the changed paths may not have reached the loader: walk everything next.
                self.planner.note_changes(())
                errors = (f"internal error while building: {type(exc).__name__}: {exc} "
                          "(the traceback is in the terminal running `karigar serve`)",)
            snapshot = self._publish(files, errors)
            seconds = time.monotonic() - started
            stamp = time.strftime("%H:%M:%S")
            if errors:
                self._say(f"[{stamp}] build {snapshot.build_id} failed ({len(errors)} error(s), {seconds:.2f} s); "
                          "still serving the last good build; pages show the errors", err=True)
            elif plan is not None and plan.site is not None:
                self._say(f"[{stamp}] build {snapshot.build_id}: {len(plan.site.jobs):,} pages planned, rendered "
                          f"when requested{' (MkDocs re-run)' if plan.ran_mkdocs else ''}, in {seconds:.2f} s "
                          f"({plan.timings.line()}); {self.pages.renders:,} rendered so far, "
                          f"{len(self.pages):,} cached")
        return snapshot

    def _serve_last_build(self) -> None:
        """Before the first plan: serve ``site_dir`` if the last ``karigar build`` proves it current.

        Its pages are the ones the plan would render (the up-to-date stamp proves
        the same inputs, engine, settings and clock), so a big catalog's first page
        answers in the time of that proof instead of after planning every page.
        """
        try:
            current = last_build_is_current(self.settings, now=self.now or dt.datetime.now(dt.timezone.utc))
        except Exception:  # noqa: BLE001 - only a shortcut: the plan that follows serves the site anyway
            traceback.print_exc(file=self.err)
            return
        if current:
            snapshot = self._publish(BuiltSite(self.settings.site_dir), ())
            self._say(f"[{time.strftime('%H:%M:%S')}] build {snapshot.build_id}: serving the last build's "
                      f"{self.settings.site_dir.name}/ (it is current) while the first plan runs")

    def _current_settings(self, changed: Collection[str]) -> tuple[Settings | None, list[Diagnostic]]:
        """The settings to build with, re-read when mkdocs.yml changed or last failed to load."""
        config = str(self.settings.config_file.resolve())
        if self._settings_ok and not self._reread_settings and config not in changed:
            return self.settings, []
        self._reread_settings = False
        sink = DiagnosticSink()
        settings = load_settings(self.settings.config_file, sink=sink)
        self._settings_ok = settings is not None
        if settings is None:
            return None, sink.sorted()
        self.settings = settings
        return settings, sink.sorted()

    def _plan_site(self, settings: Settings, changed: Collection[str]) -> Plan:
        """One dev-server build (check, MkDocs if needed, plan) at the build clock."""
        now = self.now or dt.datetime.now(dt.timezone.utc)
        return self.planner.plan(settings, now=now, changed=changed)

    def _publish(self, files: Mapping[str, bytes], errors: tuple[str, ...]) -> SiteSnapshot:
        with self._snapshot_changed:
            snapshot = SiteSnapshot(self._snapshot.build_id + 1, files, errors, self.settings.base_path)
            self._snapshot = snapshot
            self._snapshot_changed.notify_all()
        return snapshot

    def _page_failed(self, output: str, exc: BaseException) -> None:
        """Print the traceback of a page that raised while rendering on demand (an HTTP thread)."""
        text = "".join(traceback.format_exception(exc))
        self._say(f"error: rendering {output} raised:\n{text.rstrip()}", err=True)

    def _print_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        # Errors every time; warnings only when they differ from the last shown,
        # or a catalog with a few warnings would repeat them at every save.
        warnings = tuple(format_text(d) for d in diagnostics if not d.is_error)
        errors = [format_text(d) for d in diagnostics if d.is_error]
        shown = errors + (list(warnings) if warnings != self._shown_warnings else [])
        self._shown_warnings = warnings
        for text in shown:
            self._say(text, err=True)

    def _say(self, text: str, *, err: bool = False) -> None:
        print(text, file=self.err if err else self.out, flush=True)

    # -- watching -----------------------------------------------------------
    def notify_change(self, path: str) -> None:
        """Record a changed path; the rebuild thread builds once the tree is quiet."""
        self.request_rebuild((path,))

    def note_change(self, path: str) -> None:
        """Record a changed path that triggers no build (an editor's backup file); the next build sees it."""
        with self._wake:
            self._changed.add(path)

    def changes_lost(self) -> None:
        """The watcher may have missed changes (its queue overflowed): rebuild from a full walk."""
        self._say("warning: the file watcher's event queue overflowed and changes may have been missed: "
                  "rebuilding from the whole tree", err=True)
        self._reread_settings = True
        self.request_rebuild()

    def request_rebuild(self, paths: Collection[str] = ()) -> None:
        """Ask the rebuild thread for one more build (after the debounce).

        With no ``paths`` the changes since the last build are unknown: that
        build walks the whole tree, whatever other paths were recorded.
        """
        with self._wake:
            if paths:
                self._changed.update(paths)
            else:
                self._complete = False
            self._dirty = True
            self._last_change = time.monotonic()
            self._wake.notify_all()

    def idle(self) -> bool:
        """True when no build is running or waiting to run."""
        with self._wake:
            return not self._dirty and not self._busy

    def _start_watching(self) -> None:
        self._plan = WatchPlan.for_settings(self.settings)
        self._plan_schedules = self._plan.schedules()
        handler = ChangeHandler(self._plan, self.notify_change, self.note_change)
        watchdog_logger().addHandler(self._alarm)
        try:
            self._observers, polling = start_observer(
                self._plan, handler, factory=None if self.polling else self.observer_factory,
                polling_interval=self.polling_interval, err=self.err,
            )
        except BaseException:
            watchdog_logger().removeHandler(self._alarm)
            raise
        # Once inotify ran out it stays out: later restarts go straight to polling.
        self.polling = self.polling or polling

    def _stop_watching(self) -> None:
        observers, self._observers = self._observers, []
        stop_observers(observers)
        watchdog_logger().removeHandler(self._alarm)

    def _sync_watches(self) -> None:
        """Restart the observer when the watched folders changed (new settings, a folder created)."""
        plan = WatchPlan.for_settings(self.settings)
        if self._stopping or (plan == self._plan and plan.schedules() == self._plan_schedules):
            return  # (never start an observer that stop() would not see)
        self._stop_watching()
        self._start_watching()
        # Changes made while no observer was running would be lost: build once more.
        self.request_rebuild()

    def _rebuild_loop(self) -> None:
        while True:
            with self._wake:
                while not self._dirty and not self._stopping:
                    self._wake.wait()
                # Debounce: an editor's save is several events; build once they stop.
                while not self._stopping:
                    quiet_for = time.monotonic() - self._last_change
                    if quiet_for >= self.debounce:
                        break
                    self._wake.wait(self.debounce - quiet_for)
                if self._stopping:
                    return
                changed = self._changed if self._complete else set()
                self._changed, self._dirty, self._complete = set(), False, True
                self._busy = True
            try:
                self.rebuild(changed)
                self._sync_watches()
            except Exception:  # noqa: BLE001 - keep serving with the watches we had
                traceback.print_exc(file=self.err)
            finally:
                with self._wake:
                    self._busy = False

    # -- life cycle ---------------------------------------------------------
    def start(self) -> None:
        """Bind, start watching, then serve and build in background threads; returns at once.

        The first build runs in the rebuild thread: until it is done every
        request gets a "building" page that reloads by itself (on a big
        catalog the first check takes minutes, and a browser waiting on a
        closed port says nothing).  Raises OSError when the address cannot
        be bound (or watching fails for a reason other than the inotify limits).
        """
        self._http = DevHTTPServer((self.host, self.port), self)
        try:
            # Watch before the first build, so a save during it is not lost.
            self._start_watching()
        except BaseException:
            self._http.server_close()
            self._http = None
            raise
        serve = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.2},
                                 name="karigar-http", daemon=True)
        builder = threading.Thread(target=self._rebuild_loop, name="karigar-rebuild", daemon=True)
        self._threads = [serve, builder]
        for thread in self._threads:
            thread.start()
        self.request_rebuild()  # the first build
        self._say(f"serving {self.settings.site_name} at {self.url} (Ctrl-C to stop); "
                  "the first build is running, the page shows when it is ready")

    def stop(self) -> None:
        """Stop watching, serving and rebuilding; safe to call twice."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        with self._snapshot_changed:
            self._snapshot_changed.notify_all()  # release the long polls
        if self._http is not None:
            if self._threads:
                self._http.shutdown()
            self._http.server_close()
            self._http = None
        self._stop_watching()
        for thread in self._threads:
            # A build in progress finishes on its own (daemon thread); don't wait for all of it.
            thread.join(timeout=2)
        self._threads = []
        self._stopped.set()

    def serve_until_interrupted(self) -> int:
        """Block until Ctrl-C, then stop cleanly; 0."""
        try:
            while not self._stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            self._say("\nstopping")
        finally:
            self.stop()
        return 0

    @property
    def watched(self) -> tuple[tuple[Path, bool], ...]:
        """The folders watched now, ``(folder, recursive)``."""
        return self._plan.schedules()
