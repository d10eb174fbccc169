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
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

__all__ = ["SiteWriter", "DiskWriter", "MemoryWriter", "WriteReport", "FaultHook"]

STATE_VERSION = 2
FaultHook = Callable[[int, str], None]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
    def put_file(self, path: str, source: Path, signature: str = "") -> None: ...
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

    def put_file(self, path: str, source: Path, signature: str = "") -> None:
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
    """Writes changed files into ``site_dir`` in place; state kept in ``state_dir``."""

    def __init__(self, site_dir: Path, state_dir: Path, *, fault_hook: FaultHook | None = None) -> None:
        self.site_dir = site_dir
        self.state_dir = state_dir
        self.state_file = state_dir / "published.json"
        self.marker = state_dir / "building"
        self.fault_hook = fault_hook
        self.report = WriteReport()
        self._new: dict[str, str] = {}
        self._old: dict[str, str] = {}
        self._signatures: dict[str, str] = {}
        self._old_signatures: dict[str, str] = {}
        self._trusted = False
        self._fresh = False
        self._begun = False
        self._writes = 0
        self._root = str(site_dir)
        self._folders: set[str] = set()
        self._created: set[str] = set()  # folders this process made (empty when made)
        # The digest of the published state as read at the start and as written by commit ("" for none):
        # a quick build's snapshot names the state it belongs to (karigar.incremental.quick).
        self.state_digest = ""

    def _begin(self) -> None:
        self._begun = True
        self.state_dir.mkdir(parents=True, exist_ok=True)
        state = self._read_state()
        # A leftover marker means a build died while writing: the recorded state
        # may not match the files, so verify file contents instead of trusting it.
        self._trusted = state is not None and not self.marker.exists()
        self._old, self._old_signatures = state or ({}, {})
        # A site folder empty at the start holds only what this build writes: nothing to prune, so a
        # cold build need not walk the million files it just wrote (112 s at 50,000 artisans).
        self._fresh = not os.path.isdir(self._root) or _empty(self._root)
        self.marker.write_text(str(os.getpid()))

    def _read_state(self) -> tuple[dict[str, str], dict[str, str]] | None:
        try:
            data = self.state_file.read_bytes()
            self.state_digest = _digest(data)
            raw = json.loads(data.decode("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            return None
        if raw.get("site_dir") != self._site_id():
            return None
        files, signatures = raw.get("files"), raw.get("signatures")
        if not isinstance(files, dict) or not isinstance(signatures, dict):
            return None
        return files, signatures

    def _site_id(self) -> str:
        # Relative to the state folder, so a cache restored into a fresh clone at
        # another path (Netlify, CI) still matches its site folder.
        return os.path.relpath(self.site_dir.resolve(), self.state_dir.resolve())

    def is_current(self, path: str, signature: str) -> bool:
        """True when the last build made ``path`` from the same inputs and it is still there."""
        if not self._begun:
            self._begin()
        # os.path on strings: this runs for every output of the site (a million at the target size),
        # and pathlib's parsing would cost more than the check itself.
        return (self._trusted and bool(signature) and self._old_signatures.get(path) == signature
                and path in self._old and os.path.isfile(os.path.join(self._root, path)))

    def trusted(self) -> bool:
        """Whether the last build's recorded state is exact (it finished, and no build died since)."""
        if not self._begun:
            self._begin()
        return self._trusted

    def published_outputs(self) -> dict[str, str]:
        """Every output the last build recorded, with its signature ("" for a copied file: a photo, one of
        MkDocs' pages); empty when its state is not trusted."""
        return {path: self._old_signatures.get(path, "") for path in self._old} if self.trusted() else {}

    def keep_all_except(self, outputs: set[str]) -> None:
        """Keep every output of the last build but ``outputs`` (a quick build makes only those)."""
        if not self._begun:
            self._begin()
        # Whole-dict operations, not a loop of checks per path: a million outputs at the target size,
        # and this runs in every quick build, whose change is a few pages.
        kept = dict(self._old)
        for path in outputs:
            kept.pop(path, None)
        twice = kept.keys() & self._new.keys()
        if twice:
            raise ValueError(f"output written twice in one build: {min(twice)}")
        if self._new:
            self._new.update(kept)
        else:
            self._new = kept
        signatures = dict(self._old_signatures)  # copied files (photos, MkDocs' pages) have none
        for path in outputs:
            signatures.pop(path, None)
        if not signatures.keys() <= kept.keys() or "" in signatures.values():  # only in a hand-made state
            signatures = {path: signature for path, signature in signatures.items() if signature and path in kept}
        if self._signatures:
            self._signatures.update(signatures)
        else:
            self._signatures = signatures
        self.report.unchanged += len(kept)
        self.report.kept += len(kept)

    def keep(self, path: str) -> None:
        """Record an output as produced, unchanged, without rendering or writing it."""
        if path in self._new:
            raise ValueError(f"output written twice in one build: {path}")
        self._new[path] = self._old[path]
        self._signatures[path] = self._old_signatures[path]
        self.report.unchanged += 1
        self.report.kept += 1

    def _existing(self, target: str, path: str, digest: str) -> bool | None:
        """True: the file already holds these bytes; False: it differs; None: there is no file."""
        if self._trusted and path in self._old:
            # The recorded state is exact (no build died since): no need to read the file.
            if not os.path.isfile(target):
                return None
            return self._old[path] == digest
        try:
            with open(target, "rb") as handle:
                return _digest(handle.read()) == digest
        except FileNotFoundError:
            return None
        except OSError:
            return False

    def put(self, path: str, data: bytes, signature: str = "") -> None:
        if not self._begun:
            self._begin()
        if path in self._new:
            raise ValueError(f"output written twice in one build: {path}")
        digest, written = self.write_prepared(path, data)
        self.record(path, digest, written, len(data), signature)

    def write_prepared(self, path: str, data: bytes) -> tuple[str, bool]:
        """Write one output if its bytes changed; safe to call from forked worker processes.

        It only reads the state loaded at the start of the build; the parent
        records the result with :meth:`record`.
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
        if path in self._new:
            raise ValueError(f"output written twice in one build: {path}")
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

    def put_file(self, path: str, source: Path, signature: str = "") -> None:
        """Copy a file made elsewhere (photos, MkDocs' staging): written if changed, never "rendered"."""
        if not self._begun:
            self._begin()
        data = source.read_bytes()
        digest, written = self.write_prepared(path, data)
        self.record(path, digest, written, len(data), signature, rendered=False)

    def _prune(self) -> None:
        gone: list[str] = []
        if self._trusted:
            gone = [p for p in self._old if p not in self._new]
        elif not self._fresh and self.site_dir.is_dir():  # untrusted: whatever is there and not ours goes
            for root, _dirs, files in os.walk(self.site_dir):
                for name in files:
                    rel = Path(root, name).relative_to(self.site_dir).as_posix()
                    if rel not in self._new:
                        gone.append(rel)
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
        if not self._begun:
            self._begin()
        self.site_dir.mkdir(parents=True, exist_ok=True)
        self._prune()
        state = {"version": STATE_VERSION, "site_dir": self._site_id(), "files": self._new,
                 "signatures": self._signatures}
        data = json.dumps(state, separators=(",", ":"), sort_keys=True).encode("utf-8")
        temp = self.state_file.with_suffix(".tmp")
        temp.write_bytes(data)
        os.replace(temp, self.state_file)
        self.state_digest = _digest(data)
        self.marker.unlink(missing_ok=True)
        return self.report


def _empty(folder: str) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def remove_tree(path: Path) -> None:
    """Delete a folder if it exists (staging areas)."""
    shutil.rmtree(path, ignore_errors=True)
