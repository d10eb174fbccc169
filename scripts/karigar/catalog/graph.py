"""Stage 3: the catalog graph.

From the validated model this builds what pages need: the published artisans
and products (drafts and entries without consent are dropped here, once, so
no later stage can leak them), reverse links (crafts, districts, marketplaces
-> items), the sort order of every listing, and the integrity checks that
need more than one entry (duplicate slugs, district agreement).

Every catalog-wide list a page counts or shows is decided here once (the
crafts that have a page, every product in listing order), so the home page,
the indexes and the route claims cannot disagree on a count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from karigar.catalog.routes import Routes
from karigar.diagnostics import DiagnosticSink, Location
from karigar.model.page_parts import PageParts
from karigar.model.translate import is_translated
from karigar.model.types import Artisan, LocalizedText, Product, Registries, TrainingResource

__all__ = ["Catalog", "Chosen", "DistrictGroup", "ProductItem", "build_catalog", "sort_key", "product_sort_key",
           "FEED_LIMIT", "newest_product_key", "newest_artisan_key",
           "showcase_key"]

# A product with its artisan: what a product card shows needs both.
ProductItem = tuple[Artisan, Product]


def sort_key(name: LocalizedText, slug: str) -> tuple[str, str]:
    """The contract's listing order: by name, then slug."""
    return (name.default.casefold(), slug)


def product_sort_key(item: ProductItem) -> tuple[str, str]:
    """Listing order of products: by title, then slug, then the artisan's (a product slug is unique per artisan only)."""
    artisan, product = item
    return sort_key(product.title, f"{product.slug}\x00{artisan.slug}")


def showcase_key(item: ProductItem) -> tuple[object, ...]:
    """The home page's order of products (:meth:`Catalog.showcase_products`) as one key: featured ones
    by name, then the newest by ``added`` (ties by name), then the undated by name."""
    product = item[1]
    if product.featured:
        return (0, product_sort_key(item))
    if product.added is not None:
        return (1, -product.added.toordinal(), product_sort_key(item))
    return (2, product_sort_key(item))


# How many entries a feed of new products or new artisans holds (karigar.render.feeds).
FEED_LIMIT = 50


def newest_product_key(item: ProductItem) -> tuple[object, ...]:
    """The feeds' order of dated products: the newest ``added`` first, ties in listing order."""
    added = item[1].added
    assert added is not None  # feeds hold dated entries only
    return (-added.toordinal(), product_sort_key(item))


def newest_artisan_key(artisan: Artisan) -> tuple[object, ...]:
    """The feeds' order of dated artisans: the newest ``added`` first, ties in listing order."""
    assert artisan.added is not None
    return (-artisan.added.toordinal(), sort_key(artisan.name, artisan.slug))


@dataclass(frozen=True)
class Chosen:
    """What the home page and the crafts index pick from the whole catalog, as a full build found it.

    A lazy catalog (:mod:`karigar.catalog.skeleton`) answers from these instead
    of reading every entry: the first ``limit`` products of the home page's
    order, the first ``limit`` featured artisans, and each craft's picture.
    """

    limit: int
    showcase: Sequence[ProductItem]
    featured: Sequence[Artisan]
    pictures: Mapping[str, ProductItem]
    # The feeds' lists (the newest FEED_LIMIT dated entries), site-wide under "" and per craft.
    new_products: Mapping[str, Sequence[ProductItem]] = field(default_factory=dict)
    new_artisans: Mapping[str, Sequence[Artisan]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DistrictGroup:
    country: str
    slug: str
    name: LocalizedText
    province: LocalizedText
    artisans: Sequence[Artisan]
    products: Sequence[ProductItem] = ()  # of its artisans, in listing order


@dataclass
class Catalog:
    """The published site as a graph; every collection is already sorted.

    Collections are sequences: lists after :func:`build_catalog`, lists that
    load entries as they are read in a quick build (:mod:`karigar.catalog.skeleton`).
    """

    registries: Registries
    routes: Routes
    now: dt.datetime
    artisans: Sequence[Artisan] = field(default_factory=list)
    products_of: dict[str, Sequence[Product]] = field(default_factory=dict)
    artisan_of: dict[tuple[str, str], Artisan] = field(default_factory=dict)  # (artisan, product) -> artisan
    countries: dict[str, list[DistrictGroup]] = field(default_factory=dict)
    products: Sequence[ProductItem] = field(default_factory=list)  # every published product, in listing order
    craft_products: dict[str, Sequence[ProductItem]] = field(default_factory=dict)
    craft_artisans: dict[str, Sequence[Artisan]] = field(default_factory=dict)
    # The crafts that have a page, in registry order: those of a product or of an artisan
    # (a product may name a craft its artisan does not list).  The one list every count uses.
    crafts: list[str] = field(default_factory=list)
    marketplace_products: dict[str, Sequence[ProductItem]] = field(default_factory=dict)
    trainings: list[TrainingResource] = field(default_factory=list)
    # "render": every artisan and product page exists in every language (text marked as a
    # fallback where untranslated); "omit": only in the languages it is translated into.
    untranslated: str = "render"
    # Each listing's page boundaries, by the list's id and per_page (see karigar.catalog.paging): the
    # claims, the plan and every language read them, and a list of 300,000 keys costs a fraction of a
    # second to cut.  The list itself is kept beside them, so a recycled id is never mistaken for it.
    page_memo: dict[tuple[int, int], tuple[Sequence[object], tuple[int, ...]]] = field(
        default_factory=dict, repr=False, compare=False)
    chosen: Chosen | None = None  # a lazy catalog's picks (see Chosen); None: worked out from the lists
    # The entries' page-only parts, when the build took them out of its memory (karigar.model.page_parts):
    # an entry's own page reads the whole entry through whole_artisan / whole_product.
    parts: PageParts | None = field(default=None, repr=False, compare=False)
    _newest: dict[tuple[str, str], Sequence[object]] = field(default_factory=dict, repr=False, compare=False)

    def new_products(self, craft: str = "") -> Sequence[ProductItem]:
        """The newest dated products (site-wide, or of ``craft``): what its feed shows (FEED_LIMIT at most)."""
        if self.chosen is not None:
            return self.chosen.new_products.get(craft, ())
        items = self.craft_products.get(craft, ()) if craft else self.products
        return self._newest_of("products", craft, items, lambda item: item[1].added, newest_product_key)  # type: ignore[return-value]

    def new_artisans(self, craft: str = "") -> Sequence[Artisan]:
        """The newest dated artisans (site-wide, or of ``craft``): what its feed shows (FEED_LIMIT at most)."""
        if self.chosen is not None:
            return self.chosen.new_artisans.get(craft, ())
        artisans = self.craft_artisans.get(craft, ()) if craft else self.artisans
        return self._newest_of("artisans", craft, artisans, lambda a: a.added, newest_artisan_key)  # type: ignore[return-value]

    def _newest_of(self, kind: str, craft: str, items: Sequence[Any], added: Callable[[Any], object],
                   key: Callable[[Any], tuple[object, ...]]) -> Sequence[object]:
        """The first FEED_LIMIT dated ``items`` by ``key``, worked out once per list (every language asks)."""
        found = self._newest.get((kind, craft))
        if found is None:
            found = self._newest[(kind, craft)] = sorted(
                (item for item in items if added(item) is not None), key=key)[:FEED_LIMIT]
        return found

    def whole_artisan(self, artisan: Artisan) -> Artisan:
        """``artisan`` with the parts only its own page shows (see :attr:`parts`)."""
        return artisan if self.parts is None else self.parts.artisan(artisan)

    def whole_product(self, product: Product) -> Product:
        """``product`` with the parts only its own page shows (see :attr:`parts`)."""
        return product if self.parts is None else self.parts.product(product)

    @property
    def product_count(self) -> int:
        return len(self.products)

    @property
    def district_count(self) -> int:
        return sum(len(groups) for groups in self.countries.values())

    def showcase_products(self, limit: int) -> list[ProductItem]:
        """The home page's products: featured ones by name, then the newest by ``added``.

        Products without a date come last, by name (the contract: an entry
        with no date "sorts last under newest"), so a catalog that dates
        nothing still fills the grid.
        """
        if self.chosen is not None and limit <= self.chosen.limit:
            return list(self.chosen.showcase[:limit])
        featured = [item for item in self.products if item[1].featured]
        rest = [item for item in self.products if not item[1].featured]
        dated = sorted((item for item in rest if item[1].added is not None),
                       key=lambda item: item[1].added or dt.date.min, reverse=True)  # stable: ties stay by name
        undated = [item for item in rest if item[1].added is None]
        return (featured + dated + undated)[:limit]

    def featured_artisans(self, limit: int) -> list[Artisan]:
        """The home page's featured artisans: the first ``limit`` by name."""
        if self.chosen is not None and limit <= self.chosen.limit:
            return list(self.chosen.featured[:limit])
        return [a for a in self.artisans if a.featured][:limit]

    def craft_picture(self, key: str) -> ProductItem | None:
        """The product whose photo stands for a craft: the first by name that has a photo."""
        if self.chosen is not None:
            return self.chosen.pictures.get(key)
        return next((item for item in self.craft_products.get(key, ()) if item[1].photos), None)

    def page_languages(self, entry: Artisan | Product) -> tuple[str, ...]:
        """The languages an artisan's or a product's page is published in (the default always)."""
        languages = self.routes.languages
        if self.untranslated == "render" or len(languages) == 1:
            return languages
        return tuple(lang for lang in languages if is_translated(entry, lang, languages[0]))

    def has_page(self, entry: Artisan | Product, lang: str) -> bool:
        return self.untranslated == "render" or lang in self.page_languages(entry)

    def product_crafts(self, artisan: Artisan, product: Product) -> tuple[str, ...]:
        return product.crafts or artisan.crafts

    def district(self, country: str, slug: str) -> DistrictGroup | None:
        for group in self.countries.get(country, ()):
            if group.slug == slug:
                return group
        return None

    def published_photos(self) -> list[str]:
        """Photo files shown by published entries only: a draft's photos are never copied."""
        files: set[str] = set()
        for artisan in self.artisans:
            if artisan.photo and artisan.photo.file:
                files.add(artisan.photo.file)
            files.update(artisan.story_images)
            for product in self.products_of.get(artisan.slug, ()):
                files.update(p.file for p in product.photos if p.file)
                files.update(product.description_images)
        return sorted(files)



def _check_unique_artisans(artisans: list[Artisan], sink: DiagnosticSink) -> list[Artisan]:
    first: dict[str, Artisan] = {}
    kept = []
    for artisan in sorted(artisans, key=lambda a: a.source):
        seen = first.get(artisan.slug)
        if seen is not None:
            sink.error(
                "duplicate-slug",
                f"artisan slug `{artisan.slug}` is already used by {seen.folder}/; "
                "an artisan's folder name must be unique across the whole catalog",
                Location(artisan.source, 1, 1),
                hint=f"rename the folder, e.g. `{artisan.slug}-{artisan.district_slug}`",
            )
            continue
        first[artisan.slug] = artisan
        kept.append(artisan)
    return kept


def _check_districts(artisans: list[Artisan], sink: DiagnosticSink) -> None:
    """All artisans of one district folder must name the same district and province."""
    by_folder: dict[tuple[str, str], Artisan] = {}
    for artisan in sorted(artisans, key=lambda a: a.source):
        key = (artisan.country, artisan.district_slug)
        ref = by_folder.setdefault(key, artisan)
        if ref is artisan:
            continue
        if artisan.district.default != ref.district.default or artisan.province.default != ref.province.default:
            sink.error(
                "district-disagree",
                f"district `{artisan.district.default}`, province `{artisan.province.default}` differs from "
                f"`{ref.district.default}`, `{ref.province.default}` in {ref.source}; "
                "all artisans of one district folder must agree",
                artisan.district_location,
                hint="list the district in artisans/_registry/districts.yml to fix its names once",
            )


def build_catalog(
    artisans: list[Artisan],
    products: list[Product],
    trainings: list[TrainingResource],
    *,
    registries: Registries,
    routes: Routes,
    now: dt.datetime,
    sink: DiagnosticSink,
    untranslated: str = "render",
) -> Catalog:
    """Cross-entry checks, then the published graph (drafts never enter it)."""
    unique = _check_unique_artisans(artisans, sink)
    _check_districts(unique, sink)
    catalog = Catalog(registries=registries, routes=routes, now=now, untranslated=untranslated)

    published = {a.slug: a for a in unique if a.published}
    # Products are keyed by the folder they sit in, so a product of a duplicate or
    # draft artisan cannot attach itself to another artisan with the same slug.
    folders = {a.folder: a for a in published.values()}
    products_of: dict[str, list[Product]] = defaultdict(list)
    for product in products:
        if product.draft:
            continue
        owner = folders.get(product.source.rsplit("/products/", 1)[0])
        if owner is None:
            continue
        products_of[owner.slug].append(product)

    catalog.artisans = artisans = sorted(published.values(), key=lambda a: sort_key(a.name, a.slug))
    for slug, items in products_of.items():
        items.sort(key=lambda p: sort_key(p.title, p.slug))
        catalog.products_of[slug] = items
        for product in items:
            catalog.artisan_of[(slug, product.slug)] = published[slug]

    districts: dict[tuple[str, str], list[Artisan]] = defaultdict(list)
    craft_products: dict[str, list[ProductItem]] = {}
    craft_artisans: dict[str, list[Artisan]] = {}
    marketplace_products: dict[str, list[ProductItem]] = {}
    every_product: list[ProductItem] = []
    for artisan in artisans:
        districts[(artisan.country, artisan.district_slug)].append(artisan)
        for craft in artisan.crafts:
            craft_artisans.setdefault(craft, []).append(artisan)
        for product in products_of.get(artisan.slug, ()):
            for craft in catalog.product_crafts(artisan, product):
                craft_products.setdefault(craft, []).append((artisan, product))
            for market in dict.fromkeys(listing.marketplace for listing in product.listings):
                marketplace_products.setdefault(market, []).append((artisan, product))
            every_product.append((artisan, product))
    every_product.sort(key=product_sort_key)
    for listed in (*craft_products.values(), *marketplace_products.values()):
        listed.sort(key=product_sort_key)
    catalog.products, catalog.craft_products, catalog.craft_artisans = every_product, dict(craft_products), dict(
        craft_artisans)
    catalog.marketplace_products = dict(marketplace_products)
    catalog.crafts = [key for key in registries.crafts if key in craft_products or key in craft_artisans]

    countries: dict[str, list[DistrictGroup]] = defaultdict(list)
    for (country, slug), members in districts.items():
        ref = members[0]
        made_here = sorted(((a, p) for a in members for p in products_of.get(a.slug, ())),
                           key=product_sort_key)
        countries[country].append(DistrictGroup(country, slug, ref.district, ref.province, tuple(members),
                                                tuple(made_here)))
    for country in sorted(countries):
        catalog.countries[country] = sorted(countries[country], key=lambda g: sort_key(g.name, g.slug))

    catalog.trainings = sorted(trainings, key=lambda t: (t.starts is None, t.starts or now, t.slug))
    return catalog
