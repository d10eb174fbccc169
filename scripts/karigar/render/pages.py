"""Stage 4: every page of the catalog, as (output path, bytes), streamed.

One function per page kind turns a view-model into HTML with the catalog's
templates and wraps it in the look's frame.  Pages are yielded one by one so
the build never holds the site in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, TypeVar

import jinja2

from karigar.catalog.graph import Catalog
from karigar.catalog.routes import Route
from karigar.render import views as v
from karigar.render.build_views import TAB_CRAFTS, TAB_REGIONS, TAB_SHOWCASE, ViewBuilder
from karigar.render.look import Look

__all__ = ["Output", "PageRenderer", "NotFoundPage", "Job", "Signer"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # relative to the site folder, POSIX
    data: bytes


@dataclass(frozen=True, slots=True)
class Job:
    """One output to make: its path, what it was made from (a signature), and how to make it.

    The signature is a hash of the inputs the page shows (entry hashes, page
    numbers, labels) plus the global fingerprint (templates, settings,
    registries, look); equal signatures mean equal bytes, so the page is not
    rendered again.  ``render`` is called only for changed signatures.
    """

    output: str
    signature: str
    render: Callable[[], bytes]


class Signer:
    """Hashes of what an output depends on, from content hashes only (no rendering)."""

    def __init__(self, global_fingerprint: str, digests: dict[str, str]) -> None:
        self.base = global_fingerprint
        self.digests = digests

    def of(self, *parts: object) -> str:
        digest = hashlib.blake2b(self.base.encode(), digest_size=16)
        for part in parts:
            digest.update(b"\x1f")
            digest.update(part if isinstance(part, bytes) else repr(part).encode())
        return digest.hexdigest()

    def entry(self, source: str) -> str:
        # The path counts as well as the bytes: a renamed folder moves the entry's URL.
        return f"{source}\x1f{self.digests.get(source, '')}"

    def item(self, item: object) -> object:
        """What a listing item contributes: the hashes of the entries its card shows."""
        if isinstance(item, tuple):
            artisan, product = item
            return (self.entry(artisan.source), self.entry(product.source))
        source = getattr(item, "source", None)
        return self.entry(source) if source else repr(item)


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    meta: v.PageMeta
    links: tuple[v.Link, ...]


def _head(meta: v.PageMeta) -> str:
    parts = [f'<link rel="canonical" href="{escape(meta.canonical)}">']
    if meta.description:
        parts.append(f'<meta name="description" content="{escape(meta.description)}">')
        parts.append(f'<meta property="og:description" content="{escape(meta.description)}">')
    parts.append(f'<meta property="og:title" content="{escape(meta.title)}">')
    parts.append(f'<meta property="og:url" content="{escape(meta.canonical)}">')
    if meta.noindex:
        parts.append('<meta name="robots" content="noindex">')
    elif meta.alternates:
        # hreflang only names real translations; x-default is the default language's page.
        for alt in meta.alternates:
            if alt.available:
                parts.append(f'<link rel="alternate" hreflang="{escape(alt.lang)}" href="{escape(alt.canonical)}">')
        parts.append(f'<link rel="alternate" hreflang="x-default" href="{escape(meta.alternates[0].canonical)}">')
    return "\n".join(parts) + "\n"


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    if not items:
        return [items]
    return [items[i:i + size] for i in range(0, len(items), size)]


class PageRenderer:
    """Renders the catalog's pages for one language."""

    def __init__(self, catalog: Catalog, builder: ViewBuilder, env: jinja2.Environment, look: Look,
                 *, per_page: int, featured_limit: int, upcoming_limit: int, signer: Signer | None = None) -> None:
        self.signer = signer or Signer("", {})
        self.catalog = catalog
        self.b = builder
        self.env = env
        self.look = look
        self.per_page = per_page
        self.featured_limit = featured_limit
        self.upcoming_limit = upcoming_limit
        self.lang = builder.lang
        self.routes = catalog.routes
        self._ = builder.ui.gettext

    def page(self, route: Route, template: str, view: Any) -> Output:
        body = self.env.get_template(template).render(view=view)
        meta: v.PageMeta = view.meta
        html = self.look.wrap(lang=meta.lang, tab=meta.tab, title=meta.title, head=_head(meta), body=body,
                              links={alt.lang: alt.url for alt in meta.alternates})
        return Output(route.output, html.encode("utf-8"))

    def view_job(self, route: Route, template: str, view: Any) -> Job:
        """A job for a page whose view is cheap to build: its signature is the view itself."""
        return Job(route.output, self.signer.of("view", template, repr(view)),
                   lambda: self.page(route, template, view).data)

    def regions_signature(self) -> str:
        return self.signer.of("regions", repr(self.b.regions()))

    def fragment(self, template: str, view: Any) -> str:
        return self.env.get_template(template).render(view=view)

    # -- entity pages ------------------------------------------------------
    def entity_jobs(self) -> Iterator[Job]:
        r, lang, sign = self.routes, self.lang, self.signer
        for artisan in self.catalog.artisans:
            products = self.catalog.products_of.get(artisan.slug, [])
            route = r.artisan(artisan.country, artisan.district_slug, artisan.slug, lang)
            own = sign.entry(artisan.source)
            if self.catalog.has_page(artisan, lang):
                yield Job(route.output,
                          sign.of("artisan", lang, own, [sign.entry(p.source) for p in products]),
                          lambda a=artisan, ps=products, rt=route: self.page(rt, "artisan.html",
                                                                               self.b.artisan_page(a, ps)).data)
            for product in products:
                if not self.catalog.has_page(product, lang):
                    continue
                route = r.product(artisan.country, artisan.district_slug, artisan.slug, product.slug, lang)
                yield Job(route.output, sign.of("product", lang, own, sign.entry(product.source)),
                          lambda a=artisan, p=product, rt=route: self.page(rt, "product.html",
                                                                           self.b.product_page(a, p)).data)

    # -- listings ----------------------------------------------------------
    def _listing(self, route_of: Callable[[int], Route], heading: str, intro: str, tab: str,
                 items: Sequence[T], make: Callable[[Sequence[T]], dict[str, Any]],
                 crumbs: tuple[v.Link, ...] = (), extra: Callable[[], dict[str, Any]] | None = None,
                 extra_signature: object = None) -> Iterator[Job]:
        chunks = _chunks(items, self.per_page)
        pages = len(chunks)
        sign = self.signer
        for number, chunk in enumerate(chunks, start=1):
            route = route_of(number)

            def render(number: int = number, chunk: Sequence[T] = chunk, route: Route = route) -> bytes:
                fields = make(chunk)
                if extra and number == 1:
                    fields.update(extra())
                title = heading if number == 1 else self._("%(title)s, page %(n)d") % {"title": heading, "n": number}
                view = v.ListingPage(
                    meta=self.b.meta(title, route.url, tab, description=intro, breadcrumbs=crumbs),
                    heading=heading, intro=intro, total=len(items),
                    pagination=self.b.pagination(lambda n: route_of(n).url, number, pages),
                    **fields,
                )
                return self.page(route, "listing.html", view).data

            signature = sign.of("listing", self.lang, heading, intro, tab, crumbs, number, pages, len(items),
                                [sign.item(i) for i in chunk], extra_signature if number == 1 else None)
            yield Job(route.output, signature, render)

    def listing_jobs(self) -> Iterator[Job]:
        _, r, lang, b, cat = self._, self.routes, self.lang, self.b, self.catalog
        artisan_cards = lambda chunk: {"artisans": tuple(b.artisan_card(a) for a in chunk)}  # noqa: E731
        product_cards = lambda chunk: {"products": tuple(b.product_card(a, p) for a, p in chunk)}  # noqa: E731
        group_links = lambda chunk: {"groups": tuple(chunk)}  # noqa: E731

        yield from self._listing(
            lambda n: r.artisans_index(lang, n), _("Artisans and regions"),
            _("Every artisan in the showcase, by country and district."), TAB_REGIONS,
            cat.artisans, artisan_cards, extra=lambda: {"regions": b.regions()},
            extra_signature=self.regions_signature(),
        )
        regions_crumb = (v.Link(_("Regions"), r.artisans_index(lang).url),)
        for country, groups in cat.countries.items():
            name = b.ui.country_name(country)
            yield from self._listing(
                lambda n, c=country: r.country(c, lang, n), name,
                _("Districts of %(country)s with artisans in the showcase.") % {"country": name},
                TAB_REGIONS, b.district_links(groups), group_links, crumbs=regions_crumb,
            )
            for group in groups:
                district = b.text(group.name)
                crumbs = regions_crumb + (v.Link(name, r.country(country, lang).url),)
                yield from self._listing(
                    lambda n, c=country, d=group.slug: r.district(c, d, lang, n),
                    f"{district}, {b.text(group.province)}",
                    _("Artisans of %(district)s.") % {"district": district},
                    TAB_REGIONS, group.artisans, artisan_cards, crumbs=crumbs,
                )

        crafts = [k for k in cat.registries.crafts if k in cat.craft_products or k in cat.craft_artisans]
        craft_links = tuple(
            v.Link(b.craft_name(k), r.craft(k, lang).url, len(cat.craft_products.get(k, ()))) for k in crafts
        )
        crafts_route = r.crafts_index(lang)
        view = v.ListingPage(
            meta=b.meta(_("Crafts"), crafts_route.url, TAB_CRAFTS,
                        description=_("The crafts of the artisans in the showcase.")),
            heading=_("Crafts"), intro=_("The crafts of the artisans in the showcase."),
            groups=craft_links, total=len(craft_links),
        )
        yield self.view_job(crafts_route, "listing.html", view)
        crafts_crumb = (v.Link(_("Crafts"), crafts_route.url),)
        for key in crafts:
            craft = cat.registries.crafts[key]
            yield from self._listing(
                lambda n, k=key: r.craft(k, lang, n), b.text(craft.name), b.text(craft.description),
                TAB_CRAFTS, cat.craft_products.get(key, []), product_cards, crumbs=crafts_crumb,
            )

        markets = [k for k in cat.registries.marketplaces if k in cat.marketplace_products]
        market_route = r.marketplaces_index(lang)
        market_links = tuple(
            v.Link(b.text(cat.registries.marketplaces[k].name), r.marketplace(k, lang).url,
                   len(cat.marketplace_products[k])) for k in markets
        )
        view = v.ListingPage(
            meta=b.meta(_("Marketplaces"), market_route.url, TAB_SHOWCASE,
                        description=_("Where to buy from the artisans in the showcase.")),
            heading=_("Marketplaces"), intro=_("Where to buy from the artisans in the showcase."),
            groups=market_links, total=len(market_links),
        )
        yield self.view_job(market_route, "listing.html", view)
        market_crumb = (v.Link(_("Marketplaces"), market_route.url),)
        for key in markets:
            name = b.text(cat.registries.marketplaces[key].name)
            yield from self._listing(
                lambda n, k=key: r.marketplace(k, lang, n), name,
                _("Products you can buy on %(marketplace)s.") % {"marketplace": name},
                TAB_SHOWCASE, cat.marketplace_products[key], product_cards, crumbs=market_crumb,
            )

    # -- home, training, 404 -----------------------------------------------
    def home(self) -> Job:
        _, b, cat, r = self._, self.b, self.catalog, self.routes
        featured = [a for a in cat.artisans if a.featured][: self.featured_limit]
        districts = sum(len(g) for g in cat.countries.values())
        counts = (
            v.Fact(_("Artisans"), b.ui.number(len(cat.artisans)), r.artisans_index(self.lang).url),
            v.Fact(_("Products"), b.ui.number(cat.product_count), r.marketplaces_index(self.lang).url),
            v.Fact(_("Crafts"), b.ui.number(len(cat.craft_artisans)), r.crafts_index(self.lang).url),
            v.Fact(_("Districts"), b.ui.number(districts), r.artisans_index(self.lang).url),
        )
        crafts = tuple(
            v.Link(b.craft_name(k), r.craft(k, self.lang).url, len(cat.craft_products.get(k, ())))
            for k in cat.registries.crafts if k in cat.craft_artisans
        )
        route = r.home(self.lang)
        view = v.HomePage(
            meta=b.meta(b.site_name, route.url, TAB_SHOWCASE,
                        description=_("Find artisans of Pakistan and India and buy their work online.")),
            tagline=_("Handmade in Pakistan and India, sold worldwide"),
            intro=_("Karigar brings block printers, embroiderers, potters and weavers online. "
                    "Meet the artisans, see their work and buy it on the marketplaces they sell on."),
            counts=counts, featured=tuple(b.artisan_card(a) for a in featured),
            crafts=crafts, regions=b.regions(),
            upcoming=b.upcoming_cards(self.upcoming_limit),
            training_url=r.training_index(self.lang).url,
        )
        return self.view_job(route, "home.html", view)

    def training_index(self) -> Job:
        return self.view_job(self.routes.training_index(self.lang), "training_index.html", self.b.training_index())

    def not_found(self) -> Job:
        _, r, lang = self._, self.routes, self.lang
        route = r.not_found()
        meta = self.b.meta(_("Page not found"), route.url, TAB_SHOWCASE)
        meta = v.PageMeta(**{**{f: getattr(meta, f) for f in meta.__slots__}, "noindex": True})
        links = (
            v.Link(_("Home"), r.home(lang).url), v.Link(_("Crafts"), r.crafts_index(lang).url),
            v.Link(_("Regions"), r.artisans_index(lang).url), v.Link(_("Training"), r.training_index(lang).url),
        )
        return self.view_job(route, "not_found.html", NotFoundPage(meta, links))

    def training_box_html(self, slug: str) -> str | None:
        for resource in self.catalog.trainings:
            if resource.slug == slug:
                return self.fragment("training_box.html", self.b.training_box(resource))
        return None
