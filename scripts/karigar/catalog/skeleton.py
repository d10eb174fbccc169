"""The catalog graph by entry numbers: what a quick build keeps of it between builds.

A full build sorts every listing of the catalog (:func:`build_catalog`); a
quick build (an edit that moves no entry, see :mod:`karigar.incremental.quick`)
needs the same order without the entries.  :func:`skeleton_of` replaces each
artisan and product by its number in a table of source paths; the lists are
arrays of numbers, a few bytes an entry, kept in the build index.

:func:`lazy_catalog` turns a skeleton back into a :class:`Catalog` whose
collections are :class:`LazyEntries` and :class:`LazyItems`: their lengths
come from the arrays, and an entry is loaded only when a page reads it.  So
the pages a quick build renders load the few dozen entries they show, and
the code that renders them is the full build's own.  Reading a whole lazy
collection still works (it loads everything): slow, never wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, overload

from karigar.catalog.graph import Catalog, Chosen, DistrictGroup, ProductItem
from karigar.catalog.routes import Routes
from karigar.model.types import Artisan, LocalizedText, Product, Registries, TrainingResource

__all__ = ["Skeleton", "LazyEntries", "LazyItems", "EntryLoader", "skeleton_of", "lazy_catalog", "repaged"]

T = TypeVar("T")
# Entry number -> the entry's model (artisan or product), loaded once.
EntryLoader = Callable[[int], Artisan | Product]


@dataclass(frozen=True)
class DistrictBones:
    country: str
    slug: str
    name: LocalizedText
    province: LocalizedText
    artisans: array
    products: array  # flat pairs: artisan number, product number


# What the skeleton keeps of a listed collection: an array of entry numbers, or a country's districts.
Listed = array | tuple[DistrictBones, ...]


@dataclass(frozen=True)
class Skeleton:
    """Every collection of a :class:`Catalog`, its entries replaced by their numbers in ``sources``.

    Product lists are flat arrays of pairs (the artisan's number, then the
    product's), as a product card shows both.
    """

    sources: tuple[str, ...]
    artisans: array
    products_of: dict[str, array]
    countries: dict[str, tuple[DistrictBones, ...]]
    products: array
    craft_products: dict[str, array]
    craft_artisans: dict[str, array]
    crafts: tuple[str, ...]
    marketplace_products: dict[str, array]
    untranslated: str
    # The catalog's picks (graph.Chosen) by number: the home page's products (pairs) and featured
    # artisans, the first ``limit`` of each, and each craft's picture (a pair).
    limit: int
    showcase: array
    featured: array
    pictures: dict[str, tuple[int, int]]
    # Where each listing's pages begin, as the full build cut them (karigar.catalog.paging): the list's
    # array (the very object above: pickle keeps the identity), per_page, the starts.  Cutting the
    # 300,000 products of the catalog hashes every key, a second a quick build need not spend on
    # lists that did not change.
    paged: tuple[tuple[Listed, int, tuple[int, ...]], ...] = ()
    # The feeds' lists (Catalog.new_products, new_artisans) by number, site-wide under "" and per craft.
    new_products: dict[str, array] = field(default_factory=dict)
    new_artisans: dict[str, array] = field(default_factory=dict)


def skeleton_of(catalog: Catalog, limit: int) -> Skeleton:
    """The skeleton of a fully built catalog; ``limit``: how many products and featured artisans the
    home page shows (the settings' ``featured_limit``)."""
    numbers: dict[str, int] = {}
    made: list[tuple[Sequence[object], Listed]] = []  # each list and what the skeleton keeps of it, for its paging

    def number(entry: Artisan | Product) -> int:
        found = numbers.get(entry.source)
        if found is None:
            found = numbers[entry.source] = len(numbers)
        return found

    def entries(items: Sequence[Artisan] | Sequence[Product]) -> array:
        made.append((items, numbers_of := array("l", (number(e) for e in items))))
        return numbers_of

    def pairs(items: Sequence[ProductItem]) -> array:
        made.append((items, flat := array("l", (n for artisan, product in items
                                                for n in (number(artisan), number(product))))))
        return flat

    artisans = entries(catalog.artisans)
    products_of = {slug: entries(items) for slug, items in catalog.products_of.items()}
    countries = {country: tuple(DistrictBones(g.country, g.slug, g.name, g.province, entries(g.artisans),
                                              pairs(g.products)) for g in groups)
                 for country, groups in catalog.countries.items()}
    made.extend((catalog.countries[country], bones) for country, bones in countries.items())
    products = pairs(catalog.products)
    craft_products = {key: pairs(items) for key, items in catalog.craft_products.items()}
    craft_artisans = {key: entries(items) for key, items in catalog.craft_artisans.items()}
    marketplace_products = {key: pairs(items) for key, items in catalog.marketplace_products.items()}
    pictures = {key: (number(found[0]), number(found[1]))
                for key in catalog.crafts if (found := catalog.craft_picture(key)) is not None}
    showcase, featured = pairs(catalog.showcase_products(limit)), entries(catalog.featured_artisans(limit))
    new_products = {key: pairs(catalog.new_products(key)) for key in ("", *catalog.crafts)}
    new_artisans = {key: entries(catalog.new_artisans(key)) for key in ("", *catalog.crafts)}
    lists = {id(items): (items, numbers_of) for items, numbers_of in made}
    paged = tuple((lists[listed][1], per_page, starts) for (listed, per_page), (items, starts) in catalog.page_memo.items()
                  if listed in lists and lists[listed][0] is items)
    return Skeleton(tuple(numbers), artisans, products_of, countries, products, craft_products, craft_artisans,
                    tuple(catalog.crafts), marketplace_products, catalog.untranslated, limit, showcase, featured,
                    pictures, paged, new_products, new_artisans)


class LazyEntries(Sequence[T]):
    """A catalog list of artisans (or products) by number; an entry is loaded when it is read.

    ``before``: the list as the last build had it, when entries were added to
    it since (:mod:`karigar.catalog.growth`; empty for a list that is new).
    """

    def __init__(self, numbers: array, load: Callable[[int], T], sources: Sequence[str],
                 before: array | None = None) -> None:
        self.numbers = numbers
        self._load = load
        self._sources = sources
        self.before = before

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._load(n) for n in self.numbers[index]]
        return self._load(self.numbers[index])

    def __iter__(self) -> Iterator[T]:
        return (self._load(n) for n in self.numbers)

    def numbers_in(self, start: int, stop: int) -> Sequence[int]:
        return self.numbers[start:stop]

    def source_keys(self) -> Iterator[str]:
        """Each entry's source path (its key for paging, see karigar.catalog.paging), nothing loaded."""
        return (self._sources[n] for n in self.numbers)

    def keys_before(self) -> list[str] | None:
        """The source keys of :attr:`before` (None: the list did not change)."""
        return None if self.before is None else [self._sources[n] for n in self.before]


class LazyItems(Sequence[ProductItem]):
    """A catalog list of products with their artisans, by number (a flat array of pairs; ``before``
    as for :class:`LazyEntries`)."""

    def __init__(self, pairs: array, load: EntryLoader, sources: Sequence[str], before: array | None = None) -> None:
        self.pairs = pairs
        self._load = load
        self._sources = sources
        self.before = before

    def __len__(self) -> int:
        return len(self.pairs) // 2

    def _item(self, i: int) -> ProductItem:
        artisan, product = self._load(self.pairs[2 * i]), self._load(self.pairs[2 * i + 1])
        assert isinstance(artisan, Artisan) and isinstance(product, Product)
        return artisan, product

    @overload
    def __getitem__(self, index: int) -> ProductItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[ProductItem]: ...

    def __getitem__(self, index: int | slice) -> ProductItem | list[ProductItem]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._item(index)

    def __iter__(self) -> Iterator[ProductItem]:
        return (self._item(i) for i in range(len(self)))

    def numbers_in(self, start: int, stop: int) -> Sequence[int]:
        """The numbers of the artisans and products of items ``start`` to ``stop``."""
        return self.pairs[2 * start: 2 * stop]

    def source_keys(self) -> Iterator[str]:
        """Each product's source path (the key a full build's list gives it), nothing loaded."""
        return (self._sources[n] for n in self.pairs[1::2])

    def keys_before(self) -> list[str] | None:
        """The source keys of :attr:`before` (None: the list did not change)."""
        return None if self.before is None else [self._sources[n] for n in self.before[1::2]]


class _Pictures(Mapping[str, ProductItem]):
    """Each craft's picture, loaded when a page asks for it (only the crafts index does)."""

    def __init__(self, numbers: dict[str, tuple[int, int]], pair: Callable[[Sequence[int]], ProductItem]) -> None:
        self._numbers, self._pair = numbers, pair

    def __getitem__(self, key: str) -> ProductItem:
        return self._pair(self._numbers[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


def _arrays(skeleton: Skeleton) -> Iterator[Listed]:
    """Every list of ``skeleton`` (what a lazy catalog's lists are made of)."""
    yield skeleton.artisans
    yield skeleton.products
    yield skeleton.showcase
    yield skeleton.featured
    for lists in (skeleton.products_of, skeleton.craft_products, skeleton.craft_artisans,
                  skeleton.marketplace_products):
        yield from lists.values()
    for bones in skeleton.countries.values():
        yield bones
        for b in bones:
            yield b.artisans
            yield b.products


def repaged(skeleton: Skeleton, catalog: Catalog) -> Skeleton:
    """``skeleton`` with the paging that ``catalog``, lazy over it, has worked out since (the lists a
    quick build grew were cut afresh: the next quick build need not cut them again)."""
    arrays = {id(numbers): numbers for numbers in _arrays(skeleton)}
    known: dict[tuple[int, int], tuple[Listed, int, tuple[int, ...]]] = {
        (id(numbers), per_page): (numbers, per_page, starts) for numbers, per_page, starts in skeleton.paged
        if arrays.get(id(numbers)) is numbers}
    # A country's districts: the catalog's list of groups stands for the skeleton's tuple of bones.
    groups = {id(listed): (listed, skeleton.countries[country]) for country, listed in catalog.countries.items()
              if country in skeleton.countries}
    for (_listed, per_page), (lazy, starts) in catalog.page_memo.items():
        numbers: Listed | None = None
        if isinstance(lazy, LazyEntries):
            numbers = lazy.numbers
        elif isinstance(lazy, LazyItems):
            numbers = lazy.pairs
        elif id(lazy) in groups and groups[id(lazy)][0] is lazy:
            numbers = groups[id(lazy)][1]
        if numbers is not None and arrays.get(id(numbers)) is numbers:
            known[(id(numbers), per_page)] = (numbers, per_page, starts)
    return dataclasses.replace(skeleton, paged=tuple(known.values()))


def lazy_catalog(skeleton: Skeleton, load: EntryLoader, *, registries: Registries, routes: Routes,
                 now: dt.datetime, trainings: list[TrainingResource], before: Skeleton | None = None) -> Catalog:
    """A :class:`Catalog` over ``skeleton`` whose entries ``load`` gives, each when first read.

    ``before``: the skeleton ``skeleton`` grew from (:mod:`karigar.catalog.growth`); each list
    that changed then knows its old numbers (``before`` of :class:`LazyEntries` and
    :class:`LazyItems`), so a quick build plans only the pages that changed.
    """
    empty = array("l")

    def old(now_numbers: array, then: array | None) -> array | None:
        # Growth replaces the arrays it changes and keeps the others: identity tells them apart.
        if before is None or then is now_numbers:
            return None
        return empty if then is None else then

    # The paging a full build worked out, for the lists that are still its arrays (growth replaces
    # the arrays it changes, so a grown list is cut afresh).
    # A list may be cut at more than one page size (listing pages, and the content API's id pages).
    cut: dict[int, list[tuple[Listed, int, tuple[int, ...]]]] = {}
    for numbers, per_page, starts in skeleton.paged:
        cut.setdefault(id(numbers), []).append((numbers, per_page, starts))
    made: list[tuple[Sequence[object], Listed]] = []

    def remember(listed: list[DistrictGroup], bones: tuple[DistrictBones, ...]) -> list[DistrictGroup]:
        made.append((listed, bones))
        return listed

    def artisans(numbers: array, then: array | None = None) -> LazyEntries[Artisan]:
        made.append((lazy := LazyEntries(numbers, load, skeleton.sources, old(numbers, then)), numbers))
        return lazy  # type: ignore[return-value]  # numbers of artisans give artisans

    def products(numbers: array, then: array | None = None) -> LazyEntries[Product]:
        made.append((lazy := LazyEntries(numbers, load, skeleton.sources, old(numbers, then)), numbers))
        return lazy  # type: ignore[return-value]  # numbers of products give products

    def items(pairs: array, then: array | None = None) -> LazyItems:
        made.append((lazy := LazyItems(pairs, load, skeleton.sources, old(pairs, then)), pairs))
        return lazy

    was = before or skeleton
    old_groups = {(b.country, b.slug): b for bones in was.countries.values() for b in bones}

    def group(b: DistrictBones) -> DistrictGroup:
        then = old_groups.get((b.country, b.slug))
        return DistrictGroup(b.country, b.slug, b.name, b.province,
                             artisans(b.artisans, then.artisans if then else None),
                             items(b.products, then.products if then else None))

    def pair(numbers: Sequence[int]) -> ProductItem:
        artisan, product = load(numbers[0]), load(numbers[1])
        assert isinstance(artisan, Artisan) and isinstance(product, Product)
        return artisan, product

    chosen = Chosen(
        skeleton.limit,
        LazyItems(skeleton.showcase, load, skeleton.sources),
        artisans(skeleton.featured),
        _Pictures(skeleton.pictures, pair),
        # A feed's list that growth replaced knows its old numbers: its feed is planned again.
        {key: items(pairs, was.new_products.get(key)) for key, pairs in skeleton.new_products.items()},
        {key: artisans(numbers, was.new_artisans.get(key)) for key, numbers in skeleton.new_artisans.items()},
    )
    catalog = Catalog(
        registries=registries, routes=routes, now=now,
        artisans=artisans(skeleton.artisans, was.artisans),
        products_of={slug: products(numbers, was.products_of.get(slug))
                     for slug, numbers in skeleton.products_of.items()},
        countries={country: remember([group(b) for b in bones], bones) for country, bones in skeleton.countries.items()},
        products=items(skeleton.products, was.products),
        craft_products={key: items(pairs, was.craft_products.get(key))
                        for key, pairs in skeleton.craft_products.items()},
        craft_artisans={key: artisans(numbers, was.craft_artisans.get(key))
                        for key, numbers in skeleton.craft_artisans.items()},
        crafts=list(skeleton.crafts),
        marketplace_products={key: items(pairs, was.marketplace_products.get(key))
                              for key, pairs in skeleton.marketplace_products.items()},
        trainings=trainings,
        untranslated=skeleton.untranslated,
        chosen=chosen,
    )
    for lazy, numbers in made:
        for known in cut.get(id(numbers), ()):
            if known[0] is numbers:
                catalog.page_memo[(id(lazy), known[1])] = (lazy, known[2])
    return catalog
