"""What only an entry's own page shows, kept out of the build's memory while the catalog is built and rendered.

A validated artisan or product carries its whole text: the story or
description as HTML, the start of its plain text (the page's meta
description), its translations' bodies, a product's materials, dimensions
and every marketplace link, an artisan's shop links.  Only the entry's own
page reads them; the catalog graph, the listings, the cards (which show a
product's first link) and every check read the rest.  At 50,000 artisans in
three languages these page-only parts are about half of the validated
entries, and the render workers fork from the process that holds them.

:func:`detach` writes each artisan folder's page parts (the artisan's and
its products') to one unnamed temporary file, one pickled record per folder,
and leaves *slim* entries behind: the same objects in every other field,
the page parts emptied (a body that was not empty keeps a marker, so
"does it have a story" and "is it translated" read the same).  The entry
page's view reads the whole entry back with :meth:`PageParts.artisan` or
:meth:`PageParts.product`: one read of the folder's record, by any process
(forked render workers share the file), which also serves the folder's
other pages, rendered next to it (see ``karigar.render.site.locality``).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, TypeVar

from karigar.diagnostics import Location
from karigar.model.types import Artisan, Listing, Product, Translation

__all__ = ["PageParts", "detach", "DETACHED", "family_of"]

# What a non-empty body becomes in a slim entry: truthy, as the body was, and never shown (a page that
# showed it would differ from the same build without detaching, which the tests compare byte for byte).
DETACHED = "\x00detached"
_NOWHERE = Location("")
# How many artisan folders' records a process keeps read: the pages of one folder are rendered
# together, in every language, so one is nearly always enough.
_KEPT_FAMILIES = 4

E = TypeVar("E", Artisan, Product, Translation)


def family_of(source: str) -> str:
    """The artisan folder of an entry file (an artisan's ``index.md`` or one of its products)."""
    head, products, _name = source.partition("/products/")
    return head if products else head.rsplit("/", 1)[0]


_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in (Artisan, Product, Translation)}


def _copy_with(entry: E, **changes: Any) -> E:
    """``dataclasses.replace`` without calling ``__init__``: about five times faster, and these
    classes check nothing there (a million copies at 50,000 artisans in three languages)."""
    cls = type(entry)
    made = object.__new__(cls)
    for name in _FIELDS[cls]:
        object.__setattr__(made, name, changes[name] if name in changes else getattr(entry, name))
    return made


@lru_cache(maxsize=None)
def _placeholder(marketplace: str) -> Listing:
    # A link beyond a product's first keeps only its marketplace (the per-marketplace listings, the
    # entry's shape): the page that shows its URL reads the whole entry back.
    return Listing(marketplace, None, "", None, _NOWHERE)


def _slim_translations(translations: tuple[Translation, ...]) -> tuple[Translation, ...]:
    return tuple(_copy_with(t, fields=(), body_html=DETACHED if t.body_html else "", body_lead="")
                 for t in translations)


def _artisan_parts(artisan: Artisan) -> tuple[object, ...]:
    return artisan.story_html, artisan.story_lead, artisan.links, artisan.translations


def _product_parts(product: Product) -> tuple[object, ...]:
    return (product.description_html, product.description_lead, product.materials, product.dimensions,
            product.listings, product.translations)


def _slim_artisan(artisan: Artisan) -> Artisan:
    return _copy_with(artisan, story_html=DETACHED if artisan.story_html else "", story_lead="", links=(),
                      translations=_slim_translations(artisan.translations))


def _slim_product(product: Product) -> Product:
    listings = product.listings[:1] + tuple(_placeholder(link.marketplace) for link in product.listings[1:])
    return _copy_with(product, description_html=DETACHED if product.description_html else "",
                      description_lead="", materials=(), dimensions=None, listings=listings,
                      translations=_slim_translations(product.translations))


class PageParts:
    """The page parts :func:`detach` took out, by artisan folder, in an unnamed temporary file."""

    def __init__(self, handle: IO[bytes], places: dict[str, int]) -> None:
        self._handle = handle
        self._fd = handle.fileno()  # inherited by forked workers; pread does not move a shared offset
        self._places = places  # artisan folder -> offset << 32 | length of its record
        self._read: OrderedDict[str, dict[str, tuple[object, ...]]] = OrderedDict()

    def close(self) -> None:
        self._handle.close()

    def _parts(self, source: str) -> tuple[object, ...] | None:
        family = family_of(source)
        record = self._read.get(family)
        if record is None:
            place = self._places.get(family)
            if place is None:
                return None
            data = os.pread(self._fd, place & 0xFFFFFFFF, place >> 32)
            record = self._read[family] = pickle.loads(data)
            if len(self._read) > _KEPT_FAMILIES:
                self._read.popitem(last=False)
        return record.get(source)

    def artisan(self, artisan: Artisan) -> Artisan:
        """The whole artisan (``artisan`` itself when it was not detached)."""
        parts = self._parts(artisan.source)
        if parts is None:
            return artisan
        story_html, story_lead, links, translations = parts
        return _copy_with(artisan, story_html=story_html, story_lead=story_lead, links=links,
                          translations=translations)

    def product(self, product: Product) -> Product:
        """The whole product (``product`` itself when it was not detached)."""
        parts = self._parts(product.source)
        if parts is None:
            return product
        description_html, description_lead, materials, dimensions, listings, translations = parts
        return _copy_with(product, description_html=description_html, description_lead=description_lead,
                          materials=materials, dimensions=dimensions, listings=listings,
                          translations=translations)


def detach(artisans: Sequence[Artisan], products: Sequence[Product], *,
           folder: Path) -> tuple[list[Artisan], list[Product], PageParts]:
    """Slim copies of ``artisans`` and ``products`` (same order), and their page parts in a temporary
    file under ``folder`` (deleted when closed, or when the process ends)."""
    families: dict[str, dict[str, tuple[object, ...]]] = {}
    for artisan in artisans:
        families.setdefault(family_of(artisan.source), {})[artisan.source] = _artisan_parts(artisan)
    for product in products:
        families.setdefault(family_of(product.source), {})[product.source] = _product_parts(product)
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.TemporaryFile(dir=folder, prefix="page-parts-")
    places: dict[str, int] = {}
    offset = 0
    try:
        for family, record in families.items():
            data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
            handle.write(data)
            places[family] = offset << 32 | len(data)
            offset += len(data)
        handle.flush()
    except BaseException:
        handle.close()
        raise
    families.clear()
    return ([_slim_artisan(a) for a in artisans], [_slim_product(p) for p in products],
            PageParts(handle, places))
