"""Decide that a build has nothing to do before it reads anything.

A rebuild with nothing changed must still prove that nothing changed.  The
content-hash path (the entry cache, output signatures) proves it per entry,
but at 50,000 artisans merely loading the cached models costs far more than
the 5 seconds a volunteer should wait.  So a successful build leaves a
*stamp*: one hash over its inputs, the engine's code, the settings and the
theme's package versions, plus the instant at which the build's clock would
change an output (the next event ending, the next midnight).  When the
hash, the clock and the published state all still match, the build is done.

In a Git work tree (every real site, and Netlify's fresh clone of it) the
hash is over the inputs as Git sees them (:func:`input_tree_state`): the
input folders' trees at ``HEAD`` and the content id of every file that
differs from them, which ``git status`` finds as fast as Git can stat.  A
fresh clone has the same key as the working copy it was pushed from, so a
restored cache proves it up to date; its published state is then checked by
its content, and the stamp renewed with its stats.  Outside Git the hash is
over the stat (path, size, mtime, inode) of every input file.

Anything else -- any edit, a build made by another route, a killed build --
falls back to a quick or a full incremental build, which compares content
hashes, so the stamp can make a build faster but never wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Diagnostic
from karigar.load.git_ids import TreeState, git_tree_state
from karigar.runtime import worker_pool
from karigar.write.published import state_token

__all__ = ["BuildStamp", "input_key", "input_tree_state", "tree_key", "clock_valid_until", "read_stamp", "write_stamp",
           "stamp_file", "forget_stamp"]

STAMP_FORMAT = 2
# Validation calls a date "in the future" relative to the latest time zone's today.
_LATEST_ZONE = dt.timezone(dt.timedelta(hours=14))
# Packages whose templates or behaviour shape the output besides the engine itself.
_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "babel", "pyromark", "nh3", "pillow")


@dataclass(frozen=True)
class BuildStamp:
    key: str
    built_at: dt.datetime  # the build's clock: an earlier clock may show other events as upcoming
    valid_until: dt.datetime | None  # None: no output depends on the clock
    state_stat: tuple[int, int, int]  # the published-state file the build committed
    files: int
    diagnostics: tuple[Diagnostic, ...]
    content_key: str | None = None  # None: Git did not know the inputs' ids
    state_digest: str = ""  # the published state's token (write/published.py), for a restored (re-statted) copy


def stamp_file(settings: Settings) -> Path:
    return settings.cache_dir / "state" / "uptodate.pickle"


def _walk(folder: str, digest: "hashlib.blake2b", root: str, units: list[str] | None = None,
          depth: int = 0) -> None:
    """Hash the stats under ``folder``; with ``units``, folders two levels down are left to the caller.

    Those folders (``<country>/<district>`` in the catalog) are listed in
    ``units`` in walk order and stand in the hash by their index, so the
    caller can hash them in parallel and fold their digests in that order.
    """
    try:
        with os.scandir(folder) as it:
            found = sorted(it, key=lambda e: e.name)
    except OSError:
        digest.update(f"?{folder}\n".encode())
        return
    for entry in found:
        rel = entry.path[len(root):]
        if entry.is_dir(follow_symlinks=False):
            digest.update(f"d{rel}\n".encode())
            if units is not None and depth >= 1:
                digest.update(f"u{len(units)}\n".encode())
                units.append(entry.path)
            else:
                _walk(entry.path, digest, root, units, depth + 1)
        else:
            st = entry.stat(follow_symlinks=False)
            digest.update(f"f{rel}\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1f{st.st_ino}\n".encode())


def _unit_digest(task: tuple[str, str]) -> bytes:
    folder, root = task
    digest = hashlib.blake2b(digest_size=16)
    _walk(folder, digest, root)
    return digest.digest()


# Below this many district folders, forking a second walker costs more than it saves.
PARALLEL_UNITS = 64


def _tree(folders: list[str], root: str, digest: "hashlib.blake2b", processes: int) -> None:
    units: list[str] = []
    for folder in folders:
        digest.update(f"root {folder}\n".encode())
        _walk(folder, digest, root, units)
    tasks = [(unit, root) for unit in units]
    if processes > 1 and len(tasks) >= PARALLEL_UNITS:
        # Each district is walked on its own core: stat calls dominate, and they parallelise.
        with worker_pool(processes) as pool:
            parts = pool.map(_unit_digest, tasks, chunksize=max(1, len(tasks) // (processes * 8)))
    else:
        parts = [_unit_digest(task) for task in tasks]
    for part in parts:
        digest.update(part)


def _base_digest(settings: Settings, engine: str, site_dir: str) -> "hashlib.blake2b":
    """What every key covers besides the input files: the engine, settings, packages, the output folder."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(engine.encode())
    digest.update(settings.fingerprint().encode())
    digest.update(site_dir.encode())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?\n".encode())
    return digest


def _input_folders(settings: Settings) -> list[str]:
    folders = sorted({str(p) for p in (settings.catalog_dir, settings.docs_dir, settings.theme_dir,
                                       settings.templates_dir)})
    # A folder inside another listed one (theme/karigar in theme/) is walked once, with its parent.
    return [f for f in folders if not any(f.startswith(other + os.sep) for other in folders)]


def input_key(settings: Settings, engine: str, *, processes: int = 1) -> str:
    """One hash over everything a build reads, by stat: a few seconds for 350,000 files."""
    digest = _base_digest(settings, engine, str(settings.site_dir))
    root = str(settings.root)
    try:
        st = settings.config_file.stat()
        digest.update(f"config\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1f{st.st_ino}\n".encode())
    except OSError:
        digest.update(b"config?\n")
    _tree(_input_folders(settings), root, digest, processes)
    return digest.hexdigest()


def input_tree_state(settings: Settings) -> TreeState | None:
    """The build's inputs as Git sees them (:func:`~karigar.load.git_ids.git_tree_state`); None outside Git."""
    folders = [settings.relative(Path(f)) for f in _input_folders(settings)]
    return git_tree_state(settings.root, folders + [settings.relative(settings.config_file)])


def tree_key(settings: Settings, engine: str, inputs: TreeState) -> str:
    """One hash over everything a build reads, by Git's ids of the inputs (:func:`input_tree_state`).

    Equal keys are equal inputs, in place or in a fresh clone: the folders'
    trees at ``HEAD`` and the content id of every file that differs from
    them.  The output folder counts by its path relative to the site's root
    where it lies inside, so a clone at another path has the same key.
    """
    digest = _base_digest(settings, engine, settings.relative(settings.site_dir))
    digest.update(repr((inputs.head, inputs.dirty)).encode())
    return digest.hexdigest()


def _next_midnight(now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    local = now.astimezone(zone)
    tomorrow = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return tomorrow


def clock_valid_until(catalog: Catalog) -> dt.datetime:
    """The first instant at which the same inputs would give different output.

    Listings of upcoming trainings change when an event starts or ends; the
    calendar's stamp and "date in the future" checks change at midnight (in
    the build clock's zone and in the latest zone).
    """
    now = catalog.now
    candidates = [_next_midnight(now, now.tzinfo or dt.timezone.utc), _next_midnight(now, _LATEST_ZONE)]
    for training in catalog.trainings:
        for instant in (training.starts, training.ends):
            if instant is not None and instant > now:
                candidates.append(instant)
    return min(candidates)


def _stat_of(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def read_stamp(settings: Settings, *, key: str, now: dt.datetime, state_file: Path, marker: Path,
               content: Callable[[], str | None] | None = None) -> BuildStamp | None:
    """The last build's stamp if it proves the site is up to date, else None.

    First by ``key`` and the published state's stats; when they differ, by
    content (``content`` computes the content key, only then, and the published
    state is compared by its token): a fresh clone with the cache restored.  A
    stamp proven by content is renewed with this copy's key and stats.
    """
    try:
        with stamp_file(settings).open("rb") as handle:
            fmt, stamp = pickle.load(handle)
    except Exception:  # missing, truncated, or written by another version
        return None
    if fmt != STAMP_FORMAT or not isinstance(stamp, BuildStamp):
        return None
    if now < stamp.built_at or (stamp.valid_until is not None and now >= stamp.valid_until):
        return None
    if marker.exists() or not settings.site_dir.is_dir():
        return None  # a killed build left its marker, or there is no site to keep
    if stamp.key == key and _stat_of(state_file) == stamp.state_stat:
        # Same inputs, and the published state is the very file the stamped build committed.
        return stamp
    if content is None or stamp.content_key is None or not stamp.state_digest:
        return None
    if content() != stamp.content_key or state_token(state_file) != stamp.state_digest:
        return None  # an input changed, or another build published since
    renewed = dataclasses.replace(stamp, key=key, state_stat=_stat_of(state_file) or stamp.state_stat)
    _save(settings, renewed)
    return renewed


def write_stamp(settings: Settings, *, key: str, built_at: dt.datetime, valid_until: dt.datetime | None, state_file: Path,
                files: int, diagnostics: list[Diagnostic], content_key: str | None = None) -> None:
    """Stamp a successful build; ``key`` and ``content_key`` must be computed *before* it read anything."""
    state_stat = _stat_of(state_file)
    if state_stat is None:
        stamp_file(settings).unlink(missing_ok=True)
        return
    _save(settings, BuildStamp(key, built_at, valid_until, state_stat, files, tuple(diagnostics),
                               content_key=content_key, state_digest=state_token(state_file)))


def _save(settings: Settings, stamp: BuildStamp) -> None:
    path = stamp_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    with temp.open("wb") as handle:
        pickle.dump((STAMP_FORMAT, stamp), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, path)


def forget_stamp(settings: Settings) -> None:
    stamp_file(settings).unlink(missing_ok=True)
