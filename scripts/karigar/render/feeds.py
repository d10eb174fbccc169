"""Feeds: Atom (RFC 4287) and JSON Feed 1.1 of new products, new artisans and the training calendar.

Per language, site-wide and per craft::

    /feeds/products.atom  /feeds/products.json       the newest products
    /feeds/artisans.atom  /feeds/artisans.json       the newest artisans
    /feeds/crafts/<craft>/products.{atom,json}        ... of one craft
    /feeds/crafts/<craft>/artisans.{atom,json}
    /feeds/training.{atom,json}                       webinars and workshops, latest start first
    /ur/feeds/...                                     the same in Urdu, and so on

"New" is the contract's ``added`` date: an entry without one is in no feed
(it "carries no date in feeds"), and every date in a feed comes from the
content, never from the build's clock, so an unchanged catalog gives the
same bytes and incremental == clean holds.  The lists are the catalog's
(:meth:`~karigar.catalog.graph.Catalog.new_products`), which a quick build
answers from its skeleton, so a feed is planned again exactly when it shows
an edited entry or gained a new one (the choice of :mod:`karigar.catalog.page_choice`).

Items are made from the same view-model pieces as the pages (titles with
their fallback language, the page's canonical URL, the first photo, the
price as the page shows it) and carry only what the pages publish.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from karigar.catalog.graph import ProductItem
from karigar.catalog.page_choice import GrownLists, ShowsEntries
from karigar.catalog.routes import Route
from karigar.model.summaries import summary
from karigar.model.types import Artisan, Product, TrainingResource
from karigar.render import views as v
from karigar.render.jobs import Job

if TYPE_CHECKING:
    from karigar.render.pages import PageRenderer

__all__ = ["FeedJobs", "atom", "json_feed", "FORMATS"]

# (file extension, media type) of each format (the routes' FEED_EXTENSIONS), the order links list them in.
FORMATS = (("atom", "application/atom+xml"), ("json", "application/feed+json"))
_EPOCH = "1970-01-01T00:00:00Z"  # an empty feed's <updated>: Atom needs one, and the clock may not give it


def _day(iso_date: str) -> str:
    return f"{iso_date}T00:00:00Z" if len(iso_date) == 10 else iso_date


def atom(feed: v.Feed) -> bytes:
    """The feed as Atom: every entry has an id, a title, a link, a date, an author and a summary."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(feed.lang)}>',
           f"<id>{escape(feed.atom_url)}</id>",
           f"<title>{escape(feed.title)}</title>",
           f"<updated>{_day(feed.updated) if feed.updated else _EPOCH}</updated>",
           f'<link rel="self" type="application/atom+xml" href={quoteattr(feed.atom_url)}/>',
           f'<link rel="alternate" type="text/html" href={quoteattr(feed.home_url)}/>',
           f"<author><name>{escape(feed.site_name)}</name></author>",
           "<generator>Karigar</generator>"]
    for item in feed.items:
        lang = f" xml:lang={quoteattr(item.lang)}" if item.lang else ""
        out += ["<entry>",
                f"<id>{escape(item.url)}</id>",
                f"<title{lang}>{escape(item.title)}</title>",
                f'<link rel="alternate" type="text/html" href={quoteattr(item.url)}/>',
                f"<published>{_day(item.date)}</published>",
                f"<updated>{_day(item.date)}</updated>"]
        if item.author:
            out.append(f"<author><name>{escape(item.author)}</name></author>")
        if item.summary:
            out.append(f"<summary{lang}>{escape(item.summary)}</summary>")
        out += [f"<category term={quoteattr(tag)}/>" for tag in item.tags]
        if item.image:
            out.append(f'<link rel="enclosure" type={quoteattr(_image_type(item.image))} href={quoteattr(item.image)}/>')
        out.append("</entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _image_type(url: str) -> str:
    suffix = url.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(suffix, "image/jpeg")


def json_feed(feed: v.Feed) -> bytes:
    """The feed as JSON Feed 1.1 (every item has ``content_text``: the format needs a content)."""
    items = []
    for item in feed.items:
        found: dict[str, object] = {"id": item.url, "url": item.url, "title": item.title,
                                    "content_text": item.summary or item.title, "date_published": _day(item.date)}
        if item.summary:
            found["summary"] = item.summary
        if item.image:
            found["image"] = item.image
        if item.author:
            found["authors"] = [{"name": item.author}]
        if item.tags:
            found["tags"] = list(item.tags)
        if item.lang:
            found["language"] = item.lang
        items.append(found)
    body = {"version": "https://jsonfeed.org/version/1.1", "title": feed.title, "home_page_url": feed.home_url,
            "feed_url": feed.json_url, "language": feed.lang, "authors": [{"name": feed.site_name}], "items": items}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class _Spec:
    """One feed of one language: where it goes, what it is called, the page it follows, its items."""

    name: str  # products, artisans, crafts/<key>/products, training
    title: str
    home: Route
    shows: Sequence[object]  # the catalog list it shows (its items, for the quick build's choice)
    items: Callable[[], tuple[v.FeedItem, ...]]
    signature: Callable[[], object]


class FeedJobs:
    """The feeds of one language as jobs, two formats each (see the module's text)."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.b = renderer.b
        self.catalog = renderer.catalog
        self.routes = renderer.routes
        self.lang = renderer.lang
        self._ = renderer._
        self.training_title = self._("Training: webinars and workshops")

    def links(self, name: str, title: str) -> tuple[v.FeedLink, ...]:
        """The ``<link rel="alternate">`` of a feed, in both formats, for the head of a page it follows."""
        return tuple(v.FeedLink(title, self.routes.feed(name, ext, self.lang).url, media) for ext, media in FORMATS)

    def specs(self) -> Iterator[_Spec]:
        _, r, lang, cat, b = self._, self.routes, self.lang, self.catalog, self.b
        yield self._products("products", _("New products"), r.products_index(lang), cat.new_products())
        yield self._artisans("artisans", _("New artisans"), r.artisans_index(lang), cat.new_artisans())
        for key in cat.crafts:
            craft = b.craft_name(key)
            yield self._products(f"crafts/{key}/products", _("New products: %(craft)s") % {"craft": craft},
                                 r.craft(key, lang), cat.new_products(key))
            yield self._artisans(f"crafts/{key}/artisans", _("New artisans: %(craft)s") % {"craft": craft},
                                 r.craft(key, lang), cat.new_artisans(key))

    def _products(self, name: str, title: str, home: Route, items: Sequence[ProductItem]) -> _Spec:
        sign = self.renderer.signer
        return _Spec(name, title, home, items, lambda: tuple(self.product_item(*item) for item in items),
                     lambda: [sign.item(item) for item in items])

    def _artisans(self, name: str, title: str, home: Route, artisans: Sequence[Artisan]) -> _Spec:
        sign = self.renderer.signer
        return _Spec(name, title, home, artisans, lambda: tuple(self.artisan_item(a) for a in artisans),
                     lambda: [sign.entry(a.source) for a in artisans])

    def jobs(self, choice: ShowsEntries | GrownLists | None = None) -> Iterator[Job]:
        """Every feed's jobs; with a quick build's ``choice``, those showing an edited or a new entry."""
        for spec in self.specs():
            if choice is None or choice.touches([spec.shows]):
                yield from self._jobs(spec)
        if choice is None:  # training resources change in full builds only (they are content/ pages)
            yield from self._jobs(self._training())

    def _training(self) -> _Spec:
        events = sorted((t for t in self.catalog.trainings if t.is_event and t.starts is not None),
                        key=lambda t: (t.starts, t.slug), reverse=True)  # type: ignore[arg-type,return-value]
        return _Spec("training", self.training_title, self.routes.training_index(self.lang),
                     events, lambda: tuple(self.training_item(t) for t in events),
                     lambda: repr(self.catalog.trainings))

    def _jobs(self, spec: _Spec) -> Iterator[Job]:
        r, lang, b = self.routes, self.lang, self.b
        sign = self.renderer.signer
        urls = {ext: b.absolute(r.feed(spec.name, ext, lang).url) for ext, _media in FORMATS}
        signature = spec.signature()
        for ext, make in (("atom", atom), ("json", json_feed)):
            def render(make: Callable[[v.Feed], bytes] = make) -> bytes:
                items = spec.items()
                return make(v.Feed(title=spec.title, site_name=b.site_name, lang=lang,
                                   home_url=b.absolute(spec.home.url), atom_url=urls["atom"], json_url=urls["json"],
                                   updated=items[0].date if items else "", items=items))  # newest first

            yield Job(r.feed(spec.name, ext, lang).output,
                      sign.of("feed", lang, ext, spec.name, spec.title, signature, b.site_name), render)

    # -- items: what a page of the entry shows, in this language ---------------------
    def product_item(self, artisan: Artisan, product: Product) -> v.FeedItem:
        b = self.b
        card = b.product_card(artisan, product)
        _html, description, _lang = b.body(self.catalog.whole_product(product))
        return v.FeedItem(
            url=b.absolute(card.url), title=card.title, lang=card.title_lang,
            date=product.added.isoformat() if product.added else "",
            summary=" · ".join(part for part in (card.price, card.artisan, summary(description)) if part),
            author=card.artisan, image=b.absolute_media(card.photo.url) if card.photo else "",
            tags=tuple(link.label for link in b.craft_links(self.catalog.product_crafts(artisan, product))),
        )

    def artisan_item(self, artisan: Artisan) -> v.FeedItem:
        b = self.b
        card = b.artisan_card(artisan)
        _html, story, _lang = b.body(self.catalog.whole_artisan(artisan))
        return v.FeedItem(
            url=b.absolute(card.url), title=card.name, lang=card.name_lang,
            date=artisan.added.isoformat() if artisan.added else "",
            summary=" · ".join(part for part in (card.place, b.ui.join(card.crafts), summary(story)) if part),
            author="", image=b.absolute_media(card.photo.url) if card.photo else "", tags=card.crafts,
        )

    def training_item(self, resource: TrainingResource) -> v.FeedItem:
        b = self.b
        card = b.training_card(resource)
        starts = resource.starts.isoformat() if resource.starts else ""
        return v.FeedItem(
            url=b.absolute(card.url), title=card.title, lang=card.title_lang, date=starts,
            summary=" · ".join(part for part in (card.kind, card.when_local, card.summary) if part),
            author=card.provider, image="", tags=tuple(term.label for term in card.topics),
        )
