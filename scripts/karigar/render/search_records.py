"""Search records: one small HTML document per artisan, product and training resource, for Pagefind.

A record is made from the same view-model pieces as the entry's pages (the
cards of every language, the page's summary text), never from a rendered page
read back, and carries only what those pages publish: the catalog holds no
draft and no entry without consent, and a card shows no private field.

**One record serves every language.**  Pagefind would index each language's
pages apart, three records per entry at 350,000 entries a language; it costs
about 0.5 ms of CPU per record, so a record holds the entry's text in every
language the site has (its title, the line under it and its summary, each
only where it differs from the default language's) and is indexed once,
under the default language.  A reader searching in Urdu finds the Urdu text;
one typing a Latin name on the Urdu site finds it too.  The search page
shows each result in the reader's language: its title and line are metadata
per language (``title_ur``, ``line_ur``), its URL is the page's path without
the language folder (``url``), which the page puts back.

Filters hold stable keys (a craft's key, a country code, a price band such as
``PKR:1000-5000``), never labels: the search page of each language carries
the labels of the keys (:func:`facet_labels`), so the same bundle counts for
every language.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
import datetime as dt
from decimal import Decimal

from karigar.catalog.graph import Catalog
from karigar.model.summaries import summary
from karigar.model.types import Artisan, Product, TrainingResource
from karigar.render.build_views import ViewBuilder

__all__ = ["SearchRecord", "SearchRecords", "price_band", "facet_labels", "sort_keys", "FACETS", "RECORD_TYPES",
           "PRICE_BANDS", "SORTS", "EVERY_RECORD"]

# The orders the search page offers besides relevance (the URL's ``sort``): a sort key and a direction.
SORTS = {"newest": ("added", "desc"), "name": ("name", "asc"), "price": ("price", "asc"), "-price": ("price", "desc")}

# A word every record holds.  Pagefind answers a search without words (filters alone) by loading every
# word's index chunk (38 MB at 50,000 artisans); the search page asks for this word instead, whose one
# chunk per bundle lists every record (about 1 MB in all).
EVERY_RECORD = "kgrecord"
# The facets, in the order the search page offers them; each is a Pagefind filter of that name.
FACETS = ("type", "craft", "country", "district", "marketplace", "price")
RECORD_TYPES = ("product", "artisan", "training")

# Price bands per currency: the bounds between bands, in the currency's whole units.  Chosen for what
# handmade goods cost in each (a block-printed scarf, a pashmina shawl); any other currency takes DEFAULT.
PRICE_BANDS: dict[str, tuple[int, ...]] = {
    "PKR": (1_000, 5_000, 20_000),
    "INR": (500, 2_000, 10_000),
}
DEFAULT_BANDS = (10, 50, 200)


def price_band(amount: Decimal, currency: str) -> str:
    """The band key of a price: ``PKR:-1000`` (under), ``PKR:1000-5000``, ``PKR:20000-`` (and more)."""
    bounds = PRICE_BANDS.get(currency, DEFAULT_BANDS)
    low = ""
    for bound in bounds:
        if amount < bound:
            return f"{currency}:{low}-{bound}"
        low = str(bound)
    return f"{currency}:{low}-"


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One entry's record: ``key`` is its source path (unique, and an artisan's records share its folder)."""

    key: str
    country: str  # "" for a training resource
    html: bytes


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


class _Document:
    """The HTML of one record, built piece by piece (see :meth:`SearchRecords._record`)."""

    def __init__(self, default_lang: str) -> None:
        self.default_lang = default_lang
        self.text: list[str] = []
        self.meta: list[tuple[str, str]] = []
        self.filters: list[tuple[str, str]] = []
        self.sorts: list[tuple[str, str]] = []

    def html(self) -> bytes:
        parts = [f'<!doctype html><html lang="{self.default_lang}"><head><meta charset="utf-8"><title></title>'
                 f'</head><body><main data-pagefind-body><p>{EVERY_RECORD}</p>']
        parts += self.text
        # Metadata and filters are read from ignored elements too; their text is not indexed as content.
        parts.append("<div data-pagefind-ignore>")
        parts += [f'<span data-pagefind-meta="{name}">{_esc(value)}</span>' for name, value in self.meta if value]
        parts += [f'<span data-pagefind-filter="{name}">{_esc(value)}</span>' for name, value in self.filters]
        parts += [f'<span data-pagefind-sort="{name}">{_esc(value)}</span>' for name, value in self.sorts]
        parts.append("</div></main></body></html>")
        return "".join(parts).encode("utf-8")


class SearchRecords:
    """Makes the records of a catalog's entries from each language's view builder (the default first)."""

    def __init__(self, catalog: Catalog, builders: Mapping[str, ViewBuilder]) -> None:
        self.catalog = catalog
        self.builders = builders
        self.languages = tuple(builders)
        self.default = catalog.routes.default_language
        base = catalog.routes.base_path
        self._prefixes = {lang: catalog.routes.folder("", lang).url for lang in self.languages}
        self._base = base

    def _path(self, url: str, lang: str) -> str:
        """A page URL without the base path and language folder (the search page puts its own back)."""
        prefix = self._prefixes[lang]
        return url[len(prefix):] if url.startswith(prefix) else url[len(self._base):]

    def _texts(self, doc: _Document, pieces: Mapping[str, Sequence[tuple[str, str, bool]]]) -> None:
        """Each language's (name, text, shown) pieces: all indexed (another language's only where its text
        differs); those ``shown`` in a result are metadata too, another language's only where the search
        page could not take the default's (its title when translated, its line when it reads otherwise)."""
        default = {name: text for name, text, _shown in pieces[self.default]}
        for lang in self.languages:
            own = []
            for name, text, shown in pieces[lang]:
                differs = text != default.get(name)
                if lang == self.default:
                    if shown:
                        doc.meta.append((name, text))
                    own.append(f"<p>{_esc(text)}</p>" if text else "")
                elif differs:
                    if shown:
                        doc.meta.append((f"{name}_{lang}", text))
                    own.append(f"<p>{_esc(text)}</p>" if text else "")
            if any(own):
                doc.text.append(f'<div lang="{lang}">{"".join(own)}</div>' if lang != self.default else "".join(own))

    def _languages(self, doc: _Document, entry: Artisan | Product) -> None:
        pages = self.catalog.page_languages(entry)
        if pages != self.languages:
            doc.meta.append(("pages", " ".join(pages)))

    def artisan(self, artisan: Artisan, bundle: str) -> Iterator[SearchRecord]:
        """The records of an artisan and of each of its products, in ``bundle``."""
        whole = self.catalog.whole_artisan(artisan)
        yield SearchRecord(artisan.source, artisan.country, self._artisan(whole, bundle))
        for product in self.catalog.products_of.get(artisan.slug, ()):
            yield SearchRecord(product.source, artisan.country,
                               self._product(whole, self.catalog.whole_product(product), bundle))

    def _order(self, doc: _Document, bundle: str, name: str, added: dt.date | None, price: str = "") -> None:
        """What the search page sorts by, and the bundle a record is in (see :func:`sort_keys`)."""
        doc.filters.append(("bundle", bundle))
        for key, value in sort_keys(name, added, price):
            doc.sorts.append((key, value))
            doc.meta.append((f"s_{key}", value))

    def _place_filters(self, doc: _Document, artisan: Artisan, crafts: Iterable[str],
                       marketplaces: Iterable[str]) -> None:
        doc.filters += [("craft", key) for key in crafts]
        doc.filters += [("country", artisan.country), ("district", f"{artisan.country}/{artisan.district_slug}")]
        doc.filters += [("marketplace", key) for key in sorted(set(marketplaces))]

    def _artisan(self, artisan: Artisan, bundle: str) -> bytes:
        doc = _Document(self.default)
        pieces: dict[str, tuple[tuple[str, str, bool], ...]] = {}
        for lang, b in self.builders.items():
            card = b.artisan_card(artisan)
            _html, story, _fallback = b.body(artisan)
            line = " · ".join(part for part in (card.kind, card.place, b.ui.join(card.crafts)) if part)
            # A name not translated is the default language's (the page marks it so): not this language's.
            pieces[lang] = (("title", card.name, not card.name_lang), ("line", line, True),
                            ("text", summary(story), False))
            if lang == self.default:
                doc.meta += [("url", self._path(card.url, lang))]
                if card.photo:
                    doc.meta += [("image", card.photo.url), ("image_alt", card.photo.alt)]
        self._texts(doc, pieces)
        self._languages(doc, artisan)
        doc.filters.append(("type", "artisan"))
        self._order(doc, bundle, artisan.name.default, artisan.added)
        self._place_filters(doc, artisan, artisan.crafts, (link.marketplace for link in artisan.links))
        return doc.html()

    def _product(self, artisan: Artisan, product: Product, bundle: str) -> bytes:
        doc = _Document(self.default)
        crafts = self.catalog.product_crafts(artisan, product)
        pieces: dict[str, tuple[tuple[str, str, bool], ...]] = {}
        for lang, b in self.builders.items():
            card = b.product_card(artisan, product)
            _html, description, _fallback = b.body(product)
            line = " · ".join(part for part in (card.artisan, b.place(artisan), card.price) if part)
            craft_names = b.ui.join(b.craft_name(key) for key in crafts)
            pieces[lang] = (("title", card.title, not card.title_lang), ("line", line, True),
                            ("crafts", craft_names, False), ("text", summary(description), False))
            if lang == self.default:
                doc.meta += [("url", self._path(card.url, lang))]
                if card.photo:
                    doc.meta += [("image", card.photo.url), ("image_alt", card.photo.alt)]
        self._texts(doc, pieces)
        self._languages(doc, product)
        doc.filters.append(("type", "product"))
        price = f"{product.price.currency}{product.price.amount:015.2f}" if product.price is not None else ""
        self._order(doc, bundle, product.title.default, product.added, price)
        self._place_filters(doc, artisan, crafts, (listing.marketplace for listing in product.listings))
        if product.price is not None:
            doc.filters.append(("price", price_band(product.price.amount, product.price.currency)))
        return doc.html()

    def training(self, bundle: str) -> Iterator[SearchRecord]:
        for resource in self.catalog.trainings:
            yield SearchRecord(resource.source, "", self._training(resource, bundle))

    def _training(self, resource: TrainingResource, bundle: str) -> bytes:
        doc = _Document(self.default)
        pieces: dict[str, tuple[tuple[str, str, bool], ...]] = {}
        for lang, b in self.builders.items():
            card = b.training_card(resource)
            line = " · ".join(part for part in (card.kind, card.when_local, card.provider) if part)
            pieces[lang] = (("title", card.title, not card.title_lang), ("line", line, True),
                            ("text", card.summary, False))
            if lang == self.default:
                doc.meta += [("url", self._path(card.url, lang))]
        self._texts(doc, pieces)
        doc.filters.append(("type", "training"))
        self._order(doc, bundle, resource.title.default, resource.starts.date() if resource.starts else None)
        doc.filters += [("craft", key) for key in resource.crafts]
        doc.filters += [("marketplace", key) for key in resource.marketplaces]
        return doc.html()


def sort_keys(name: str, added: dt.date | None, price: str) -> list[tuple[str, str]]:
    """A record's sort keys: ``added`` (ISO date; an undated entry "0000-00-00", so that it sorts last under
    newest, as the contract says), ``name`` (case-folded) and, for a priced product, ``price``: currency code
    then amount, zero-padded, so that a text order is by currency and then by amount.

    Pagefind sorts each bundle; the search page merges the bundles' sorted lists by these same values
    (kept as metadata, ``s_added``...), so the order holds across bundles.
    """
    keys = [("added", added.isoformat() if added else "0000-00-00"), ("name", " ".join(name.casefold().split()))]
    if price:
        keys.append(("price", price))
    return keys


def facet_labels(catalog: Catalog, builder: ViewBuilder) -> dict[str, dict[str, str]]:
    """Every filter value's label in ``builder``'s language: what the search page shows for a key.

    Price bands are labelled by the page's script, which formats their bounds in
    the reader's language (``Intl.NumberFormat``): any currency, no table here.
    """
    _, ui, reg = builder._, builder.ui, catalog.registries
    return {
        "type": {"product": _("Products"), "artisan": _("Artisans"), "training": _("Training")},
        "craft": {key: builder.craft_name(key) for key in reg.crafts},
        "country": {code: ui.country_name(code) for code in catalog.countries},
        "district": {f"{group.country}/{group.slug}": ui.join((builder.text(group.name), builder.text(group.province)))
                     for groups in catalog.countries.values() for group in groups},
        "marketplace": {key: builder.text(market.name) for key, market in reg.marketplaces.items()},
    }
