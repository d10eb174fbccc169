"""The persistent build index: what the last builds validated, kept in SQLite under ``.karigar-cache/``.

One row per catalog entry holds its validation result (model and
diagnostics) under the key it is valid for: the entry's content id, the
validation context (engine, registries, the settings validation reads), the
photo set of its folder and the day it was validated.  One row per input
file holds its stat key and content id (the stat index that spares reading
unchanged files).  Unlike one pickle of the whole cache, a build writes only
the rows that changed, and each row carries its own key, so:

- a corrupt, truncated or foreign file is detected (SQLite's own checks, an
  ``application_id``, a checksum per row) and the index starts empty;
- two builds writing at once cannot mix their results: a row is used only
  when its whole key matches, and a locked index is simply not written;
- a build killed while writing leaves SQLite's journal, rolled back on the
  next open: the index is the last committed one.

Nothing here can make a page wrong: a missing or rejected row means the
entry is validated again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from karigar.load.entries import StatKey

__all__ = ["EntryRow", "PublishedRow", "BuildIndex", "INDEX_FORMAT", "part_checksum"]

INDEX_FORMAT = 2
T = TypeVar("T")
# "Kari" in ASCII: a SQLite file made by anything else is foreign, whatever its tables.
_APPLICATION_ID = 0x4B617269
_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, inode INTEGER, content_id TEXT);
CREATE TABLE IF NOT EXISTS entries (
    path TEXT PRIMARY KEY, content_id TEXT, context TEXT, photo_set TEXT, day TEXT, checksum TEXT,
    result BLOB);
CREATE TABLE IF NOT EXISTS published (
    source TEXT PRIMARY KEY, shape TEXT, digest TEXT, checksum TEXT, images BLOB);
CREATE TABLE IF NOT EXISTS snapshot (
    name TEXT PRIMARY KEY, checksum TEXT, value BLOB);
"""


def _create(db: sqlite3.Connection) -> None:
    """Make an empty file Karigar's index: the tables, and the marks that tell it from any other."""
    db.executescript(_SCHEMA)
    db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {INDEX_FORMAT}")


def _busy(exc: sqlite3.Error) -> bool:
    """Another build holds the index: leave it alone (it is not damaged)."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _checksum(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def part_checksum(blob: bytes) -> str:
    """The checksum :meth:`BuildIndex.snapshot_part` returns for a part pickled as ``blob``."""
    return _checksum(blob)


def _record(path: str, row: "EntryRow") -> tuple[str, str, str, str, str, str, bytes]:
    blob = pickle.dumps(row.result, protocol=pickle.HIGHEST_PROTOCOL)
    return (path, row.content_id, row.context, row.photo_set, row.day.isoformat(), _checksum(blob), blob)


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One entry's validation result and the key it holds for."""

    content_id: str
    context: str
    photo_set: str
    day: dt.date
    result: Any  # (model or None, diagnostics), as validation returned it


@dataclass(frozen=True, slots=True)
class PublishedRow:
    """A published entry as the last full build left it (see :mod:`karigar.incremental.quick`)."""

    shape: str  # what places the entry in the catalog's lists
    digest: str  # the entry's hash in page signatures
    images: Any  # what its pages show of its photos: {photo file: PublishedImage}


def _published_record(source: str, row: PublishedRow) -> tuple[str, str, str, str, bytes]:
    blob = pickle.dumps(row.images, protocol=pickle.HIGHEST_PROTOCOL)
    return (source, row.shape, row.digest, _checksum(f"{row.shape}\x1f{row.digest}".encode() + blob), blob)


class BuildIndex:
    """The index file; every method tolerates a damaged or busy file by acting as if it were empty."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection | None:
        """An open, checked connection, or None (then the index is rebuilt from nothing)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A short busy timeout: another build holding the index must not stall this one.
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
        except (OSError, sqlite3.Error):
            return None
        try:
            app, version = db.execute("PRAGMA application_id").fetchone()[0], db.execute(
                "PRAGMA user_version").fetchone()[0]
            if (app, version) != (_APPLICATION_ID, INDEX_FORMAT):
                tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if app != 0 or version != 0 or tables:
                    raise sqlite3.DatabaseError("foreign or older index")  # replaced below
                _create(db)
            # A process killed mid-write is safe with the rollback journal; only a crash of the
            # whole machine could tear a page, and a CI machine's cache dies with it anyway.
            db.execute("PRAGMA synchronous = OFF")
            return db
        except sqlite3.Error as exc:
            db.close()
            return None if _busy(exc) else self._replace()

    def _replace(self) -> sqlite3.Connection | None:
        """Remove a damaged or foreign index and start an empty one."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            except OSError:
                return None
        try:
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            _create(db)
            db.execute("PRAGMA synchronous = OFF")
            return db
        except (OSError, sqlite3.Error):
            return None

    def read(self) -> tuple[dict[str, tuple[StatKey, str]], dict[str, EntryRow]]:
        """The stat index and every entry row whose checksum holds (both empty if the file cannot be read)."""
        db = self._connect()
        if db is None:
            return {}, {}
        try:
            stats = {path: ((mtime, size, inode), cid)
                     for path, mtime, size, inode, cid in db.execute("SELECT * FROM files")}
            rows: dict[str, EntryRow] = {}
            for path, cid, context, photo_set, day, checksum, blob in db.execute("SELECT * FROM entries"):
                if _checksum(blob) != checksum:
                    continue  # a damaged row: validated again
                rows[path] = EntryRow(cid, context, photo_set, dt.date.fromisoformat(day), pickle.loads(blob))
            return stats, rows
        except Exception as exc:  # malformed pages, a row from another version that does not unpickle
            db.close()
            if not (isinstance(exc, sqlite3.Error) and _busy(exc)):
                replaced = self._replace()
                if replaced is not None:
                    replaced.close()
            return {}, {}
        finally:
            db.close()

    def write(self, *, old_stats: Mapping[str, tuple[StatKey, str]], stats: Mapping[str, tuple[StatKey, str]],
              changed: Mapping[str, EntryRow], entries: Iterable[str], old_entries: Iterable[str]) -> bool:
        """Record what changed since :meth:`read`: new stats, new rows, rows of entries that are gone.

        One transaction: the index is either the old one or the new one.
        Returns False when the index could not be written (busy, read-only,
        damaged); the next build then validates those entries again.
        """
        present = set(entries)

        def statements(db: sqlite3.Connection) -> None:
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in old_stats.keys() - stats.keys()])
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                [(path, key[0], key[1], key[2], cid) for path, (key, cid) in stats.items()
                 if old_stats.get(path) != (key, cid)])
            db.executemany("DELETE FROM entries WHERE path = ?", [(p,) for p in set(old_entries) - present])
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (_record(path, row) for path, row in changed.items()))
        return self._transaction(statements)

    def _transaction(self, statements: Callable[[sqlite3.Connection], None]) -> bool:
        """Run ``statements`` in one transaction: the index is the old one or the new one.
        False when it could not be written (busy, read-only, damaged)."""
        db = self._connect()
        if db is None:
            return False
        try:
            db.execute("BEGIN IMMEDIATE")
            statements(db)
            db.execute("COMMIT")
            return True
        except sqlite3.Error:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            return False
        finally:
            db.close()

    # -- what a quick build reads and writes ---------------------------------------
    def _query(self, run: Any) -> Any:
        """``run(db)`` on an open index; None when it cannot be read (busy, damaged, foreign)."""
        db = self._connect()
        if db is None:
            return None
        try:
            return run(db)
        except Exception:  # noqa: BLE001 - a damaged page or a row that does not unpickle: no quick build
            return None
        finally:
            db.close()

    def entry_ids(self) -> dict[str, tuple[str, str]] | None:
        """Entry file -> (content id, validation context) of every row."""
        return self._query(lambda db: {path: (cid, context) for path, cid, context
                                       in db.execute("SELECT path, content_id, context FROM entries")})

    def _rows(self, query: str, keys: Iterable[str], row_of: Callable[[tuple[Any, ...]], T | None]) -> dict[str, T] | None:
        """``query``'s row for each of ``keys`` that has one, made by ``row_of`` (None: a damaged row,
        and then None for all: the caller takes the full path)."""
        def run(db: sqlite3.Connection) -> dict[str, T] | None:
            rows: dict[str, T] = {}
            for key in keys:
                found = db.execute(query, (key,)).fetchone()
                if found is None:
                    continue
                row = row_of(found)
                if row is None:
                    return None
                rows[key] = row
            return rows
        return self._query(run)

    def entries(self, paths: Iterable[str]) -> dict[str, EntryRow] | None:
        """The rows of ``paths`` that exist; None if one of them is damaged (its checksum fails)."""
        def row_of(found: tuple[Any, ...]) -> EntryRow | None:
            cid, context, photo_set, day, checksum, blob = found
            if _checksum(blob) != checksum:
                return None
            return EntryRow(cid, context, photo_set, dt.date.fromisoformat(day), pickle.loads(blob))
        return self._rows("SELECT content_id, context, photo_set, day, checksum, result FROM entries WHERE path = ?",
                          paths, row_of)

    def has_entries_under(self, folder: str) -> bool | None:
        """Whether any entry row lies inside ``folder`` (None: the index cannot be read)."""
        # "0" follows "/" in every collation of code points: the range is exactly folder/...
        return self._query(lambda db: db.execute("SELECT 1 FROM entries WHERE path > ? AND path < ? LIMIT 1",
                                                 (folder + "/", folder + "0")).fetchone() is not None)

    def artisan_paths(self, catalog: str, slug: str) -> list[str] | None:
        """The rows' artisan files (``<catalog>/<country>/<district>/<slug>/index.md``) of an artisan slug."""
        depth = catalog.count("/") + 5
        return self._query(lambda db: [path for (path,) in db.execute(
            "SELECT path FROM entries WHERE path GLOB ?", (f"{catalog}/*/*/{slug}/index.md",))
            if path.count("/") + 1 == depth])

    def published_keys(self) -> dict[str, tuple[str, str]] | None:
        """Source -> (shape, digest) of every published row."""
        return self._query(lambda db: {source: (shape, digest) for source, shape, digest
                                       in db.execute("SELECT source, shape, digest FROM published")})

    def published(self, sources: Iterable[str]) -> dict[str, PublishedRow] | None:
        """The published rows of ``sources`` that exist; None if one of them is damaged."""
        def row_of(found: tuple[Any, ...]) -> PublishedRow | None:
            shape, digest, checksum, blob = found
            if _checksum(f"{shape}\x1f{digest}".encode() + blob) != checksum:
                return None
            return PublishedRow(shape, digest, pickle.loads(blob))
        return self._rows("SELECT shape, digest, checksum, images FROM published WHERE source = ?", sources, row_of)

    def snapshot(self) -> Any:
        """The last full build's snapshot for quick builds, or None."""
        def run(db: sqlite3.Connection) -> Any:
            found = db.execute("SELECT checksum, value FROM snapshot WHERE name = 'quick'").fetchone()
            if found is None or _checksum(found[1]) != found[0]:
                return None
            return pickle.loads(found[1])
        return self._query(run)

    def snapshot_part(self, name: str) -> tuple[str, Any] | None:
        """A part of the snapshot kept in a row of its own (so that a build that leaves it as it was
        need not write it): its checksum and value, or None if missing or damaged."""
        def run(db: sqlite3.Connection) -> tuple[str, Any] | None:
            found = db.execute("SELECT checksum, value FROM snapshot WHERE name = ?", (f"part:{name}",)).fetchone()
            if found is None or _checksum(found[1]) != found[0]:
                return None
            return found[0], pickle.loads(found[1])
        return self._query(run)

    def record(self, *, snapshot: Any, published: Mapping[str, PublishedRow] | None = None,
               gone: Iterable[str] = (), changed: Mapping[str, EntryRow] | None = None,
               parts: Mapping[str, bytes] | None = None) -> bool:
        """Write a snapshot, published rows (``gone``: sources no longer published) and entry rows,
        in one transaction.  ``snapshot`` None removes it (the next build is a full one).  ``parts``:
        pickled parts of the snapshot that changed (see :meth:`snapshot_part`); the others stay."""
        def statements(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM snapshot WHERE name = 'quick'")
            db.executemany("INSERT OR REPLACE INTO snapshot VALUES (?, ?, ?)",
                           [(f"part:{name}", _checksum(blob), blob) for name, blob in (parts or {}).items()])
            db.executemany("DELETE FROM published WHERE source = ?", [(s,) for s in gone])
            db.executemany("INSERT OR REPLACE INTO published VALUES (?, ?, ?, ?, ?)",
                           (_published_record(source, row) for source, row in (published or {}).items()))
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (_record(path, row) for path, row in (changed or {}).items()))
            if snapshot is not None:
                blob = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
                db.execute("INSERT INTO snapshot VALUES ('quick', ?, ?)", (_checksum(blob), blob))
        return self._transaction(statements)
