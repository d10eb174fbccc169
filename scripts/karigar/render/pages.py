"""Stage 4: every page of the catalog, as (output path, bytes), streamed.

One function per page kind turns a view-model into HTML with the catalog's
templates and wraps it in the look's frame.  Pages are yielded one by one so
the build never holds the site in memory.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jinja2

from karigar.catalog.graph import Catalog
from karigar.catalog.page_choice import GrownLists, ShowsEntries
from karigar.catalog.routes import Route
from karigar.model.types import Artisan, Product
from karigar.render import views as v
from karigar.render import structured_data
from karigar.render.build_views import TAB_SHOWCASE, ViewBuilder
from karigar.render.cards import GridCards, ProductCards
from karigar.render.feeds import FeedJobs
from karigar.render.search_records import EVERY_RECORD, FACETS, SORTS, facet_labels
from karigar.render.head import SITE_IMAGE, SiteSharing, json_ld, page_head, sharing_tags
from karigar.render.jobs import Job, Output, Signer
from karigar.render.listing_pages import ABOVE_THE_FOLD_CARDS, ListingJobs
from karigar.render.look import Look

__all__ = ["Output", "PageRenderer", "NotFoundPage", "Job", "Signer"]


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    meta: v.PageMeta
    links: tuple[v.Link, ...]


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
        path, width, height = SITE_IMAGE
        self.sharing = SiteSharing(builder.site_name, v.ShareImage(
            builder.absolute(catalog.routes.base_path + path), builder.site_name, width, height))
        # This language's product cards, shared by every grid of its pages (see render/cards.py).
        self.cards = ProductCards(builder, env)
        env.globals["product_card_html"] = self.cards.html
        self.feeds = FeedJobs(self)
        # The makers of entity pages, bound once: each job holds only its arguments (see Job.args).
        self._make_artisan_page = self._artisan_page
        self._make_product_page = self._product_page

    def page(self, route: Route, template: str, view: Any) -> Output:
        body = self.env.get_template(template).render(view=view)
        meta: v.PageMeta = view.meta
        head = page_head(meta, site=self.sharing,
                         structured=structured_data.for_view(view, self.b.absolute, site_name=self.b.site_name))
        html = self.look.wrap(lang=meta.lang, tab=meta.tab, title=meta.title, head=head, body=body,
                              links={alt.lang: alt.url for alt in meta.alternates})
        return Output(route.output, html.encode("utf-8"))

    def view_job(self, route: Route, template: str, view: Any, *, shows: Iterable[object] = ()) -> Job:
        """A job for a page whose view is cheap to build: its signature is the view itself.

        ``shows``: the entries (or catalog items) the view shows something of,
        recorded as :attr:`Signer.pinned` (what it shows of them is in the view).
        """
        self.signer.pin(shows)
        return Job(route.output, self.signer.of("view", template, repr(view)),
                   lambda: self.page(route, template, view).data)

    def regions_signature(self) -> str:
        return self.signer.of("regions", repr(self.b.regions()))

    def fragment(self, template: str, view: Any) -> str:
        return self.env.get_template(template).render(view=view)

    # -- entity pages ------------------------------------------------------
    def entity_jobs(self, artisans: Iterable[Artisan] | None = None) -> Iterator[Job]:
        """The pages of every artisan (or of ``artisans`` only) and of their products."""
        r, lang, sign = self.routes, self.lang, self.signer
        for artisan in self.catalog.artisans if artisans is None else artisans:
            products = self.catalog.products_of.get(artisan.slug, [])
            route = r.artisan(artisan.country, artisan.district_slug, artisan.slug, lang)
            own = sign.entry(artisan.source)
            # A job keeps what its page is made from, not its route: a million routes' URLs held until
            # their pages render cost about 230 MB at 50,000 artisans in three languages.
            if self.catalog.has_page(artisan, lang):
                yield Job(route.output,
                          sign.of("artisan", lang, own, [sign.entry(p.source) for p in products]),
                          self._make_artisan_page, (artisan, products))
            for product in products:
                if not self.catalog.has_page(product, lang):
                    continue
                route = r.product(artisan.country, artisan.district_slug, artisan.slug, product.slug, lang)
                yield Job(route.output, sign.of("product", lang, own, sign.entry(product.source)),
                          self._make_product_page, (artisan, product))

    def _artisan_page(self, artisan: Artisan, products: Sequence[Product]) -> bytes:
        route = self.routes.artisan(artisan.country, artisan.district_slug, artisan.slug, self.lang)
        return self.page(route, "artisan.html", self.b.artisan_page(artisan, products)).data

    def _product_page(self, artisan: Artisan, product: Product) -> bytes:
        route = self.routes.product(artisan.country, artisan.district_slug, artisan.slug, product.slug, self.lang)
        return self.page(route, "product.html", self.b.product_page(artisan, product)).data

    # -- listings ----------------------------------------------------------
    def listing_jobs(self, choice: ShowsEntries | GrownLists | None = None,
                     dropped: list[str] | None = None) -> Iterator[Job]:
        """Every listing page, or the ones ``choice`` wants (the pages listings no longer have go to ``dropped``)."""
        listings = ListingJobs(self, choice)
        yield from listings.jobs()
        if dropped is not None:
            dropped.extend(listings.dropped)

    def feed_jobs(self, choice: ShowsEntries | GrownLists | None = None) -> Iterator[Job]:
        """Every feed (or those ``choice`` wants: the feeds that show an edited or a new entry)."""
        return self.feeds.jobs(choice)

    # -- home, training, 404 -----------------------------------------------
    def home(self) -> Job:
        """The home page: it leads with products (featured, then the newest), then artisans, crafts, regions."""
        _, b, cat, r = self._, self.b, self.catalog, self.routes
        featured = cat.featured_artisans(self.featured_limit)
        products = tuple(cat.showcase_products(self.featured_limit))
        # Every count is the length of the list its link leads to (the catalog's own lists).
        counts = (
            v.Fact(_("Artisans"), b.ui.number(len(cat.artisans)), r.artisans_index(self.lang).url),
            v.Fact(_("Products"), b.ui.number(cat.product_count), r.products_index(self.lang).url),
            v.Fact(_("Crafts"), b.ui.number(len(cat.crafts)), r.crafts_index(self.lang).url),
            v.Fact(_("Districts"), b.ui.number(cat.district_count), r.artisans_index(self.lang).url),
        )
        crafts = tuple(v.Link(b.craft_name(k), r.craft(k, self.lang).url, len(cat.craft_products.get(k, ())))
                       for k in cat.crafts)
        route = r.home(self.lang)
        view = v.HomePage(
            meta=b.meta(b.site_name, route.url, TAB_SHOWCASE,
                        description=_("Find artisans of Pakistan and India and buy their work online."),
                        feeds=self.feeds.links("products", _("New products"))
                        + self.feeds.links("artisans", _("New artisans"))),
            tagline=_("Handmade in Pakistan and India, sold worldwide"),
            intro=_("Karigar brings block printers, embroiderers, potters and weavers online. "
                    "Meet the artisans, see their work and buy it on the marketplaces they sell on."),
            counts=counts, products=products, products_url=r.products_index(self.lang).url,
            eager_cards=ABOVE_THE_FOLD_CARDS, disclosures=self.cards.disclosures(products),
            featured=tuple(b.artisan_card(a) for a in featured),
            crafts=crafts, regions=b.regions(),
            upcoming=b.upcoming_cards(self.upcoming_limit),
            training_url=r.training_index(self.lang).url,
        )
        # Signed by what it shows, as a view_job is: its few cards' view-models stand for the items
        # the view names them by (a product's description, which no card shows, changes nothing).
        signature = self.signer.of("view", "home.html", repr(replace(view, products=())),
                                   repr(tuple(b.product_card(*item) for item in products)))
        self.signer.pin((*products, *featured))  # a quick build leaves this page to a full one
        return Job(route.output, signature, lambda: self.page(route, "home.html", view).data,
                   prepare=GridCards(self.cards, products, ABOVE_THE_FOLD_CARDS))

    def training_index(self) -> Job:
        view = self.b.training_index()
        view = replace(view, meta=replace(view.meta, feeds=self.feeds.links("training", self.feeds.training_title)))
        return self.view_job(self.routes.training_index(self.lang), "training_index.html", view)

    def search_page(self, bundles: Sequence[str]) -> Job:
        """The search page: its form, and what search.js needs to search ``bundles`` (karigar.render.search)."""
        _, b, r, lang = self._, self.b, self.routes, self.lang
        route = r.search_page(lang)
        default = r.default_language
        numbering = b.ui.numbering_system
        config = {
            "lang": lang, "numbers": lang if numbering == "latn" else f"{lang}-u-nu-{numbering}",
            "pageBase": r.home(lang).url, "defaultBase": r.home(default).url, "defaultLang": default,
            "bundles": [r.search_bundle(name).url for name in bundles], "bundleNames": list(bundles),
            "sorts": {key: list(order) for key, order in SORTS.items()}, "everything": EVERY_RECORD,
            "facets": FACETS, "labels": facet_labels(self.catalog, b),
            "text": {
                "type": _("Type"), "craft": _("Craft"), "country": _("Country"), "district": _("District"),
                "marketplace": _("Marketplace"), "price": _("Price"),
                "count": _("Results: %(count)s"), "none": _("Nothing found. Try other words or fewer filters."),
                "loading": _("Searching…"), "failed": _("Search could not load. You can browse the listings."),
                "under": _("Under %(price)s"), "over": _("%(price)s and more"), "between": _("%(low)s to %(high)s"),
                "more": _("More filters"),
            },
        }
        view = v.SearchPage(
            meta=b.meta(_("Search"), route.url, TAB_SHOWCASE,
                        description=_("Search the artisans, their products and the training resources.")),
            action=route.url, script=r.asset("karigar/search.js").url,
            config=json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            sorts=(("", _("Best match")), ("newest", _("Newest")), ("name", _("Name")),
                   ("price", _("Price: low to high")), ("-price", _("Price: high to low"))),
            browse=(v.Link(_("All products"), r.products_index(lang).url),
                    v.Link(_("Artisans by region"), r.artisans_index(lang).url),
                    v.Link(_("Crafts"), r.crafts_index(lang).url),
                    v.Link(_("Training"), r.training_index(lang).url)),
        )
        return self.view_job(route, "search.html", view)

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

    def training_box_view(self, slug: str) -> v.TrainingBox | None:
        for resource in self.catalog.trainings:
            if resource.slug == slug:
                return self.b.training_box(resource)
        return None

    def training_box_html(self, slug: str) -> str | None:
        box = self.training_box_view(slug)
        return self.fragment("training_box.html", box) if box is not None else None

    def content_head(self, slug: str | None, *, title: str, description: str, canonical: str,
                     languages: Collection[str]) -> str:
        """Sharing tags and structured data of one of MkDocs' pages (a training resource's, if ``slug``)."""
        box = self.training_box_view(slug) if slug else None
        tags = sharing_tags(title=title, description=description or (box.summary if box else ""), url=canonical,
                            lang=self.lang, site=self.sharing, kind="article" if box else "website",
                            alternate_langs=languages)
        return "\n".join(tags) + "\n" + json_ld([structured_data.training(box, canonical=canonical)] if box else [])
