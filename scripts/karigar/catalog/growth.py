"""A skeleton grown by a new artisan: every list of the catalog with its entries inserted in place.

When a pull request adds an artisan folder, every list the artisan and its
products belong to gains them at the places :func:`~karigar.catalog.graph.build_catalog`
would sort them to, and nothing else moves.  :func:`grow` makes that new
:class:`~karigar.catalog.skeleton.Skeleton` from the last one by binary
search, loading only the entries it compares with (a few dozen a list), so
a quick build can add an artisan to a catalog of 50,000 without reading it.

Lists it changes are new arrays and lists it leaves are the same objects,
which is how :func:`~karigar.catalog.skeleton.lazy_catalog` tells which
listings changed.  What a new artisan would change beyond its lists (a new
district or country: the regions' names and pages) is not done here: the
caller takes the full path.
"""

from __future__ import annotations

import bisect
import dataclasses
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from karigar.catalog.graph import (
    FEED_LIMIT, ProductItem, newest_artisan_key, newest_product_key, product_sort_key, showcase_key, sort_key,
)
from karigar.catalog.skeleton import EntryLoader, Skeleton
from karigar.model.types import Artisan, Product

__all__ = ["grown_sources", "grow"]


def grown_sources(skeleton: Skeleton, artisan: Artisan, products: Sequence[Product]) -> tuple[str, ...]:
    """The skeleton's table of sources with the new entries appended (their numbers follow the old ones)."""
    return skeleton.sources + (artisan.source, *(p.source for p in products))


class _Keys:
    """Sort keys of entries by number, each entry loaded once."""

    def __init__(self, load: EntryLoader) -> None:
        self.load = load
        self._artisans: dict[int, tuple[str, str]] = {}
        self._items: dict[tuple[int, int], tuple[str, str]] = {}

    def artisan(self, number: int) -> tuple[str, str]:
        found = self._artisans.get(number)
        if found is None:
            entry = self.load(number)
            found = self._artisans[number] = sort_key(entry.name, entry.slug)  # type: ignore[union-attr]  # an artisan's number
        return found

    def item(self, artisan: int, product: int) -> tuple[str, str]:
        found = self._items.get((artisan, product))
        if found is None:
            found = self._items[(artisan, product)] = product_sort_key(self.pair(artisan, product))
        return found

    def pair(self, artisan: int, product: int) -> ProductItem:
        a, p = self.load(artisan), self.load(product)
        assert isinstance(a, Artisan) and isinstance(p, Product)
        return a, p


def _insert_entry(numbers: array | None, number: int, key: Callable[[int], Any]) -> array:
    grown = array("l", numbers or ())
    grown.insert(bisect.bisect_left(grown, key(number), key=key), number)
    return grown


def _insert_item(pairs: array | None, item: tuple[int, int], keys: _Keys) -> array:
    grown = array("l", pairs or ())
    count = len(grown) // 2
    at = bisect.bisect_left(range(count), keys.item(*item), key=lambda i: keys.item(grown[2 * i], grown[2 * i + 1]))
    grown[2 * at: 2 * at] = array("l", item)
    return grown


def _top(numbers: Iterable[Any], limit: int, key: Callable[[Any], Any]) -> list[Any]:
    return sorted(numbers, key=key)[:limit]


def grow(skeleton: Skeleton, load: EntryLoader, *, artisan: Artisan, products: Sequence[Product],
         craft_order: Iterable[str]) -> Skeleton | None:
    """``skeleton`` with a new published ``artisan`` and its published ``products`` in every list.

    ``load`` gives every entry by number, the new ones numbered as
    :func:`grown_sources` lists them; ``craft_order`` is the registry's order
    of crafts.  None: the artisan opens a district (or country) the catalog
    does not have, or its district's names differ from the artisan's.
    """
    keys = _Keys(load)
    base = len(skeleton.sources)
    me = base
    mine = sorted(((me, base + 1 + i) for i in range(len(products))), key=lambda pair: keys.item(*pair))
    bones = next((b for b in skeleton.countries.get(artisan.country, ()) if b.slug == artisan.district_slug), None)
    if bones is None or (bones.name, bones.province) != (artisan.district, artisan.province):
        return None
    if artisan.slug in skeleton.products_of:
        return None

    artisans = _insert_entry(skeleton.artisans, me, keys.artisan)
    district_artisans = _insert_entry(bones.artisans, me, keys.artisan)
    district_products, every_product = bones.products, skeleton.products
    craft_products = dict(skeleton.craft_products)
    craft_artisans = dict(skeleton.craft_artisans)
    markets = dict(skeleton.marketplace_products)
    for craft in artisan.crafts:
        craft_artisans[craft] = _insert_entry(craft_artisans.get(craft), me, keys.artisan)
    for item in mine:
        product = keys.pair(*item)[1]
        district_products = _insert_item(district_products, item, keys)
        every_product = _insert_item(every_product, item, keys)
        for craft in product.crafts or artisan.crafts:
            craft_products[craft] = _insert_item(craft_products.get(craft), item, keys)
        for market in dict.fromkeys(listing.marketplace for listing in product.listings):
            markets[market] = _insert_item(markets.get(market), item, keys)

    countries = dict(skeleton.countries)
    countries[artisan.country] = tuple(
        dataclasses.replace(b, artisans=district_artisans, products=district_products) if b is bones else b
        for b in skeleton.countries[artisan.country])

    def showcase_of(pair: tuple[int, int]) -> Any:
        return showcase_key(keys.pair(*pair))

    old_showcase = list(zip(skeleton.showcase[::2], skeleton.showcase[1::2]))
    showcase = _top([*old_showcase, *mine], skeleton.limit, showcase_of)
    featured = _top([*skeleton.featured, *([me] if artisan.featured else [])], skeleton.limit, keys.artisan)
    pictures = dict(skeleton.pictures)
    for item in mine:
        product = keys.pair(*item)[1]
        if not product.photos:
            continue
        for craft in product.crafts or artisan.crafts:
            if craft not in pictures or keys.item(*item) < keys.item(*pictures[craft]):
                pictures[craft] = item
    crafts = tuple(key for key in craft_order if key in craft_products or key in craft_artisans)
    new_products, new_artisans = _grown_feeds(skeleton, keys, artisan, me, mine, crafts)
    return dataclasses.replace(
        skeleton,
        sources=grown_sources(skeleton, artisan, products),
        artisans=artisans,
        products_of={**skeleton.products_of, artisan.slug: array("l", (p for _a, p in sorted(
            mine, key=lambda pair: sort_key(keys.pair(*pair)[1].title, keys.pair(*pair)[1].slug))))},
        countries=countries,
        products=every_product,
        craft_products=craft_products,
        craft_artisans=craft_artisans,
        crafts=crafts,
        marketplace_products=markets,
        showcase=array("l", (n for pair in showcase for n in pair)),
        featured=array("l", featured),
        pictures=pictures,
        new_products=new_products,
        new_artisans=new_artisans,
    )


def _grown_feeds(skeleton: Skeleton, keys: _Keys, artisan: Artisan, me: int, mine: Sequence[tuple[int, int]],
                 crafts: Sequence[str]) -> tuple[dict[str, array], dict[str, array]]:
    """The feeds' lists with the new dated entries in place (the newest FEED_LIMIT of each).

    A list the new entries do not enter stays the same array: only the feeds that changed are planned.
    """
    new_products, new_artisans = dict(skeleton.new_products), dict(skeleton.new_artisans)
    empty = array("l")
    for key in ("", *crafts):
        dated = [item for item in mine if (product := keys.pair(*item)[1]).added is not None
                 and (not key or key in (product.crafts or artisan.crafts))]
        if dated:
            old = new_products.get(key, empty)
            top = _top([*zip(old[::2], old[1::2]), *dated], FEED_LIMIT, lambda pair: newest_product_key(keys.pair(*pair)))
            grown = array("l", (n for pair in top for n in pair))
            if grown != old or key not in new_products:
                new_products[key] = grown
        if artisan.added is not None and (not key or key in artisan.crafts):
            old = new_artisans.get(key, empty)
            top = _top([*old, me], FEED_LIMIT, lambda number: newest_artisan_key(keys.load(number)))  # type: ignore[arg-type]
            grown = array("l", top)
            if grown != old or key not in new_artisans:
                new_artisans[key] = grown
    for key in crafts:  # a craft the catalog did not have has (empty) feeds too
        new_products.setdefault(key, array("l"))
        new_artisans.setdefault(key, array("l"))
    return new_products, new_artisans
