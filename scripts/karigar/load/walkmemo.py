"""What one walk of the content tree found, kept so that the next walk reads only what changed.

``karigar serve`` loads the site again after every save, and a full walk lists
and stats every file of the catalog (350,000 at 50,000 artisans: seconds)
although the watcher already knows which paths changed.  A :class:`WalkMemo`,
held by the dev server between rebuilds, keeps the last walk's results and
the paths reported since; the loader then lists only the folders that hold a
changed path, stats only the changed files, and copies the rest from the last
walk.

Why copying is exact: the walk visits folders in a fixed order, so what one
folder contributes (entries, registries, photos, stat records, diagnostics) is
one contiguous run of each output sequence (:class:`WalkOutput`).  For each
folder the memo keeps the length of its runs and, for its sub-folders, where
their runs start relative to its own (:class:`Unit`; relative, so a folder
copied to a new place keeps its sub-folders' records as they are).  A folder
with no changed path below it gives what it gave last time; a folder with one
is listed again and its sub-folders decided the same way, down to single
content pages.

It never guesses.  With no previous walk, other settings, a changed path it
cannot place (outside the folders the walk reads and the ones it never reads),
or changes it was told may have been missed (:meth:`WalkMemo.forget`: the
watcher overflowed, watching restarted, the first build), the walk is a full
one.  A changed path that is a folder (created, deleted, renamed) is walked
whole, every file under it statted; a folder whose last walk could not read
something is walked again.
"""

from __future__ import annotations

import operator
import os
import posixpath
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from karigar.diagnostics import Diagnostic
from karigar.load.entries import LoadedSite, PhotoFile, RawEntry, RawRegistry, StatKey
from karigar.settings import Settings

__all__ = ["WalkMemo", "WalkOutput", "FileAccess", "OS_FILES", "Unit", "Frame", "Rewalk", "changed_paths",
           "Positions"]

# One count per output sequence of WalkOutput, in its order.
Positions = tuple[int, ...]
_DIAGNOSTICS = 8  # index of the diagnostics in WalkOutput.sequences()
_STATS = 7
ZERO: Positions = (0,) * 9
# A folder whose walk reported these is walked again next time, never copied: the
# problem may have been passing (a permission fixed, a folder created) without an event.
_NOT_WHOLE = frozenset({"read", "catalog-missing"})


class FileAccess:
    """The file-system calls of a walk, in one place so that tests can count them (by a subclass)."""

    def scandir(self, path: Path) -> AbstractContextManager[Iterator[os.DirEntry[str]]]:
        return os.scandir(path)

    def stat(self, path: Path) -> os.stat_result:
        return os.stat(path)

    def read_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def is_file(self, path: Path) -> bool:
        return path.is_file()


OS_FILES = FileAccess()


class WalkOutput:
    """A walk's results as sequences in walk order: each folder's share is one run of each."""

    __slots__ = ("artisans", "products", "translations", "trainings", "pages", "registries", "photos", "stats",
                 "diagnostics")

    def __init__(self) -> None:
        self.artisans: list[RawEntry] = []
        self.products: list[RawEntry] = []
        self.translations: list[RawEntry] = []
        self.trainings: list[RawEntry] = []
        self.pages: list[RawEntry] = []
        self.registries: list[tuple[str, RawRegistry]] = []
        self.photos: list[tuple[str, PhotoFile]] = []
        self.stats: list[tuple[str, tuple[StatKey, str]]] = []
        self.diagnostics: list[Diagnostic] = []

    def sequences(self) -> tuple[list[Any], ...]:
        return (self.artisans, self.products, self.translations, self.trainings, self.pages, self.registries,
                self.photos, self.stats, self.diagnostics)

    def positions(self) -> Positions:
        return tuple(map(len, self.sequences()))

    def copy_run(self, source: WalkOutput, start: Positions, size: Positions) -> None:
        """Append what one folder contributed to ``source`` (its runs at ``start``, ``size`` long)."""
        for mine, theirs, first, count in zip(self.sequences(), source.sequences(), start, size):
            if count:
                mine.extend(theirs[first:first + count])

    def site(self, *, copy: bool) -> LoadedSite:
        """The :class:`LoadedSite`; with ``copy`` its lists are the caller's own (the memo keeps these)."""
        def own(entries: list[RawEntry]) -> list[RawEntry]:
            return list(entries) if copy else entries

        return LoadedSite(own(self.artisans), own(self.products), own(self.translations), own(self.trainings),
                          own(self.pages), dict(self.registries), dict(self.photos), dict(self.stats))


def _minus(a: Positions, b: Positions) -> Positions:
    return tuple(map(operator.sub, a, b))


def _plus(a: Positions, b: Positions) -> Positions:
    return tuple(map(operator.add, a, b))


class Unit:
    """One folder (or content page) of a walk: how long its runs are, and its sub-units.

    ``children`` maps a sub-unit's name to where its runs start relative to
    this unit's and the sub-unit itself.  ``whole``: the walk read everything
    in it (no read error), so it may be copied.
    """

    __slots__ = ("size", "children", "whole")

    def __init__(self, size: Positions, children: dict[str, tuple[Positions, Unit]], whole: bool) -> None:
        self.size = size
        self.children = children
        self.whole = whole


_NO_CHILDREN: dict[str, tuple[Positions, Unit]] = {}  # shared by every leaf; never written to


class Frame:
    """A unit being walked: where its runs start, its sub-units so far, and what it was last time."""

    __slots__ = ("start", "children", "old", "old_start", "_old_stats")

    def __init__(self, start: Positions, old: tuple[Unit, Positions] | None) -> None:
        self.start = start
        self.children: dict[str, tuple[Positions, Unit]] = {}
        self.old: Unit | None = old[0] if old is not None else None
        self.old_start: Positions | None = old[1] if old is not None else None
        self._old_stats: dict[str, tuple[StatKey, str]] | None = None

    def old_child(self, name: str) -> tuple[Unit, Positions] | None:
        """The sub-unit ``name`` of the last walk and where its runs start there."""
        if self.old is None or self.old_start is None:
            return None
        found = self.old.children.get(name)
        return None if found is None else (found[1], _plus(self.old_start, found[0]))

    def old_stat(self, rel: str, source: WalkOutput) -> tuple[StatKey, str] | None:
        """The stat record the last walk made for file ``rel`` of this unit (units hold few files)."""
        if self.old is None or self.old_start is None:
            return None
        if self._old_stats is None:
            first = self.old_start[_STATS]
            self._old_stats = dict(source.stats[first:first + self.old.size[_STATS]])
        return self._old_stats.get(rel)

    def close(self, output: WalkOutput) -> Unit:
        end = output.positions()
        diagnostics = output.diagnostics[self.start[_DIAGNOSTICS]:end[_DIAGNOSTICS]]
        return Unit(_minus(end, self.start), self.children or _NO_CHILDREN,
                    not any(d.code in _NOT_WHOLE for d in diagnostics))


@dataclass(frozen=True)
class LastWalk:
    key: tuple[object, ...]  # the settings the walk depended on (see WalkMemo.key)
    output: WalkOutput
    root: Unit


@dataclass(frozen=True)
class Rewalk:
    """One walk that copies from the last: the site-relative paths changed, and every folder above them."""

    last: LastWalk
    changed: frozenset[str]
    touched: frozenset[str]

    def copies(self, rel: str) -> bool:
        """Whether nothing under ``rel`` changed (so the last walk's results for it hold)."""
        return rel not in self.touched


def _with_parents(paths: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        # A path already present brought its parents with it.
        while path and path not in found:
            found.add(path)
            path = posixpath.dirname(path)
    return found


def _within(path: Path, folders: Iterable[Path]) -> Path | None:
    for folder in folders:
        if path == folder or folder in path.parents:
            return folder
    return None


def changed_paths(settings: Settings, paths: Iterable[str]) -> set[str] | None:
    """The site-relative form of the changed ``paths`` the walk reads; None when one cannot be placed.

    Paths in the catalog or content folders (as configured or resolved: the
    watcher reports resolved ones) are kept; the config file, theme,
    templates, cache and output folders are never read by the walk and are
    dropped (a settings change is caught by :meth:`WalkMemo.key`); any other
    path is unknown.
    """
    walked: dict[Path, str] = {}
    for folder in (settings.catalog_dir, settings.docs_dir):
        try:
            rel = folder.relative_to(settings.root).as_posix()
        except ValueError:
            return None
        if rel == "." or rel.startswith("../"):
            return None
        walked[folder] = walked[folder.resolve()] = rel
    unread = {p for d in (settings.theme_dir, settings.templates_dir, settings.cache_dir, settings.site_dir)
              for p in (d, d.resolve())}
    unread |= {settings.config_file, settings.config_file.resolve()}
    found: set[str] = set()
    for raw in paths:
        path = Path(raw) if os.path.isabs(raw) else settings.root / raw
        base = _within(path, walked)
        if base is not None:
            found.add(walked[base] if path == base else f"{walked[base]}/{path.relative_to(base).as_posix()}")
        elif _within(path, unread) is None:
            return None
    return found


class WalkMemo:
    """The last walk and the paths changed since, kept by a long-running process (``karigar serve``).

    :meth:`note` adds paths the watcher saw change (created, modified,
    deleted, either end of a move; files or folders); :meth:`forget` says
    changes may have been missed, so the next walk is a full one (the state
    it starts in).  The loader (``load_site(walk=...)``) takes the paths a
    walk covers when it starts and gives them back if it fails.  ``full_walks``
    and ``partial_walks`` count the walks of each kind; ``last_walk`` is
    "full" or "partial".
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # note() may come from a watcher's thread
        self._pending: set[str] | None = None  # None: unknown
        self._last: LastWalk | None = None
        self.full_walks = 0
        self.partial_walks = 0
        self.last_walk = ""

    def note(self, paths: Iterable[str]) -> None:
        """Record changed paths (absolute, or relative to the site's root)."""
        with self._lock:
            if self._pending is not None:
                self._pending.update(paths)

    def forget(self) -> None:
        """Changes may have been missed: the next walk lists and stats everything."""
        with self._lock:
            self._pending = None

    @staticmethod
    def key(settings: Settings, parses_all: bool) -> tuple[object, ...]:
        """What a walk depends on besides the files: where it reads and which languages it knows.

        ``parses_all``: no ``is_cached`` was given, so entries are parsed
        rather than left as stubs.  (A given ``is_cached`` must answer the
        same for the same path and bytes across the walks of one memo, as the
        entry cache's does.)
        """
        return (settings.root, settings.catalog_dir, settings.docs_dir, settings.languages, parses_all)

    def begin(self, settings: Settings, key: tuple[object, ...]) -> tuple[Rewalk | None, set[str] | None]:
        """How the next walk may copy from the last (None: a full walk), and the changes it takes."""
        with self._lock:
            taken, self._pending = self._pending, set()
        last = self._last if self._last is not None and self._last.key == key else None
        changed = changed_paths(settings, taken) if last is not None and taken is not None else None
        if last is None or changed is None:
            return None, taken
        return Rewalk(last, frozenset(changed), frozenset(_with_parents(changed))), taken

    def abandon(self, taken: set[str] | None) -> None:
        """A walk failed: the changes it took are still to be walked."""
        with self._lock:
            if taken is None or self._pending is None:
                self._pending = None
            else:
                self._pending |= taken

    def last_result(self) -> tuple[LoadedSite, list[Diagnostic]] | None:
        """What the last walk found, as a new :class:`LoadedSite` and its diagnostics (None before one)."""
        last = self._last
        return None if last is None else (last.output.site(copy=True), list(last.output.diagnostics))

    def finish(self, key: tuple[object, ...], output: WalkOutput, root: Unit, *, partial: bool) -> None:
        """Keep a finished walk for the next one to copy from."""
        self._last = LastWalk(key, output, root)
        self.last_walk = "partial" if partial else "full"
        if partial:
            self.partial_walks += 1
        else:
            self.full_walks += 1
