"""Product cards: each rendered once per language per build, then reused by every grid that shows it.

One product's card appears on the home page, the all-products listing and the
listings of its crafts, its district and its marketplaces: five or more pages
per language show the same HTML.  :class:`ProductCards` belongs to the
renderer of one language; it keeps each card's view-model (keyed by the
product's source file) and its HTML (keyed by the card's URL, which names one
product in that language, and by how its photo loads), for the whole build.

Pages render in forked workers on big sites.  Before the fork the parent calls
each job's ``prepare`` (see :class:`karigar.render.pages.Job`), which makes the
cards of the pages to render here; the workers inherit them with the rest of
the parent's memory and only look them up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import jinja2
from markupsafe import Markup

from karigar.catalog.graph import ProductItem
from karigar.render import views as v
from karigar.render.build_views import ViewBuilder

__all__ = ["PRODUCT_CARD_LEVEL", "Loading", "ProductCards", "loading_of"]

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


class ProductCards:
    """The product cards of one language: view-models and HTML, each made once and kept for the build."""

    def __init__(self, builder: ViewBuilder, env: jinja2.Environment) -> None:
        self.builder = builder
        self.env = env
        self._views: dict[str, v.ProductCard] = {}
        self._html: dict[tuple[str, Loading], Markup] = {}
        self._macro: Callable[..., str] | None = None  # macros.html's product_card, loaded once

    def view(self, item: ProductItem) -> v.ProductCard:
        artisan, product = item
        card = self._views.get(product.source)
        if card is None:
            card = self._views[product.source] = self.builder.product_card(artisan, product)
        return card

    def views(self, items: Iterable[ProductItem]) -> tuple[v.ProductCard, ...]:
        return tuple(self.view(item) for item in items)

    def html(self, card: v.ProductCard, index: int = 0, eager: int = 0) -> Markup:
        """The card's HTML at ``index`` of a grid whose first ``eager`` cards load eagerly (templates call this)."""
        loading = loading_of(index, eager)
        key = (card.url, loading)
        found = self._html.get(key)
        if found is None:
            found = self._html[key] = self.render(card, loading)
        return found

    def render(self, card: v.ProductCard, loading: Loading) -> Markup:
        """Render one card with the ``product_card`` macro: the only place a grid's card is rendered."""
        if self._macro is None:
            module = self.env.get_template("macros.html").module
            self._macro = module.product_card  # type: ignore[attr-defined]  # Jinja makes each macro an attribute
        return Markup(self._macro(card, level=PRODUCT_CARD_LEVEL, show_buy=True,
                                  lazy=loading == "lazy", priority=loading == "priority"))

    def prepare(self, cards: Sequence[v.ProductCard], eager: int) -> None:
        """Make the HTML of a grid's cards now (in the parent, before render workers fork)."""
        for index, card in enumerate(cards):
            self.html(card, index, eager)

    def disclosures(self, cards: Iterable[v.ProductCard]) -> tuple[tuple[str, str], ...]:
        """Each distinct disclosure of the marketplaces the cards' buy links go to, in order, with its language."""
        found = {(card.buy.disclosure, card.buy.disclosure_lang): None
                 for card in cards if card.buy is not None and card.buy.disclosure}
        return tuple(found)
