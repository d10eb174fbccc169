"""Product cards: each rendered once per language per build, then reused by every grid that shows it.

One product's card appears on the home page, the all-products listing and the
listings of its crafts, its district and its marketplaces: five or more pages
per language show the same HTML.  :class:`ProductCards` belongs to the
renderer of one language and keeps each card's HTML (keyed by the product's
source file, and by how its photo loads) for the whole build.

What it keeps is bounded by what a card needs, not by what made it.  A grid
names its cards by their catalog items (the graph holds those anyway), so no
view-model is kept; a card's view-model is made to render it and dropped.  The
HTML is kept compressed (:class:`PackedHtml`): cards share almost all of their
markup, so with the language's first card as a preset dictionary a card of
0.8-1 KB (a Python string of Urdu or Hindi text takes two bytes a character,
so 2 KB) packs to about 150 bytes, and unpacking one takes about 2 us.  The
demo catalog of 1,000 artisans in three languages kept 53 MB of cards (views
and HTML), now 5 MB; at 50,000 artisans that is about 2.7 GB against 0.26 GB.

Pages render in forked workers on big sites.  Before the fork the parent calls
each job's ``prepare`` (see :class:`karigar.render.jobs.Job`), which makes the
cards of the pages to render here; the workers inherit them with the rest of
the parent's memory and only look them up.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import jinja2
from markupsafe import Markup

from karigar.catalog.graph import ProductItem
from karigar.render import views as v
from karigar.render.build_views import ViewBuilder

__all__ = ["PRODUCT_CARD_LEVEL", "Loading", "PackedHtml", "ProductCards", "GridCards", "loading_of"]

# How a card's photo loads: below the fold lazily; a grid's first row eagerly, and the very
# first photo (the page's likely Largest Contentful Paint on a phone) with high priority.
Loading = Literal["lazy", "eager", "priority"]

# Every grid that reuses a card sits under an h2 ("Products", "Handmade work"), so one cached
# card has one heading level everywhere.
PRODUCT_CARD_LEVEL = 3


def loading_of(index: int, eager: int) -> Loading:
    """The loading of the card at ``index`` (from 0) in a grid whose first ``eager`` cards are above the fold."""
    if index >= eager:
        return "lazy"
    return "priority" if index == 0 else "eager"


class PackedHtml:
    """HTML fragments of one kind and language, kept as raw deflate streams sharing a preset dictionary.

    The dictionary is the first fragment packed: every later card finds its
    markup there and stores little more than its own words and URLs.  Packing
    is lossless, so which card came first changes the memory used, never a
    byte of a page.
    """

    # Deflate's window is 32 KiB: a longer dictionary would be cut to its end anyway.
    _WINDOW = 1 << 15

    def __init__(self) -> None:
        self._dictionary: bytes | None = None

    def pack(self, html: str) -> bytes:
        data = html.encode("utf-8")
        if self._dictionary is None:
            self._dictionary = data[-self._WINDOW:]
        packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, self._dictionary)
        return packer.compress(data) + packer.flush()

    def has_dictionary(self) -> bool:
        return self._dictionary is not None

    def unpack(self, packed: bytes) -> Markup:
        assert self._dictionary is not None, "unpack before any pack"
        unpacker = zlib.decompressobj(-15, self._dictionary)
        return Markup((unpacker.decompress(packed) + unpacker.flush()).decode("utf-8"))


class ProductCards:
    """The product cards of one language: HTML made once per card and way of loading, kept packed for the build."""

    def __init__(self, builder: ViewBuilder, env: jinja2.Environment) -> None:
        self.builder = builder
        self.env = env
        self._packed: dict[Loading, dict[str, bytes]] = {"lazy": {}, "eager": {}, "priority": {}}
        self._html = PackedHtml()
        self._macro: Callable[..., str] | None = None  # macros.html's product_card, loaded once
        self._disclosures: dict[str, tuple[str, str]] = {}  # marketplace -> (disclosure, its language)

    def html(self, item: ProductItem, index: int = 0, eager: int = 0) -> Markup:
        """The card's HTML at ``index`` of a grid whose first ``eager`` cards load eagerly (templates call this)."""
        loading = loading_of(index, eager)
        packed = self._packed[loading].get(item[1].source)
        if packed is None:
            return self._make(item, loading)
        return self._html.unpack(packed)

    def _make(self, item: ProductItem, loading: Loading) -> Markup:
        html = self.render(self.builder.product_card(*item), loading)
        self._packed[loading][item[1].source] = self._html.pack(html)
        return html

    def render(self, card: v.ProductCard, loading: Loading) -> Markup:
        """Render one card with the ``product_card`` macro: the only place a grid's card is rendered."""
        if self._macro is None:
            module = self.env.get_template("macros.html").module
            self._macro = module.product_card  # type: ignore[attr-defined]  # Jinja makes each macro an attribute
        return Markup(self._macro(card, level=PRODUCT_CARD_LEVEL, show_buy=True,
                                  lazy=loading == "lazy", priority=loading == "priority"))

    def prepare(self, items: Sequence[ProductItem], eager: int) -> None:
        """Make the HTML of a grid's cards now (in the parent, before render workers fork)."""
        for loading, item in self.missing(items, eager):
            self._make(item, loading)

    def missing(self, items: Sequence[ProductItem], eager: int) -> list[tuple[Loading, ProductItem]]:
        """The cards of a grid not made yet, with how each one's photo loads."""
        found = []
        for index, item in enumerate(items):
            loading = loading_of(index, eager)
            if item[1].source not in self._packed[loading]:
                found.append((loading, item))
        return found

    def packed(self, item: ProductItem, loading: Loading) -> bytes:
        """One card made and packed, for :meth:`install` in another process (see render/site.py).

        Its packing depends only on the preset dictionary, which the first
        card made sets: make one before forking the processes that call this.
        """
        self._make(item, loading)
        return self._packed[loading][item[1].source]

    def has_dictionary(self) -> bool:
        return self._html.has_dictionary()

    def install(self, loading: Loading, source: str, packed: bytes) -> None:
        """Keep a card packed by :meth:`packed` in a worker process."""
        self._packed[loading][source] = packed

    def disclosures(self, items: Iterable[ProductItem]) -> tuple[tuple[str, str], ...]:
        """Each distinct disclosure of the marketplaces the cards' buy links go to, in order, with its language.

        A card's buy link is its product's first listing (``ViewBuilder.product_card``).
        """
        found: dict[tuple[str, str], None] = {}
        for _artisan, product in items:
            if product.listings:
                market = product.listings[0].marketplace
                disclosure = self._disclosures.get(market)
                if disclosure is None:
                    disclosure = self._disclosures[market] = self.builder.marketplace_disclosure(market)
                if disclosure[0]:
                    found[disclosure] = None
        return tuple(found)

    def packed_bytes(self) -> int:
        """The bytes of packed HTML held (for measurements; the dictionaries' entries come on top)."""
        return sum(len(packed) for store in self._packed.values() for packed in store.values())


class GridCards:
    """A grid's cards to make before render workers fork (a :class:`~karigar.render.jobs.Job`'s ``prepare``)."""

    __slots__ = ("cards", "items", "eager")

    def __init__(self, cards: ProductCards, items: Sequence[ProductItem], eager: int) -> None:
        self.cards, self.items, self.eager = cards, items, eager

    def __call__(self) -> None:
        self.cards.prepare(self.items, self.eager)

    def missing(self) -> list[tuple[Loading, ProductItem]]:
        return self.cards.missing(self.items, self.eager)
