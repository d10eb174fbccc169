"""What the last build published: one row per output, in SQLite beside the site's state.

Each row is an output path, the digest of the bytes the build wrote there
and the signature of the inputs that made it ("" for a copied file: a photo,
one of MkDocs' pages).  A full build reads every row at once (it checks every
output); a quick build asks only for the rows of the few outputs it renders,
and a commit writes only the rows that changed.  At 50,000 artisans in three
languages the site has 1.13 million outputs: the JSON file this replaces was
read whole by every build (2.8 s) and written whole by every commit (1.8 s).

A *token*, new at every commit, names the state: the build index's snapshot
and the up-to-date stamp record the token of the state they belong to, so
another build's commit (or a restored older cache) is noticed without hashing
the file.  A file that is not ours, of another format or for another site
folder, or damaged, is no state at all: the writer then trusts nothing and
compares the files themselves.  SQLite's rollback journal makes each commit
all or nothing: a build killed mid-commit leaves the last committed rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

__all__ = ["PublishedStore", "state_token", "STORE_FORMAT"]

STORE_FORMAT = 1
# "KPub" in ASCII: a SQLite file made by anything else is foreign, whatever its tables.
_APPLICATION_ID = 0x4B507562
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE outputs (path TEXT PRIMARY KEY, digest TEXT NOT NULL, signature TEXT NOT NULL) WITHOUT ROWID;
"""
# SQLite's limit on the variables of one statement is 32,766 (999 before 3.32): stay well under both.
_CHUNK = 900


def _connect(path: Path) -> sqlite3.Connection:
    # Rollback journal (not WAL): the state stays one file, which a cache restore copies whole.
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA cache_size = -65536")  # 64 MB: a full build's commit touches every page
    return db


def _meta(db: sqlite3.Connection, path: Path) -> dict[str, str] | None:
    """The meta rows of the store in ``path``; None when it is not a whole store of this format."""
    if db.execute("PRAGMA application_id").fetchone()[0] != _APPLICATION_ID:
        return None
    if db.execute("PRAGMA user_version").fetchone()[0] != STORE_FORMAT:
        return None
    # A truncated copy (a cache restore cut short) still opens; its size tells.
    if db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0] != path.stat().st_size:
        return None
    meta = {str(name): str(value) for name, value in db.execute("SELECT name, value FROM meta")}
    return meta if meta.get("token") else None


def state_token(path: Path) -> str:
    """The token of the state in ``path`` ("" when there is none), read without writing anything."""
    if not path.is_file():
        return ""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=60)) as db:
            meta = _meta(db, path)
    except (sqlite3.Error, OSError):
        return ""
    return meta["token"] if meta is not None else ""


class PublishedStore:
    """The rows of ``path`` for the site folder named ``site_id`` (relative to the state folder)."""

    def __init__(self, path: Path, site_id: str) -> None:
        self.path = path
        self.site_id = site_id
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _open(self) -> sqlite3.Connection:
        # One connection per process: a forked worker never uses its parent's.
        if self._db is None or self._pid != os.getpid():
            self._db = _connect(self.path)
            self._pid = os.getpid()
        return self._db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def token(self) -> str | None:
        """The state's token, or None when there is no usable state (missing, foreign, damaged, other site)."""
        if not self.path.is_file():
            return None
        try:
            meta = _meta(self._open(), self.path)
        except (sqlite3.Error, OSError):
            self.close()
            return None
        if meta is None or meta.get("site_dir") != self.site_id:
            return None
        return meta["token"]

    def adopt_json(self, legacy: Path) -> str | None:
        """Take over the state an earlier Karigar kept in ``published.json`` (format 2), so the first
        build after an upgrade still trusts ``site/`` instead of reading back every file; its token is
        the digest of that file's bytes, as that Karigar named the state.  None: nothing to take over."""
        try:
            data = legacy.read_bytes()
            raw = json.loads(data.decode("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or raw.get("version") != 2 or raw.get("site_dir") != self.site_id:
            return None
        files, signatures = raw.get("files"), raw.get("signatures")
        if not isinstance(files, dict) or not isinstance(signatures, dict):
            return None
        rows = {str(path): (str(digest), str(signatures.get(path, ""))) for path, digest in files.items()}
        token = hashlib.blake2b(data, digest_size=16).hexdigest()
        try:
            self.commit(changed=rows, gone=(), whole=True, count=len(rows), token=token)
        except sqlite3.Error:
            self.discard()
            return None
        return token

    def all(self) -> tuple[dict[str, str], dict[str, str]] | None:
        """Every output's digest, and the signatures of those that have one; None if unreadable."""
        digests: dict[str, str] = {}
        signatures: dict[str, str] = {}
        try:
            for path, digest, signature in self._open().execute("SELECT path, digest, signature FROM outputs"):
                digests[path] = digest
                if signature:
                    signatures[path] = signature
        except sqlite3.Error:
            self.close()
            return None
        return digests, signatures

    def rows(self, paths: Iterable[str]) -> dict[str, tuple[str, str]] | None:
        """(digest, signature) of each of ``paths`` that has a row; None if unreadable."""
        found: dict[str, tuple[str, str]] = {}
        try:
            db = self._open()
            for chunk in _chunks(sorted(set(paths))):
                marks = ",".join("?" * len(chunk))
                for path, digest, signature in db.execute(
                        f"SELECT path, digest, signature FROM outputs WHERE path IN ({marks})", chunk):
                    found[path] = (digest, signature)
        except sqlite3.Error:
            self.close()
            return None
        return found

    def under(self, places: Iterable[tuple[str, bool]]) -> dict[str, str] | None:
        """Path -> signature of every output at one of ``places`` ((path, is a prefix) pairs); None if unreadable.

        A prefix is read as a range of the primary key, so a query of one
        district's pages reads those rows, not the site's.
        """
        found: dict[str, str] = {}
        places = list(places)
        exact = sorted({place for place, prefix in places if not prefix})
        try:
            db = self._open()
            for chunk in _chunks(exact):
                found.update(db.execute(
                    f"SELECT path, signature FROM outputs WHERE path IN ({','.join('?' * len(chunk))})", chunk))
            for place, prefix in places:
                if not prefix:
                    continue
                if place:
                    # Every path that starts with ``place`` sorts from it up to (not including) the
                    # same text with its last character one higher.
                    above = place[:-1] + chr(ord(place[-1]) + 1)
                    rows = db.execute("SELECT path, signature FROM outputs WHERE path >= ? AND path < ?",
                                      (place, above))
                else:
                    rows = db.execute("SELECT path, signature FROM outputs")
                found.update(rows)
        except sqlite3.Error:
            self.close()
            return None
        return found

    def discard(self) -> None:
        """Remove the store (a damaged one that could not be written): the next build trusts nothing."""
        self.close()
        for leftover in (self.path, self.path.with_name(self.path.name + "-journal")):
            leftover.unlink(missing_ok=True)

    def count(self) -> int | None:
        """How many outputs the state holds (kept in its meta rows: counting a million rows costs)."""
        try:
            found = self._open().execute("SELECT value FROM meta WHERE name = 'outputs'").fetchone()
        except sqlite3.Error:
            self.close()
            return None
        return int(found[0]) if found is not None and str(found[0]).isdigit() else None

    def commit(self, *, changed: Mapping[str, tuple[str, str]], gone: Iterable[str], whole: bool, count: int,
               token: str | None = None, more: Iterable[tuple[str, str, str]] = ()) -> str:
        """Write ``changed`` rows and delete ``gone`` ones in one transaction; the new state's token
        (``token``, or a new random one).  ``count``: how many outputs the state then holds.
        ``more``: further changed rows (path, digest, signature), in path order, none of them in ``changed``.

        ``whole``: ``changed`` is the entire state (the old file is unusable, or nothing was known of it):
        the file is made anew.
        """
        token = token or secrets.token_hex(16)
        if whole:
            self.discard()
        db = self._open()
        db.execute("BEGIN IMMEDIATE")
        try:
            if whole:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {STORE_FORMAT}")
            for chunk in _chunks(sorted(gone)):
                db.execute(f"DELETE FROM outputs WHERE path IN ({','.join('?' * len(chunk))})", chunk)
            # In key order: each row lands after the last one, so rows append to the B-tree instead of
            # splitting pages all over it (a cold build's 1.13 million: 4.1 -> 3.4 s, timed alone).
            db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
                           heapq.merge(((path, *changed[path]) for path in sorted(changed)), more))
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           (("site_dir", self.site_id), ("token", token), ("outputs", str(count))))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return token


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]
