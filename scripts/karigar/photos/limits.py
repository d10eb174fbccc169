"""Photo limits, checked in the catalog stage so a bad photo is a located error before anything is written.

Codes (reported once per file, at the first entry that shows it):

``photo-too-large``       the file is over ``photo_max_bytes`` (from the loader's size: no read)
``photo-too-many-pixels`` width x height over ``photo_max_pixels``, read from the header before any
                          pixel is decoded (decompression bombs)
``photo-format``          not a JPEG, PNG or WebP Pillow can identify, or its structure is damaged
``photo-read``            the file cannot be opened (a symlink swapped in after loading, permissions)

Missing photos, paths outside the artisan's ``photos/`` folder and symlinks
are refused earlier, by validation (``image-missing``, ``image-path``) and
the loader (``symlink``).  Damage only found by decoding every pixel (a file
cut short) surfaces when the photo is processed, still before anything is
written, at the same location (see :mod:`karigar.photos.publish`).

A photo whose content hash is in the photo index was processed successfully
before, so only its recorded size is compared with the limits: a warm build
opens no photo here.
"""

from __future__ import annotations

from collections.abc import Mapping

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import DiagnosticSink
from karigar.load.entries import PhotoFile
from karigar.photos.cache import PhotoIndex
from karigar.photos.process import PhotoError, PhotoInfo, probe_photo
from karigar.photos.sources import open_source, photo_cache, photo_references

__all__ = ["check_photos"]

_HINTS = {
    "photo-too-large": "export the photo again at a smaller size (2000 px wide is plenty) or higher compression",
    "photo-too-many-pixels": "export the photo again at a smaller size (2000 px wide is plenty)",
    "photo-format": "save the photo again as JPEG from a photo app; the file may be damaged or of another kind",
    "photo-read": "commit the photo itself (not a link to it) inside the artisan's photos/ folder",
    "photo-path": "photos must sit in the artisan's own photos/ folder",
}


def _megapixels(info: PhotoInfo) -> str:
    return f"{info.width}x{info.height} = {info.pixels / 1e6:.1f} megapixels"


def check_photos(catalog: Catalog, photos: Mapping[str, PhotoFile], settings: Settings, sink: DiagnosticSink,
                 *, index: PhotoIndex | None = None) -> None:
    """Report every published photo over a limit or unreadable, at the entry that shows it."""
    if index is None:
        index = photo_cache(settings).index()
    max_bytes, max_pixels = settings.photo_max_bytes, settings.photo_max_pixels
    for path, where in sorted(photo_references(catalog).items()):
        location = where[0]
        photo = photos.get(path)
        if photo is None:
            continue  # already an `image-missing` error from validation
        code, message = "", ""
        if photo.size > max_bytes:
            code = "photo-too-large"
            message = f"photo `{path}` is {photo.size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"
        else:
            known = index.get(photo.digest)
            if known is not None:
                if known.source.pixels > max_pixels:
                    code = "photo-too-many-pixels"
                    message = (f"photo `{path}` is {_megapixels(known.source)}; "
                               f"the limit is {max_pixels / 1e6:.0f} megapixels")
            else:
                try:
                    with open_source(settings.root, path) as handle:
                        probe_photo(handle, max_pixels=max_pixels, structure=True)
                except PhotoError as exc:
                    code, message = exc.code, f"photo `{path}`: {exc.message}"
        if code:
            if len(where) > 1:
                message += f" (also shown in {len(where) - 1} more place{'s' if len(where) > 2 else ''})"
            sink.error(code, message, location, hint=_HINTS.get(code, ""))
