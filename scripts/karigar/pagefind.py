"""The real Pagefind binary, run over one search bundle's records, and the records a build keeps for it.

A *bundle* is one Pagefind index: a folder of files (``pagefind-entry.json``,
the ``pf_meta`` file, and the ``index/``, ``fragment/`` and ``filter/``
chunks) that the browser loads and merges with the site's other bundles.  A
*record* is one small HTML document (``data-pagefind-body``, filters and
metadata) that Karigar's render stage makes from the same view-models as the
pages; it never reads a rendered page back.

:func:`index_bundle` writes a bundle's records into a temporary folder, runs
Pagefind's CLI on it and returns the files a browser needs.  Two facts
measured with Pagefind 1.5.2 shape how the build uses it:

* Pagefind costs about 0.5 ms of CPU and 55 KB of memory per record, so
  bundles are kept small (see :data:`karigar.render.search.BUNDLE_RECORDS`)
  and an unchanged bundle is never indexed again: its signature is a hash of
  its records.
* Its output is not byte-reproducible: the same records indexed twice give
  filter chunks and a ``pf_meta`` file under other hashes.  What is
  reproducible is the set of records, so tests compare bundles by the
  signature of their records and by what a search finds, never by bytes.

:class:`RecordStore` keeps every bundle's records (zlib-compressed) in the
build cache, so a quick build that edits one product makes that product's
record and indexes its bundle again from the stored others, without building
the thousands of records beside it.

This module knows no stage: it takes bytes and paths and returns bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from karigar.errors import PagefindFailed, PagefindMissing

__all__ = ["PagefindMissing", "PagefindFailed", "pagefind_binary", "index_bundle", "RecordStore",
           "records_signature", "RecordsDigest", "NewRecords", "STORE_FORMAT"]

# What a browser loads of a bundle: the entry, the metadata, the chunks; and, for the bundle the search page
# starts from, the script, its worker and the WebAssembly.  Pagefind's own UIs (pagefind-ui.js and the
# others, 350 KB) are not published: Karigar's search page is its own.
BUNDLE_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-worker.js")
_BUNDLE_FOLDERS = ("index/", "fragment/", "filter/")
_BUNDLE_SUFFIXES = (".pf_meta", ".pagefind")

STORE_FORMAT = 1


def pagefind_binary() -> Path:
    """The path of the extended Pagefind binary that the ``pagefind[extended]`` wheel installs."""
    for package, name in (("pagefind_bin_extended", "pagefind_extended"), ("pagefind_bin", "pagefind")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            found = Path(spec.origin).parent / name
            if found.is_file():
                return found
    raise PagefindMissing("the Pagefind binary is missing: install the Python package 'pagefind[extended]'")


class RecordsDigest:
    """A hash of a bundle's records that does not depend on their order (a sum of each record's hash).

    A full build adds the records in catalog order, a quick build in the
    store's order: equal sets of records give equal digests either way.
    """

    _MODULUS = 1 << 128

    def __init__(self) -> None:
        self._sum = 0
        self.count = 0

    def add(self, key: str, data: bytes) -> None:
        digest = hashlib.blake2b(key.encode() + b"\x1f" + data, digest_size=16).digest()
        self._sum = (self._sum + int.from_bytes(digest, "big")) % self._MODULUS
        self.count += 1

    def hexdigest(self) -> str:
        return f"{self._sum:032x}-{self.count}"


def records_signature(records: Iterable[tuple[str, bytes]]) -> str:
    """:class:`RecordsDigest` of ``records`` ((key, HTML) pairs)."""
    digest = RecordsDigest()
    for key, data in records:
        digest.add(key, data)
    return digest.hexdigest()


def _published(rel: str) -> bool:
    return rel in BUNDLE_FILES or rel.startswith(_BUNDLE_FOLDERS) or rel.endswith(_BUNDLE_SUFFIXES)


def index_bundle(records: Iterable[tuple[str, bytes]], out: Path, *, language: str,
                 binary: Path | None = None) -> list[str]:
    """Index ``records`` ((key, HTML) pairs) with Pagefind into the folder ``out`` (emptied first).

    Returns the bundle's files (paths relative to ``out``, sorted); the rest of
    what Pagefind writes (its own UIs) is deleted.  Every record is indexed
    under ``language`` (``--force-language``): one bundle serves every language
    of the site (see :mod:`karigar.render.search`).
    """
    binary = binary or pagefind_binary()
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="karigar-records-", dir=out.parent) as work:
        site = Path(work)
        count = 0
        for number, (_key, data) in enumerate(records):
            # Short names: Pagefind keeps every page's path in memory while it indexes.
            (site / f"{number}.html").write_bytes(data)
            count += 1
        if count == 0:
            out.mkdir()
            return []
        done = subprocess.run(
            [str(binary), "--site", str(site), "--output-path", str(out), "--force-language", language, "--quiet"],
            capture_output=True, text=True, check=False,
        )
    if done.returncode != 0:
        raise PagefindFailed((done.stderr or done.stdout).strip()[-2000:] or f"exit status {done.returncode}")
    entry = out / "pagefind-entry.json"
    if not entry.is_file():
        raise PagefindFailed(f"Pagefind wrote no pagefind-entry.json for {count} records")
    # The WebAssembly of the bundle's own index language only (Pagefind also writes the language-less one).
    wasm = {f"wasm.{index.get('wasm') or 'unknown'}.pagefind"
            for index in json.loads(entry.read_text("utf-8")).get("languages", {}).values()}
    files = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file():
            if _published(rel) and (not rel.startswith("wasm.") or rel in wasm):
                files.append(rel)
            else:
                path.unlink()
    return files


class RecordStore:
    """Every bundle's records in the build cache (``search.sqlite``): key -> (bundle, HTML).

    Written by a full build (all records), read and updated by a quick build.
    A store of another format, or one that cannot be read, is no store: the
    caller then takes the full path.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = DELETE")
            yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def rewrite(self, plan: str) -> Iterator[NewRecords]:
        """A new store, filled through the :class:`NewRecords` given; it replaces this one when the block ends
        without an exception (and is thrown away otherwise)."""
        tmp = self.path.with_name(self.path.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.executescript(f"PRAGMA user_version = {STORE_FORMAT};"
                             "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
                             "CREATE TABLE records (key TEXT PRIMARY KEY, bundle TEXT NOT NULL, html BLOB NOT NULL);")
            db.execute("BEGIN")
            db.execute("INSERT INTO meta VALUES ('plan', ?)", (plan,))
            yield NewRecords(db)
            db.execute("CREATE INDEX records_bundle ON records (bundle)")
            db.execute("COMMIT")
        except BaseException:
            db.close()
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        db.close()
        os.replace(tmp, self.path)

    def plan(self) -> str | None:
        """The bundle plan the store was written with; None when there is no usable store."""
        if not self.path.is_file():
            return None
        try:
            with self._db() as db:
                if db.execute("PRAGMA user_version").fetchone()[0] != STORE_FORMAT:
                    return None
                row = db.execute("SELECT value FROM meta WHERE name = 'plan'").fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def records(self, name: str) -> Iterator[tuple[str, bytes]]:
        """The stored records of one bundle, in key order, read as they are used."""
        with self._db() as db:
            for key, html in db.execute("SELECT key, html FROM records WHERE bundle = ? ORDER BY key", (name,)):
                yield key, zlib.decompress(html)

    def bundles_under(self, prefixes: Iterable[str]) -> dict[str, str]:
        """key -> bundle of the stored records under these key prefixes (artisan folders)."""
        found: dict[str, str] = {}
        with self._db() as db:
            for prefix in prefixes:
                rows = db.execute("SELECT key, bundle FROM records WHERE key >= ? AND key < ?",
                                  (prefix, prefix + "\uffff")).fetchall()
                found.update(dict(rows))
        return found

    def update(self, removed: Iterable[str], added: Iterable[tuple[str, str, bytes]]) -> None:
        """Remove the records ``removed`` (keys) and put ``added`` ((key, bundle, HTML)), in one transaction."""
        with self._db() as db:
            db.execute("BEGIN")
            db.executemany("DELETE FROM records WHERE key = ?", ((key,) for key in removed))
            db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                           ((key, bundle, zlib.compress(data, 6)) for key, bundle, data in added))
            db.execute("COMMIT")


class NewRecords:
    """The records of a store being written (see :meth:`RecordStore.rewrite`)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, key: str, bundle: str, data: bytes) -> None:
        self._db.execute("INSERT INTO records VALUES (?, ?, ?)", (key, bundle, zlib.compress(data, 6)))
