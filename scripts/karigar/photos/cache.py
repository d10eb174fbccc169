"""The photo cache: processed photos by content hash, so each photo is made once across builds.

Layout under ``<cache_dir>/photos/``::

    <digest[:2]>/<digest>-<params key>-<format>/
        manifest.json          # written last: what the folder holds, with sizes and hashes
        original.<ext>         # the sanitized original (ext from the published file name)
        <width>.webp           # variants, as planned by process.variant_plan
        <width>.jpg
    index-v<INDEX_VERSION>-<params key>.json
                               # digest -> source format and size, published size, metadata found
                               # in the source (see PhotoIndex)

``digest`` is the loader's content hash of the source bytes; the params key
names widths, qualities and the processor version, so changing any of them
makes new entries instead of reusing stale ones.  The format is the one the
published file name promises (a PNG saved as ``x.jpg`` is published as a
JPEG), so the same bytes under two names get two entries.

Crash safety: an entry is written into a temporary folder and renamed into
place in one step, so a killed build leaves either a whole entry or a
``.tmp-*`` folder that is never read.  An entry is trusted only when its
manifest parses, names this digest and params, and every file it lists has
the listed size; anything else is deleted and made again.  Copying to the
site checks each file's hash too (:meth:`PhotoCache.read_verified`), so a
file damaged in place is caught before it is published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from karigar.photos.process import PhotoInfo, PhotoParams, ProcessedPhoto

__all__ = ["PhotoCache", "CachedPhoto", "CachedFile", "IndexEntry", "PhotoIndex", "file_name", "INDEX_VERSION"]

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
# Bump when IndexEntry's JSON changes: an index of another version is not read (its photos are
# probed again once, from their headers; their cache entries stay valid).
INDEX_VERSION = 2
_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_name(kind: str, width: int, original_format: str) -> str:
    """The name of one file inside an entry folder."""
    if kind == "original":
        return f"original.{_EXT[original_format]}"
    return f"{width}.{kind}"


@dataclass(frozen=True, slots=True)
class CachedFile:
    kind: str  # original | webp | jpg
    width: int
    height: int
    path: Path
    size: int
    hash: str


@dataclass(frozen=True, slots=True)
class CachedPhoto:
    """A whole, verified cache entry."""

    digest: str
    source: PhotoInfo
    files: tuple[CachedFile, ...]

    @property
    def original(self) -> CachedFile:
        return self.files[0]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the pages and the checks need to know about a processed photo, without opening it.

    ``metadata``: what :func:`karigar.photos.metadata.scan_metadata` found in
    the source file (GPS, maker notes, XMP, IPTC), so a warm build keeps
    warning about it without reading the photo again.
    """

    source: PhotoInfo
    width: int  # of the sanitized original
    height: int
    metadata: frozenset[str] = frozenset()

    def to_json(self) -> list[object]:
        return [self.source.format, self.source.width, self.source.height, self.width, self.height,
                sorted(self.metadata)]

    @classmethod
    def from_json(cls, raw: object) -> "IndexEntry | None":
        if not isinstance(raw, list) or len(raw) != 6 or not isinstance(raw[0], str):
            return None
        if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in raw[1:5]):
            return None
        if not isinstance(raw[5], list) or not all(isinstance(f, str) for f in raw[5]):
            return None
        return cls(PhotoInfo(raw[0], raw[1], raw[2]), raw[3], raw[4], frozenset(raw[5]))


class PhotoIndex:
    """digest -> :class:`IndexEntry` of every photo the last build published.

    One small JSON file read once per build instead of one manifest per
    photo: at 450,000 photos that is a fraction of a second instead of tens
    of seconds.  It is only an accelerator: a digest found here was decoded
    and processed successfully once, so the limits check needs not decode it
    again, and the publisher knows its sizes; the entry itself is still
    verified before its files are copied.
    """

    def __init__(self, path: Path, raw: dict[str, object] | None = None) -> None:
        self.path = path
        # Kept as read and parsed on demand: building 450,000 objects up front costs seconds.
        self._raw: dict[str, object] = raw or {}

    @classmethod
    def load(cls, path: Path) -> "PhotoIndex":
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls(path)
        return cls(path, raw if isinstance(raw, dict) else None)

    def get(self, digest: str) -> IndexEntry | None:
        raw = self._raw.get(digest)
        return IndexEntry.from_json(raw) if raw is not None else None

    def save(self, entries: Mapping[str, IndexEntry]) -> None:
        """Replace the index with ``entries`` (this build's photos only, so it never grows stale).

        Nothing is written when nothing changed, the usual case of a warm build.
        """
        data = {d: e.to_json() for d, e in sorted(entries.items())}
        if data == self._raw:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.tmp{os.getpid()}")
        temp.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(temp, self.path)
        self._raw = dict(data)


class PhotoCache:
    """Content-addressed store of processed photos for one set of :class:`PhotoParams`."""

    def __init__(self, root: Path, params: PhotoParams) -> None:
        self.root = root
        self.params = params
        self.key = params.key()

    def index(self) -> PhotoIndex:
        return PhotoIndex.load(self.root / f"index-v{INDEX_VERSION}-{self.key}.json")

    def folder(self, digest: str, original_format: str) -> Path:
        return self.root / digest[:2] / f"{digest}-{self.key}-{original_format.lower()}"

    def lookup(self, digest: str, original_format: str) -> CachedPhoto | None:
        """The entry if it is whole; a damaged entry is removed and None returned."""
        folder = self.folder(digest, original_format)
        try:
            raw = json.loads((folder / MANIFEST).read_text("utf-8"))
        except FileNotFoundError:
            if folder.exists():  # a folder without its manifest: never finished
                shutil.rmtree(folder, ignore_errors=True)
            return None
        except (OSError, ValueError):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        entry = self._parse(raw, digest, original_format, folder)
        if entry is None:
            shutil.rmtree(folder, ignore_errors=True)
        return entry

    def _parse(self, raw: object, digest: str, original_format: str, folder: Path) -> CachedPhoto | None:
        if not isinstance(raw, dict):
            return None
        try:
            if (raw["version"], raw["digest"], raw["params"], raw["format"]) != (
                    MANIFEST_VERSION, digest, self.key, original_format):
                return None
            src = raw["source"]
            source = PhotoInfo(str(src[0]), int(src[1]), int(src[2]))
            files = []
            for kind, width, height, size, digest_ in raw["files"]:
                path = folder / file_name(kind, width, original_format)
                if path.stat().st_size != size:  # cut short or replaced
                    return None
                files.append(CachedFile(kind, int(width), int(height), path, int(size), str(digest_)))
        except (KeyError, TypeError, ValueError, OSError):
            return None
        if not files or files[0].kind != "original":
            return None
        return CachedPhoto(digest, source, tuple(files))

    def store(self, digest: str, original_format: str, photo: ProcessedPhoto, *,
              replace: bool = False) -> CachedPhoto:
        """Write an entry atomically (temporary folder, then one rename) and return it.

        ``replace`` removes an entry already there first: one found damaged
        in place (its sizes right, its bytes not).
        """
        final = self.folder(digest, original_format)
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
        try:
            files = []
            for variant in photo.variants:
                path = temp / file_name(variant.kind, variant.width, original_format)
                path.write_bytes(variant.data)
                files.append([variant.kind, variant.width, variant.height, len(variant.data), _hash(variant.data)])
            manifest = {
                "version": MANIFEST_VERSION, "digest": digest, "params": self.key, "format": original_format,
                "source": [photo.source.format, photo.source.width, photo.source.height], "files": files,
            }
            (temp / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")), "utf-8")
            # A whole entry already there (another worker just made the same photo) is
            # kept; lookup() removes a damaged one, so the rename below can take its place.
            if replace:
                shutil.rmtree(final, ignore_errors=True)
            if final.exists() and self.lookup(digest, original_format) is not None:
                shutil.rmtree(temp, ignore_errors=True)
            else:
                try:
                    os.rename(temp, final)
                except OSError:
                    # Another process renamed the same entry first; theirs has the same bytes.
                    shutil.rmtree(temp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        entry = self.lookup(digest, original_format)
        if entry is None:
            raise OSError(f"the photo cache entry {final} could not be written")
        return entry

    @staticmethod
    def read_verified(file: CachedFile) -> bytes | None:
        """The file's bytes when they still match the manifest's hash, else None."""
        try:
            data = file.path.read_bytes()
        except OSError:
            return None
        return data if _hash(data) == file.hash else None
