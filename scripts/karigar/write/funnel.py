"""Stage 5: the one place that writes the published site.

Every output -- catalog pages, MkDocs' pages from staging, photos, assets --
goes through :meth:`SiteWriter.put`.  A disk writer writes a file only when
its bytes differ from what the last build published (each file atomically:
temporary file + ``os.replace``), removes what the new build no longer makes,
and records the published state last.  A build killed half-way leaves a
``building`` marker; the next build then trusts nothing it recorded and
compares against the files themselves, so it always ends at the clean result.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Container, Iterable, Iterator, Sequence
from typing import Callable, Protocol

from karigar.write.batch import DIGEST_SIZE, Planned, RenderedBatch
from karigar.write.published import PublishedStore

__all__ = ["SiteWriter", "DiskWriter", "MemoryWriter", "WriteReport", "FaultHook"]

FaultHook = Callable[[int, str], None]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # outputs not even rendered: their signature matched
    bytes_written: int = 0
    rendered: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged


class SiteWriter(Protocol):
    def put(self, path: str, data: bytes, signature: str = "") -> None: ...
    def put_file(self, path: str, source: Path, signature: str = "", *, move: bool = False) -> None: ...
    def is_current(self, path: str, signature: str) -> bool: ...
    def keep(self, path: str) -> None: ...
    def commit(self) -> WriteReport: ...


class MemoryWriter:
    """Keeps the site in a dict: for tests and the dev server."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._new: dict[str, bytes] = {}
        self.report = WriteReport()

    def put(self, path: str, data: bytes, signature: str = "") -> None:
        if path in self._new:
            raise ValueError(f"output written twice in one build: {path}")
        self._new[path] = data

    def put_file(self, path: str, source: Path, signature: str = "", *, move: bool = False) -> None:
        self.put(path, source.read_bytes())

    def is_current(self, path: str, signature: str) -> bool:
        return False  # the dev server keeps no signatures: it renders what it serves

    def keep(self, path: str) -> None:
        raise ValueError("MemoryWriter never reports an output as current")

    def commit(self) -> WriteReport:
        report = WriteReport()
        for path, data in self._new.items():
            if self.files.get(path) == data:
                report.unchanged += 1
            else:
                report.written.append(path)
                report.bytes_written += len(data)
        report.removed = sorted(set(self.files) - set(self._new))
        self.files, self._new = self._new, {}
        self.report = report
        return report


class DiskWriter:
    """Writes changed files into ``site_dir`` in place; state kept in ``state_dir``.

    The last build's state (:mod:`karigar.write.published`) is read whole only
    when the build checks every output (a full build); a quick build, which
    keeps every output but its own (:meth:`keep_all_except`), reads and writes
    only the rows of the outputs it renders.
    """

    def __init__(self, site_dir: Path, state_dir: Path, *, fault_hook: FaultHook | None = None) -> None:
        self.site_dir = site_dir
        self.state_dir = state_dir
        self.state_file = state_dir / "published.sqlite"
        self.marker = state_dir / "building"
        self.fault_hook = fault_hook
        self.report = WriteReport()
        self._new: dict[str, str] = {}
        self._signatures: dict[str, str] = {}
        # The last build's rows: all of them once _complete, else those looked up so far (``_absent``:
        # looked up and not there).
        self._old: dict[str, str] = {}
        self._old_signatures: dict[str, str] = {}
        self._absent: set[str] = set()
        self._complete = False
        self._store: PublishedStore | None = None
        self._usable = False  # the store holds a state for this site folder
        self._kept_but: set[str] | None = None  # a quick build: every old output is kept but these
        self._kept = 0  # how many outputs keep_all_except kept
        self._trusted = False
        self._fresh = False
        self._begun = False
        self._writes = 0
        self._root = str(site_dir)
        self._folders: set[str] = set()
        self._created: set[str] = set()  # folders this process made (empty when made)
        # Outputs forked workers made, recorded as arrays (record_batch); beside _new, never in it.
        self._batches: list[tuple[Sequence[Planned], RenderedBatch]] = []
        self._made_paths: set[str] | None = None  # _made(), built once, when the commit asks
        # The token of the published state as read at the start and as written by commit ("" for none):
        # a quick build's snapshot and the up-to-date stamp name the state they belong to.
        self.state_digest = ""

    def _begin(self) -> None:
        self._begun = True
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._store = PublishedStore(self.state_file, self._site_id())
        token = self._store.token()
        legacy = self.state_dir / "published.json"
        if token is None and not self.state_file.exists() and legacy.is_file():
            token = self._store.adopt_json(legacy)  # the first build after an upgrade (see adopt_json)
        self._usable = token is not None
        self.state_digest = token or ""
        # A leftover marker means a build died while writing: the recorded state
        # may not match the files, so verify file contents instead of trusting it.
        self._trusted = self._usable and not self.marker.exists()
        # A site folder empty at the start holds only what this build writes: nothing to prune, so a
        # cold build need not walk the million files it just wrote (112 s at 50,000 artisans).
        self._fresh = not os.path.isdir(self._root) or _empty(self._root)
        self.marker.write_text(str(os.getpid()))

    def _store_now(self) -> PublishedStore:
        if not self._begun:
            self._begin()
        assert self._store is not None
        return self._store

    def _load_all(self) -> None:
        """Read every row of the last build (a full build checks every output against them)."""
        store = self._store_now()
        if self._complete:
            return
        rows = store.all() if self._usable else None
        if rows is None:
            self._trusted = self._usable = False
            rows = {}, {}
        self._old, self._old_signatures = rows
        self._absent = set()
        self._complete = True

    def _row(self, path: str) -> tuple[str, str] | None:
        """The last build's (digest, signature) of ``path``, if it made it."""
        if not self._complete and self._kept_but is None:
            self._load_all()  # a full build: every output will be asked for
        if not self._complete and path not in self._old and path not in self._absent:
            self._look_up([path])
        digest = self._old.get(path)
        return None if digest is None else (digest, self._old_signatures.get(path, ""))

    def _look_up(self, paths: list[str]) -> None:
        rows = self._store_now().rows(paths) if self._usable and paths else {}
        if rows is None:  # damaged: trust nothing of it (outputs are then compared with the files)
            self._trusted = self._usable = False
            rows = {}
        for path in paths:
            if path in rows:
                self._old[path], signature = rows[path]
                if signature:
                    self._old_signatures[path] = signature
            else:
                self._absent.add(path)

    def _site_id(self) -> str:
        # Relative to the state folder, so a cache restored into a fresh clone at
        # another path (Netlify, CI) still matches its site folder.
        return os.path.relpath(self.site_dir.resolve(), self.state_dir.resolve())

    def is_current(self, path: str, signature: str) -> bool:
        """True when the last build made ``path`` from the same inputs and it is still there."""
        self._store_now()
        if self._kept_but is None:
            self._load_all()  # before any early return: forked workers must inherit every row
        if not (self._trusted and signature):
            return False
        row = self._row(path)
        # os.path on strings: this runs for every output of the site (a million at the target size),
        # and pathlib's parsing would cost more than the check itself.
        return row is not None and row[1] == signature and os.path.isfile(os.path.join(self._root, path))

    def trusted(self) -> bool:
        """Whether the last build's recorded state is exact (it finished, and no build died since)."""
        self._store_now()
        return self._trusted

    def published_outputs(self) -> dict[str, str]:
        """Every output the last build recorded, with its signature ("" for a copied file: a photo, one of
        MkDocs' pages); empty when its state is not trusted."""
        self._load_all()
        return {path: self._old_signatures.get(path, "") for path in self._old} if self._trusted else {}

    def published_under(self, places: Iterable[tuple[str, bool]]) -> dict[str, str] | None:
        """The outputs the last build recorded at ``places`` ((path, is a prefix) pairs), with their signatures
        ("" for a copied file); None when its state is not trusted or cannot be read."""
        store = self._store_now()
        if not self._trusted:
            return None
        found = store.under(places)
        if found is None:
            self._trusted = self._usable = False
        return found

    def keep_all_except(self, outputs: set[str]) -> None:
        """Keep every output of the last build but ``outputs`` (a quick build makes only those).

        Nothing of the kept outputs is read or written: their rows stay as they are.
        """
        self._store_now()
        if self._kept_but is not None:
            raise ValueError("keep_all_except called twice in one build")
        self._look_up([p for p in outputs if p not in self._old and p not in self._absent])
        total = len(self._old) if self._complete else self._store_now().count()
        if total is None or not self._trusted:
            self._trusted = False
            raise OSError(f"the published state in {self.state_file} cannot be kept: it is not trusted")
        for path in self._new:
            if path not in outputs and self._row(path) is not None:
                raise ValueError(f"output written twice in one build: {path}")
        self._kept_but = set(outputs)
        self._kept = kept = total - sum(1 for path in outputs if path in self._old)
        self.report.unchanged += kept
        self.report.kept += kept

    def _check_once(self, path: str) -> None:
        if path in self._new or (self._kept_but is not None and path not in self._kept_but
                                 and self._row(path) is not None):
            raise ValueError(f"output written twice in one build: {path}")

    def keep(self, path: str) -> None:
        """Record an output as produced, unchanged, without rendering or writing it."""
        self._check_once(path)
        row = self._row(path)
        if row is None:
            raise KeyError(path)
        self._new[path], signature = row
        if signature:
            self._signatures[path] = signature
        self.report.unchanged += 1
        self.report.kept += 1

    def _existing(self, target: str, path: str, digest: str) -> bool | None:
        """True: the file already holds these bytes; False: it differs; None: there is no file."""
        row = self._row(path) if self._trusted else None
        if row is not None:
            # The recorded state is exact (no build died since): no need to read the file.
            if not os.path.isfile(target):
                return None
            return row[0] == digest
        try:
            with open(target, "rb") as handle:
                return _digest(handle.read()) == digest
        except FileNotFoundError:
            return None
        except OSError:
            return False

    def put(self, path: str, data: bytes, signature: str = "") -> None:
        self._check_once(path)
        digest, written = self.write_prepared(path, data)
        self.record(path, digest, written, len(data), signature)

    def write_prepared(self, path: str, data: bytes, source: Path | None = None) -> tuple[str, bool]:
        """Write one output if its bytes changed; safe to call from forked worker processes.

        It only reads the state loaded at the start of the build; the parent
        records the result with :meth:`record`.  ``source``: a file holding
        ``data`` that may be renamed into place instead (see :meth:`put_file`).
        """
        digest = _digest(data)
        target = os.path.join(self._root, path)
        folder = os.path.dirname(target)
        # A folder this process just created holds no file yet: no need to look (a cold
        # build of pretty URLs creates one folder per page).
        existing = None if folder in self._created else self._existing(target, path, digest)
        if existing:
            return digest, False
        if self.fault_hook is not None:
            self.fault_hook(self._writes, path)
        self._writes += 1
        if folder not in self._folders:  # one mkdir per folder and process, not per file
            if not os.path.isdir(folder):
                os.makedirs(folder, exist_ok=True)
                self._created.add(folder)
            self._folders.add(folder)
        if source is not None:
            try:
                os.replace(source, target)  # atomic, as a temporary copy's rename is
                return digest, True
            except OSError:
                pass  # another file system: written below
        if existing is None:
            # A new file needs no temporary copy: if the build dies mid-write, the
            # ``building`` marker makes the next build compare this file's bytes.
            with open(target, "wb") as handle:
                handle.write(data)
        else:
            # Replacing a published file: atomic, so a server never sees it half-written.
            temp = f"{folder}/.{os.path.basename(target)}.tmp{os.getpid()}"
            with open(temp, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
        return digest, True

    def record(self, path: str, digest: str, written: bool, size: int, signature: str = "",
               *, rendered: bool = True) -> None:
        self._check_once(path)
        self._new[path] = digest
        if signature:
            self._signatures[path] = signature
        if rendered:
            self.report.rendered.append(path)
        if written:
            self.report.written.append(path)
            self.report.bytes_written += size
        else:
            self.report.unchanged += 1

    def record_batch(self, planned: Sequence[Planned], made: RenderedBatch) -> None:
        """Record what forked workers made of ``planned`` (``made`` holds output number i's result), once
        they have ended: see :mod:`karigar.write.batch`.  The outputs must not be recorded otherwise."""
        if not made.complete():
            raise ValueError("a batch is recorded only when every one of its outputs was made")
        report = self.report
        for number, job in enumerate(planned):
            report.rendered.append(job.output)
            if made.written(number):
                report.written.append(job.output)
                report.bytes_written += made.size(number)
            else:
                report.unchanged += 1
        self._batches.append((planned, made))
        self._made_paths = None

    def _made(self) -> Container[str]:
        """Every output this build made or kept (only the commit asks, after the last output was recorded:
        with batches, a set of a million paths, built once)."""
        if not self._batches:
            return self._new
        if self._made_paths is None:
            self._made_paths = set(self._new)
            for planned, _made in self._batches:
                self._made_paths.update(job.output for job in planned)
        return self._made_paths

    def _differs(self, path: str, row: tuple[str, str]) -> bool:
        """Whether ``row`` (digest, signature) is not the last build's row of ``path``."""
        return (self._old.get(path), self._old_signatures.get(path, "")) != row

    def _batch_rows(self) -> Iterator[tuple[str, str, str]]:
        """(path, digest, signature) of every batch's outputs, in path order."""
        return heapq.merge(*(made.rows(planned) for planned, made in self._batches))

    def put_file(self, path: str, source: Path, signature: str = "", *, move: bool = False) -> None:
        """Copy a file made elsewhere (photos, MkDocs' staging): written if changed, never "rendered".

        ``move``: the source is a scratch file (a search bundle's, 350,000 of them at the target size):
        it is renamed into place rather than written again, where both are on one file system.
        """
        self._check_once(path)
        data = source.read_bytes()
        digest, written = self.write_prepared(path, data, source if move else None)
        self.record(path, digest, written, len(data), signature, rendered=False)

    def _gone(self) -> list[str]:
        """What the last build made and this one does not."""
        if self._kept_but is not None:  # a quick build: only its own outputs can go
            return [p for p in self._kept_but if p not in self._new and self._row(p) is not None]
        if self._trusted:
            made = self._made() if self._old else self._new
            return [p for p in self._old if p not in made]
        if self._fresh or not self.site_dir.is_dir():
            return []
        made = self._made()
        gone = []  # untrusted: whatever is there and not ours goes
        for root, _dirs, files in os.walk(self.site_dir):
            for name in files:
                rel = Path(root, name).relative_to(self.site_dir).as_posix()
                if rel not in made:
                    gone.append(rel)
        return gone

    def _prune(self, gone: list[str]) -> None:
        for rel in sorted(gone):
            try:
                (self.site_dir / rel).unlink()
                self.report.removed.append(rel)
            except FileNotFoundError:
                pass
        # Remove folders the removals emptied, deepest first.
        for folder in sorted({(self.site_dir / rel).parent for rel in gone}, key=lambda p: len(p.parts), reverse=True):
            while folder != self.site_dir and folder.is_dir():
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent

    def commit(self) -> WriteReport:
        store = self._store_now()
        if self._kept_but is None:
            self._load_all()
        self.site_dir.mkdir(parents=True, exist_ok=True)
        gone = self._gone()
        self._prune(gone)
        every = {path: (digest, self._signatures.get(path, "")) for path, digest in self._new.items()}
        whole = not self._usable
        batched = sum(made.count for _planned, made in self._batches)
        # Only the rows that differ from the last build's; and the rows of what is gone (an untrusted
        # build pruned what it found in the folder, which need not be what the rows list).
        changed = every if whole else {path: row for path, row in every.items() if self._differs(path, row)}
        more = self._batch_rows() if whole else (row for row in self._batch_rows() if self._differs(row[0], row[1:]))
        if not (self._trusted or self._kept_but is not None):
            made = self._made() if self._old else self._new
            gone = [path for path in self._old if path not in made]
        try:
            self.state_digest = store.commit(changed=changed, gone=gone, whole=whole, more=more,
                                             count=len(self._new) + batched + self._kept)
        except sqlite3.DatabaseError:
            if self._kept_but is not None:
                # The state cannot be completed from here: without it (and with the marker left) the next
                # build compares the files themselves.
                store.discard()
                self.state_digest = ""
                return self.report
            self.state_digest = store.commit(changed=every, gone=(), whole=True, more=self._batch_rows(),
                                             count=len(every) + batched)
        store.close()
        (self.state_dir / "published.json").unlink(missing_ok=True)  # the state's former home (format 2)
        self.marker.unlink(missing_ok=True)
        return self.report


def _empty(folder: str) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def remove_tree(path: Path) -> None:
    """Delete a folder if it exists (staging areas)."""
    shutil.rmtree(path, ignore_errors=True)
