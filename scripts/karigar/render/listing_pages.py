"""The listing pages of one language, as jobs: every product, artisans and regions, crafts, marketplaces.

A listing may page two lists side by side: a district's (or a craft's)
products and its artisans.  Page n shows the n-th page of each, as
:mod:`karigar.catalog.paging` cuts them (about ``per_page`` entries a page,
boundaries chosen by the entries, so an added entry moves one page), every
item is on exactly one page, and the number of pages is that of the longer
list (the claims in :mod:`karigar.catalog.claims` count them the same way).

A listing page's signature covers what it shows: its labels, its position,
its page links, the totals (page 1 only), and the entry hashes of every card
on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from urllib.parse import urlencode
from typing import TYPE_CHECKING, Any

from karigar.catalog.graph import DistrictGroup, ProductItem
from karigar.catalog.page_choice import GrownLists, ShowsEntries
from karigar.catalog.paging import pagination_extent, paging_of
from karigar.catalog.routes import Route
from karigar.model.types import Artisan
from karigar.render import views as v
from karigar.render.build_views import TAB_CRAFTS, TAB_REGIONS, TAB_SHOWCASE
from karigar.render.cards import GridCards
from karigar.render.jobs import Job

if TYPE_CHECKING:
    from karigar.render.pages import PageRenderer

__all__ = ["ABOVE_THE_FOLD_CARDS", "ListingJobs"]

# Cards of a grid's first row: karigar.css lays cards out at least 14rem wide with a 1rem gap in
# Material's content column (at most 61rem), so no row holds more than four (measured in Chromium:
# four from about 1,300 px wide, three at 1,024 px, one on a phone).  Their photos are above the
# fold and load eagerly; the rest load lazily.
ABOVE_THE_FOLD_CARDS = 4


class ListingJobs:
    """Listing jobs of one language; the renderer gives the language, templates, cards and signer.

    ``choice``: plan just the listing pages a quick build's change reaches
    (:mod:`karigar.catalog.page_choice`), and the pages that list crafts or
    marketplaces only if it says so; the pages a listing no longer has go to
    :attr:`dropped`.
    """

    def __init__(self, renderer: PageRenderer, choice: ShowsEntries | GrownLists | None = None) -> None:
        self.renderer = renderer
        self.choice = choice
        self.dropped: list[str] = []
        self.b = renderer.b
        self.cards = renderer.cards
        self.catalog = renderer.catalog
        self.routes = renderer.routes
        self.lang = renderer.lang
        self.per_page = renderer.per_page
        self._ = renderer._

    def listing(self, route_of: Callable[[int], Route], heading: str, intro: str, tab: str, *,
                products: Sequence[ProductItem] = (), artisans: Sequence[Artisan] = (),
                groups: Sequence[DistrictGroup] = (), crumbs: tuple[v.Link, ...] = (),
                extra: Callable[[], dict[str, Any]] | None = None, extra_signature: object = None,
                feeds: tuple[v.FeedLink, ...] = (), refine: dict[str, str] | None = None) -> Iterator[Job]:
        """The pages of one listing; ``extra`` adds fields to page 1 (its signature: ``extra_signature``);
        ``refine``: the search page's filters that show the same entries, to sort and narrow them there."""
        refine_url = (self.routes.search_page(self.lang).url + "?" + urlencode(refine)) if refine else ""
        lists = (products, artisans, groups)
        if self.choice is not None and not self.choice.touches(lists):
            return  # nothing on it changed: not even its pages are cut
        paging = paging_of(self.catalog, self.per_page, *lists)
        pages = paging.pages
        sign, b, cards = self.renderer.signer, self.b, self.cards
        if self.choice is not None:
            self.dropped.extend(route_of(n).output for n in self.choice.dropped(lists, paging))
        for number in range(1, pages + 1):
            product_bounds, artisan_bounds = paging.bounds(0, number), paging.bounds(1, number)
            if self.choice is not None and not self.choice.wants(lists, paging, number):
                continue
            route = route_of(number)
            product_slice = products[slice(*product_bounds)]
            artisan_slice = artisans[slice(*artisan_bounds)]
            group_slice = b.district_links(groups[slice(*paging.bounds(2, number))])
            # The product grid comes first on the page: its first row is above the fold.
            eager = ABOVE_THE_FOLD_CARDS if not group_slice and not (extra and number == 1) else 0
            # Totals on the first page only: a later page that counted the whole listing would change
            # (and be re-rendered and re-deployed) whenever any entry of it was added or removed.
            totals = (len(products), len(artisans)) if number == 1 else (0, 0)

            def render(number: int = number, route: Route = route, product_slice: Sequence[ProductItem] = product_slice,
                       artisan_slice: Sequence[Artisan] = artisan_slice, group_slice: tuple[v.Link, ...] = group_slice,
                       eager: int = eager, totals: tuple[int, int] = totals) -> bytes:
                fields = extra() if extra and number == 1 else {}
                title = heading if number == 1 else self._("%(title)s, page %(n)d") % {"title": heading, "n": number}
                view = v.ListingPage(
                    meta=b.meta(title, route.url, tab, description=intro, breadcrumbs=crumbs, feeds=feeds),
                    heading=heading, intro=intro,
                    products=tuple(product_slice), artisans=tuple(b.artisan_card(a) for a in artisan_slice),
                    groups=group_slice, product_total=totals[0], artisan_total=totals[1],
                    pagination=b.pagination(lambda n: route_of(n).url, number, pages), eager_cards=eager,
                    disclosures=cards.disclosures(product_slice), refine_url=refine_url, **fields,
                )
                return self.renderer.page(route, "listing.html", view).data

            signature = sign.of("listing", self.lang, heading, intro, tab, crumbs, feeds, refine_url, number,
                                pagination_extent(number, pages), totals,
                                [sign.item(i) for i in product_slice], [sign.item(a) for a in artisan_slice],
                                group_slice, extra_signature if number == 1 else None)
            yield Job(route.output, signature, render,
                      prepare=GridCards(cards, product_slice, eager) if product_slice else None)

    def jobs(self) -> Iterator[Job]:
        yield from self.products_index()
        yield from self.regions()
        yield from self.crafts()
        yield from self.marketplaces()

    def products_index(self) -> Iterator[Job]:
        _ = self._
        yield from self.listing(
            partial(self.routes.products_index, self.lang), _("All products"),
            _("Every product in the showcase, by name."), TAB_SHOWCASE, products=self.catalog.products,
            feeds=self.renderer.feeds.links("products", _("New products")), refine={"type": "product"},
        )

    def regions(self) -> Iterator[Job]:
        _, r, lang, b, cat = self._, self.routes, self.lang, self.b, self.catalog
        yield from self.listing(
            partial(r.artisans_index, lang), _("Artisans and regions"),
            _("Every artisan in the showcase, by country and district."), TAB_REGIONS,
            artisans=cat.artisans, extra=lambda: {"regions": b.regions()},
            extra_signature=self.renderer.regions_signature(),
            feeds=self.renderer.feeds.links("artisans", _("New artisans")), refine={"type": "artisan"},
        )
        regions_crumb = (v.Link(_("Regions"), r.artisans_index(lang).url),)
        for country, groups in cat.countries.items():
            name = b.ui.country_name(country)
            yield from self.listing(
                partial(r.country, country, lang), name,
                _("Districts of %(country)s with artisans in the showcase.") % {"country": name},
                TAB_REGIONS, groups=groups, crumbs=regions_crumb, refine={"country": country},
            )
            for group in groups:
                district = b.text(group.name)
                crumbs = regions_crumb + (v.Link(name, r.country(country, lang).url),)
                yield from self.listing(
                    partial(r.district, country, group.slug, lang),
                    b.ui.join((district, b.text(group.province))),
                    _("Artisans of %(district)s.") % {"district": district},
                    TAB_REGIONS, products=group.products, artisans=group.artisans, crumbs=crumbs,
                    refine={"country": country, "district": f"{country}/{group.slug}"},
                )

    def crafts(self) -> Iterator[Job]:
        _, r, lang, b, cat = self._, self.routes, self.lang, self.b, self.catalog
        route = r.crafts_index(lang)
        if self.choice is None or self.choice.indexes:
            craft_cards = tuple(b.craft_card(key) for key in cat.crafts)
            view = v.ListingPage(
                meta=b.meta(_("Crafts"), route.url, TAB_CRAFTS,
                            description=_("The crafts of the artisans in the showcase.")),
                heading=_("Crafts"), intro=_("The crafts of the artisans in the showcase."),
                crafts=craft_cards, eager_cards=ABOVE_THE_FOLD_CARDS,
            )
            # The pictured products (a card shows only the photo) are pinned: a quick build leaves
            # this page to a full one.
            pictures = [cat.craft_picture(key) for key in cat.crafts]
            yield self.renderer.view_job(route, "listing.html", view, shows=[p[1] for p in pictures if p])
        crafts_crumb = (v.Link(_("Crafts"), route.url),)
        for key in cat.crafts:
            craft = cat.registries.crafts[key]
            name = b.text(craft.name)
            feeds = self.renderer.feeds
            yield from self.listing(
                partial(r.craft, key, lang), name, b.text(craft.description),
                TAB_CRAFTS, products=cat.craft_products.get(key, ()), artisans=cat.craft_artisans.get(key, ()),
                crumbs=crafts_crumb, refine={"craft": key},
                feeds=feeds.links(f"crafts/{key}/products", _("New products: %(craft)s") % {"craft": name})
                + feeds.links(f"crafts/{key}/artisans", _("New artisans: %(craft)s") % {"craft": name}),
            )

    def marketplaces(self) -> Iterator[Job]:
        _, r, lang, b, cat = self._, self.routes, self.lang, self.b, self.catalog
        markets = [k for k in cat.registries.marketplaces if k in cat.marketplace_products]
        route = r.marketplaces_index(lang)
        links = tuple(
            v.Link(b.text(cat.registries.marketplaces[k].name), r.marketplace(k, lang).url,
                   len(cat.marketplace_products[k])) for k in markets
        )
        if self.choice is None or self.choice.indexes:
            view = v.ListingPage(
                meta=b.meta(_("Marketplaces"), route.url, TAB_SHOWCASE,
                            description=_("Where to buy from the artisans in the showcase.")),
                heading=_("Marketplaces"), intro=_("Where to buy from the artisans in the showcase."), groups=links,
            )
            yield self.renderer.view_job(route, "listing.html", view)
        market_crumb = (v.Link(_("Marketplaces"), route.url),)
        for key in markets:
            name = b.text(cat.registries.marketplaces[key].name)
            yield from self.listing(
                partial(r.marketplace, key, lang), name,
                _("Products you can buy on %(marketplace)s.") % {"marketplace": name},
                TAB_SHOWCASE, products=cat.marketplace_products[key], crumbs=market_crumb,
                refine={"type": "product", "marketplace": key},
            )
