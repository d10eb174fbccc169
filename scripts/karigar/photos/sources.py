"""Where published photos come from: which entries show them, and reading them safely.

Shared by the limits check (catalog stage) and the publisher (render stage),
so both report a photo's problem at the same place: the first entry that
shows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Location
from karigar.photos.cache import PhotoCache
from karigar.photos.process import FORMATS, PhotoError, PhotoParams

__all__ = ["photo_params", "photo_cache", "photo_references", "published_format", "open_source", "read_source"]


def photo_params(settings: Settings) -> PhotoParams:
    """The processing parameters a site's settings ask for."""
    return PhotoParams(
        widths=tuple(settings.photo_widths),
        variants=settings.image_cdn != "netlify",  # the CDN makes the variants from the original
        max_pixels=settings.photo_max_pixels,
    )


def photo_cache(settings: Settings) -> PhotoCache:
    return PhotoCache(settings.cache_dir / "photos", photo_params(settings))


def photo_references(catalog: Catalog) -> dict[str, list[Location]]:
    """Published photo file -> where it is referenced, in the catalog's order.

    Front-matter photos point at their ``src``; a photo shown only in a
    story or description (Markdown) points at the entry's file, since the
    rendered Markdown keeps no line numbers.
    """
    refs: dict[str, list[Location]] = {}
    for artisan in catalog.artisans:
        if artisan.photo and artisan.photo.file:
            refs.setdefault(artisan.photo.file, []).append(artisan.photo.location)
        for file in artisan.story_images:
            refs.setdefault(file, []).append(Location(artisan.source))
        for product in catalog.products_of.get(artisan.slug, ()):
            for image in product.photos:
                if image.file:
                    refs.setdefault(image.file, []).append(image.location)
            for file in product.description_images:
                refs.setdefault(file, []).append(Location(product.source))
    return refs


def published_format(path: str) -> str:
    """The format a photo is published in: the one its file name promises (its URL keeps the name)."""
    suffix = os.path.splitext(path)[1].lower()
    for fmt, suffixes in FORMATS.items():
        if suffix in suffixes:
            return fmt
    raise PhotoError("photo-format", f"`{path}` is not a .jpg, .jpeg, .png or .webp file")


def _check_path(rel: str) -> None:
    # Validation only lets `photos/<file>` of the entry's own artisan through; this
    # is the last line of defence before a file is read and published.
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "photos" not in parts[:-1]:
        raise PhotoError("photo-path", f"`{rel}` is not inside an artisan's photos/ folder")


@contextmanager
def open_source(root: Path, rel: str) -> Iterator[IO[bytes]]:
    """Open a source photo for reading, refusing a symbolic link in its last part.

    The loader already refuses symlinks while walking; ``O_NOFOLLOW`` closes
    the gap of a file swapped for a link between loading and publishing.
    """
    _check_path(rel)
    try:
        fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise PhotoError("photo-read", f"cannot read `{rel}`: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as handle:
        yield handle


def read_source(root: Path, rel: str) -> bytes:
    with open_source(root, rel) as handle:
        return handle.read()
