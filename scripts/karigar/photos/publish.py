"""Publish the catalog's photos: process what the cache lacks, then copy clean files to the site.

Output layout (``<dir>`` is the photo's folder, e.g. ``artisans/pk/thatta/shazia-bibi/photos``)::

    <dir>/<name>                      the sanitized original, at the source's own path and name
                                      (Markdown in stories already links there), at most
                                      max(photo_widths) wide, in the format its extension names
    <dir>/_sized/<name>-<w>.webp      a WebP for every width below the original's, and at its width
    <dir>/_sized/<name>-<w>.jpg       a JPEG for every width below the original's

e.g. ``photos/loom.jpg`` gives ``photos/_sized/loom.jpg-320.webp`` and
``photos/_sized/loom.jpg-320.jpg``.  The variants keep the whole source name
(``loom.jpg``, not ``loom``) and sit in ``_sized/``, a name the loader never
reads as content (it skips ``_`` names), so no variant can collide with a
source photo or with the variant of another (``loom.jpg`` and ``loom.png``).

With ``image_cdn: netlify`` only the sanitized original is published; the
srcset candidates are Netlify Image CDN URLs
(``/.netlify/images?url=<original>&w=<w>&fm=webp``) that resize it at the edge.

Photos on media hosts (``remote_url``) are not touched and get no srcset.

The publisher runs in two steps: :meth:`PhotoPublisher.plan` before any page
is rendered (it processes new photos, so pages know every photo's size and
variants, and a photo that cannot be decoded stops the build before anything
is written), and :meth:`PhotoPublisher.write` in the copy stage.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.errors import PhotoFailed
from karigar.load.loader import digest_bytes
from karigar.photos.cache import CachedPhoto, IndexEntry, PhotoCache
from karigar.photos.process import (
    PhotoError, PhotoParams, ProcessedPhoto, is_share, process_photo, upright_width, variant_plan,
)
from karigar.photos.metadata import scan_metadata
from karigar.photos.sources import open_source, photo_cache, photo_references, published_format, read_source
from karigar.runtime import worker_pool
from karigar.write.funnel import SiteWriter

__all__ = ["PublishedImage", "PhotoOutput", "PhotoSet", "PhotoPublisher", "PhotoFailed", "variant_path", "with_photos",
           "PARALLEL_PHOTO_THRESHOLD"]

# Below this many photos to process, forking workers costs more than it saves.
PARALLEL_PHOTO_THRESHOLD = 8
ProcessFn = Callable[..., ProcessedPhoto]


@dataclass(frozen=True, slots=True)
class PublishedImage:
    """What a page shows for one local photo."""

    src: str  # URL of the sanitized original: the <img src>
    width: int
    height: int
    srcset_webp: str
    srcset_jpeg: str
    # The picture of a shared link (Open Graph), when the photo is wider than the original ("": the original).
    share_src: str = ""
    share_width: int = 0
    share_height: int = 0


@dataclass(frozen=True, slots=True)
class PhotoOutput:
    """One file to copy from the cache to the site."""

    output: str
    source: str
    kind: str
    width: int
    signature: str


@dataclass
class PhotoSet:
    """The plan: every published photo's view data and the files to copy."""

    images: dict[str, PublishedImage] = field(default_factory=dict)
    outputs: list[PhotoOutput] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # source path -> content hash

    def entry_digests(self, catalog: Catalog, digests: Mapping[str, str]) -> dict[str, str]:
        """``digests`` with each entry's shown photos folded into its hash.

        Pages are re-rendered when an entry's hash changes; a photo replaced
        under the same name changes the width, height and srcset its pages
        and cards show, so it must change the hash of the entries showing it.
        """
        out = dict(digests)

        def fold(source: str, files: list[str]) -> None:
            out[source] = with_photos(digests.get(source, ""), [self.images[f] for f in files if f in self.images])

        for artisan in catalog.artisans:
            fold(artisan.source, [artisan.photo.file] if artisan.photo and artisan.photo.file else [])
            for product in catalog.products_of.get(artisan.slug, ()):
                fold(product.source, [p.file for p in product.photos if p.file])
        return out


def with_photos(digest: str, shown: Sequence[PublishedImage]) -> str:
    """An entry's hash with what its pages show of its photos folded in (nothing to fold: unchanged)."""
    if not shown:
        return digest
    return f"{digest}+" + hashlib.blake2b(repr(list(shown)).encode(), digest_size=8).hexdigest()


def variant_path(path: str, kind: str, width: int) -> str:
    """Site-relative path of a variant of the photo at ``path`` (see the module docstring)."""
    folder, _, name = path.rpartition("/")
    return f"{folder}/_sized/{name}-{width}.{kind}"


def _signature(*parts: object) -> str:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()


# Workers are forked with these set, like the page renderer's workers.
_FORKED: dict[str, object] = {}


def _make(job: tuple[str, str]) -> tuple[str, str, IndexEntry | None, str, str]:
    """Process one photo into the cache: (path, digest, entry or None, error code, message)."""
    publisher = _FORKED["publisher"]
    assert isinstance(publisher, PhotoPublisher)
    return publisher.make(*job)


class PhotoPublisher:
    """Makes and publishes the photos of one build."""

    def __init__(self, settings: Settings, catalog: Catalog, digests: Mapping[str, str], *,
                 processes: int = 1, cache: PhotoCache | None = None, process: ProcessFn | None = None) -> None:
        self.settings = settings
        self.catalog = catalog
        self.digests = digests
        self.processes = processes
        self.cache = cache or photo_cache(settings)
        self.params: PhotoParams = self.cache.params
        # Injectable (and looked up at run time): tests count how often photos are really processed.
        self.process: ProcessFn = process or process_photo
        self.cdn = settings.image_cdn == "netlify"

    # -- making --------------------------------------------------------------
    def make(self, path: str, digest: str, *, force: bool = False) -> tuple[str, str, IndexEntry | None, str, str]:
        """Find or make one photo's cache entry; errors come back as (code, message), never raised.

        A whole entry already in the cache is used as it is (the index may
        have been lost); ``force`` makes it again.
        """
        try:
            fmt = published_format(path)
            hit = None if force or not digest else self.cache.lookup(digest, fmt)
            if hit is None:
                data = read_source(self.settings.root, path)
                actual = digest_bytes(data)  # the file may have changed since it was loaded
                hit = None if force or actual == digest else self.cache.lookup(actual, fmt)
                if hit is None:
                    photo = self.process(data, params=self.params, original_format=fmt)
                    hit = self.cache.store(actual, fmt, photo, replace=force)
                found = scan_metadata(io.BytesIO(data))
            else:
                # Made by an earlier build whose index is lost (or of another version): the
                # source's headers say what it carries, which the index keeps for the checks.
                with open_source(self.settings.root, path) as handle:
                    found = scan_metadata(handle)
        except PhotoError as exc:
            return path, digest, None, exc.code, exc.message
        return path, hit.digest, IndexEntry(hit.source, hit.original.width, hit.original.height, found), "", ""

    def _make_all(self, jobs: list[tuple[str, str]]) -> list[tuple[str, str, IndexEntry | None, str, str]]:
        if self.processes <= 1 or len(jobs) < PARALLEL_PHOTO_THRESHOLD:
            return [self.make(*job) for job in jobs]
        _FORKED["publisher"] = self
        try:
            with worker_pool(self.processes) as pool:
                return list(pool.imap_unordered(_make, jobs, chunksize=4))
        finally:
            _FORKED.clear()

    # -- planning ------------------------------------------------------------
    def plan(self) -> PhotoSet:
        """Make every published photo the cache lacks; return what pages show and what to copy."""
        refs = photo_references(self.catalog)
        index = self.cache.index()
        known: dict[str, tuple[str, IndexEntry]] = {}
        problems: list[Diagnostic] = []
        # Photos to make, grouped by content: the same bytes under several names are made once.
        groups: dict[tuple[str, str], list[str]] = {}
        for path in sorted(refs):
            digest = self.digests.get(path, "")
            entry = index.get(digest) if digest else None
            if entry is not None:
                known[path] = (digest, entry)
                continue
            suffix = path.rpartition(".")[2].lower()  # the published format follows the name
            groups.setdefault((digest or path, suffix), []).append(path)
        todo = [(paths[0], key[0] if key[0] != paths[0] else "") for key, paths in groups.items()]
        same = {paths[0]: paths for paths in groups.values()}

        photo_set = PhotoSet()
        for path, digest, entry, code, message in self._make_all(todo):
            for each in same[path]:
                if entry is None:
                    problems.append(Diagnostic(
                        Severity.ERROR, code, f"photo `{each}`: {message}", refs[each][0],
                        "save the photo again as JPEG from a photo app; the file may be damaged"))
                else:
                    known[each] = (digest, entry)
        if problems:
            raise PhotoFailed(sorted(problems, key=Diagnostic.sort_key))

        for path in sorted(known):
            digest, entry = known[path]
            photo_set.digests[path] = digest
            self._plan_one(path, digest, entry, photo_set)
        index.save({digest: entry for digest, entry in known.values()})
        return photo_set

    def _plan_one(self, path: str, digest: str, entry: IndexEntry, photo_set: PhotoSet) -> None:
        routes = self.catalog.routes
        original = routes.photo(path)
        fmt = published_format(path)
        webp: list[str] = []
        jpeg: list[str] = []
        share: tuple[str, int, int] = ("", 0, 0)
        source_width = upright_width(entry.source, entry.width, entry.height)
        for kind, width, height in variant_plan(entry.width, entry.height, self.params, source_width=source_width):
            signature = _signature("photo", digest, self.cache.key, fmt, kind, width)
            if kind == "original":
                photo_set.outputs.append(PhotoOutput(original.output, path, kind, width, signature))
                continue
            route = routes.file(variant_path(path, kind, width))
            photo_set.outputs.append(PhotoOutput(route.output, path, kind, width, signature))
            if is_share(kind, width, entry.width):
                share = (route.url, width, height)
                continue
            (webp if kind == "webp" else jpeg).append(f"{route.url} {width}w")
        if self.cdn:
            # The CDN resizes the sanitized original: one candidate per width, no files of our own.
            source = quote(original.url, safe="/")
            widths = sorted({w for w in self.params.widths if w < entry.width} | {entry.width})
            webp = [f"/.netlify/images?url={source}&w={w}&fm=webp {w}w" for w in widths]
            jpeg = [f"/.netlify/images?url={source}&w={w}&fm=jpg {w}w" for w in widths if w < entry.width]
        jpeg.append(f"{original.url} {entry.width}w")
        photo_set.images[path] = PublishedImage(original.url, entry.width, entry.height,
                                                ", ".join(webp), ", ".join(jpeg), *share)

    # -- writing -------------------------------------------------------------
    def write(self, photo_set: PhotoSet, writer: SiteWriter, *, owns: Callable[[str], bool] | None = None) -> None:
        """Copy every planned file from the cache; unchanged outputs are kept without reading anything.

        ``owns`` limits the copy to one shard's outputs (:class:`karigar.write.shard.Shard`).
        """
        entries: dict[str, CachedPhoto] = {}
        for out in photo_set.outputs:
            if owns is not None and not owns(out.output):
                continue
            if out.source not in entries:
                entries.clear()  # outputs come grouped by photo: remember one entry, not 450,000
            if writer.is_current(out.output, out.signature):
                writer.keep(out.output)
                continue
            cached = self.file_for(out, photo_set, entries)
            writer.put_file(out.output, cached, out.signature)

    def file_for(self, out: PhotoOutput, photo_set: PhotoSet, entries: dict[str, CachedPhoto] | None = None) -> Path:
        """The verified cache file for one output, remaking the photo if its entry is gone or damaged.

        Also what a dev server serves for ``out.output``: never the source file,
        which still carries its metadata.  ``entries`` memoizes lookups.
        """
        entries = {} if entries is None else entries
        digest, fmt = photo_set.digests[out.source], published_format(out.source)
        for attempt in range(2):
            entry = entries.get(out.source) or self.cache.lookup(digest, fmt)
            if entry is None or attempt:
                _, digest_, made, code, message = self.make(out.source, digest, force=bool(attempt))
                if made is None or digest_ != digest:
                    location = photo_references(self.catalog).get(out.source, [Location(out.source)])[0]
                    raise PhotoFailed([Diagnostic(Severity.ERROR, code or "photo-changed",
                                                  f"photo `{out.source}`: {message or 'changed during the build'}",
                                                  location)])
                entry = self.cache.lookup(digest, fmt)
                assert entry is not None
            entries[out.source] = entry
            for file in entry.files:
                if (file.kind, file.width) == (out.kind, out.width) and self.cache.read_verified(file) is not None:
                    return file.path
            entries.pop(out.source, None)
        raise PhotoFailed([Diagnostic(
            Severity.ERROR, "photo-cache",
            f"photo `{out.source}`: the cache does not hold the planned {out.kind} at {out.width} px; "
            "delete the photos folder of the build cache and build again", Location(out.source))])
