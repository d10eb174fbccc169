"""Photo limits, checked in the catalog stage so a bad photo is a located error before anything is written.

Codes (reported once per file, at the first entry that shows it):

``photo-too-large``       the file is over ``photo_max_bytes`` (from the loader's size: no read)
``photo-too-many-pixels`` width x height over ``photo_max_pixels``, read from the header before any
                          pixel is decoded (decompression bombs)
``photo-format``          not a JPEG, PNG or WebP Pillow can identify, or its structure is damaged
``photo-read``            the file cannot be opened (a symlink swapped in after loading, permissions)
``photo-metadata``        the source file carries GPS, maker notes, XMP or IPTC (see
                          :mod:`karigar.photos.metadata`): any photo under an artisan's ``photos/``,
                          shown or not, since the repository is public; an error in ``karigar check``,
                          a warning in a build (which publishes a clean copy either way)

Missing photos, paths outside the artisan's ``photos/`` folder and symlinks
are refused earlier, by validation (``image-missing``, ``image-path``) and
the loader (``symlink``).  Damage only found by decoding every pixel (a file
cut short) surfaces when the photo is processed, still before anything is
written, at the same location (see :mod:`karigar.photos.publish`).

A photo whose content hash is in the photo index was processed successfully
before, so only its recorded size is compared with the limits and its recorded
metadata findings reported: a warm build opens no published photo here (a
photo no entry shows is not in the index: its headers are read every time).
"""

from __future__ import annotations

from collections.abc import Mapping

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink, Location, Severity
from karigar.load.entries import PhotoFile
from karigar.photos.cache import PhotoIndex
from karigar.photos.metadata import describe, scan_metadata
from karigar.photos.process import PhotoError, PhotoInfo, probe_photo
from karigar.photos.sources import open_source, photo_cache, photo_references

__all__ = ["check_photos", "METADATA_HINT"]

_HINTS = {
    "photo-too-large": "export the photo again at a smaller size (2000 px wide is plenty) or higher compression",
    "photo-too-many-pixels": "export the photo again at a smaller size (2000 px wide is plenty)",
    "photo-format": "save the photo again as JPEG from a photo app; the file may be damaged or of another kind",
    "photo-read": "commit the photo itself (not a link to it) inside the artisan's photos/ folder",
    "photo-path": "photos must sit in the artisan's own photos/ folder",
}
# What the `photo-metadata` hint says after the command line.
METADATA_HINT = ("removes it without changing the picture; commit the cleaned file (the site itself only "
                 "ever publishes a copy without metadata)")


def _megapixels(info: PhotoInfo) -> str:
    return f"{info.width}x{info.height} = {info.pixels / 1e6:.1f} megapixels"


def _also(where: list[Location]) -> str:
    if len(where) <= 1:
        return ""
    return f" (also shown in {len(where) - 1} more place{'s' if len(where) > 2 else ''})"


def _report_metadata(sink: DiagnosticSink, severity: Severity, path: str, found: frozenset[str],
                     where: list[Location]) -> None:
    message = (f"photo `{path}` carries {describe(found)}: the file in the repository is public, "
               "and anyone who opens it can read this" + _also(where))
    hint = f"run `karigar photos clean {path}`, which {METADATA_HINT}"
    sink.items.append(Diagnostic(severity, "photo-metadata", message, where[0], hint))


def check_photos(catalog: Catalog, photos: Mapping[str, PhotoFile], settings: Settings, sink: DiagnosticSink,
                 *, index: PhotoIndex | None = None, metadata: Severity = Severity.WARNING) -> None:
    """Report every published photo over a limit or unreadable, at the entry that shows it, and every
    photo under an artisan's ``photos/`` that carries metadata (``photo-metadata``, as ``metadata``).

    A photo no entry shows is still in the repository, public: its metadata
    is reported at the file itself.  ``karigar check`` makes that an error;
    a build a warning, since it publishes a clean copy either way.
    """
    if index is None:
        index = photo_cache(settings).index()
    max_bytes, max_pixels = settings.photo_max_bytes, settings.photo_max_pixels
    references = photo_references(catalog)
    for path in sorted(photos):
        where = references.get(path) or [Location(path)]
        photo = photos[path]
        code, message = "", ""
        if photo.size > max_bytes and path in references:
            code = "photo-too-large"
            message = f"photo `{path}` is {photo.size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"
        known = index.get(photo.digest) if path in references else None
        if known is not None:  # published before: its header was read then, and what it carries recorded
            found = known.metadata
            if not code and known.source.pixels > max_pixels:
                code = "photo-too-many-pixels"
                message = (f"photo `{path}` is {_megapixels(known.source)}; "
                           f"the limit is {max_pixels / 1e6:.0f} megapixels")
        else:
            found = frozenset()
            try:
                with open_source(settings.root, path) as handle:
                    if path in references and not code:
                        probe_photo(handle, max_pixels=max_pixels, structure=True)
                    found = scan_metadata(handle)
            except PhotoError as exc:
                if path in references and not code:
                    code, message = exc.code, f"photo `{path}`: {exc.message}"
        if code:
            sink.error(code, message + _also(where), where[0], hint=_HINTS.get(code, ""))
        if found:
            _report_metadata(sink, metadata, path, found, where)
