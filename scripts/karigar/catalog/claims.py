"""Claim every output of the site before anything is rendered.

Claiming first means collisions (a ``content/artisans.md`` page against the
catalog's ``/artisans/``) and overfull folders are content errors found
before the first byte is written, not surprises during the write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from karigar.catalog.graph import Catalog
from karigar.catalog.paging import paging_of
from karigar.catalog.routes import Route, RouteTable
from karigar.diagnostics import DiagnosticSink, Location

__all__ = ["claim_site"]


def claim_site(catalog: Catalog, *, content_pages: list[tuple[str, str]], languages: tuple[str, ...], per_page: int,
               folder_cap: int, config_path: str, sink: DiagnosticSink) -> RouteTable:
    """Claim every output path for its owner; report collisions and folders over the cap."""
    table = RouteTable(folder_cap=folder_cap, sink=sink)
    r = catalog.routes
    engine = Location(config_path)

    def paged(route_of: Callable[[int], Route], *lists: Sequence[object]) -> None:
        for n in range(1, paging_of(catalog, per_page, *lists).pages + 1):
            table.claim(route_of(n), engine)

    for lang in languages:
        for artisan in catalog.artisans:
            owner = Location(artisan.source, 1, 1)
            if catalog.has_page(artisan, lang):
                table.claim(r.artisan(artisan.country, artisan.district_slug, artisan.slug, lang), owner)
            for product in catalog.products_of.get(artisan.slug, ()):
                if not catalog.has_page(product, lang):
                    continue
                table.claim(r.product(artisan.country, artisan.district_slug, artisan.slug, product.slug, lang),
                            Location(product.source, 1, 1))
        table.claim(r.home(lang), engine)
        paged(partial(r.products_index, lang), catalog.products)
        paged(partial(r.artisans_index, lang), catalog.artisans)
        for country, groups in catalog.countries.items():
            paged(partial(r.country, country, lang), groups)
            for group in groups:
                # A district's page shows its products beside its artisans (see render/listing_pages.py).
                paged(partial(r.district, country, group.slug, lang), group.artisans, group.products)
        table.claim(r.crafts_index(lang), engine)
        for key in catalog.crafts:
            paged(partial(r.craft, key, lang), catalog.craft_products.get(key, ()),
                  catalog.craft_artisans.get(key, ()))
        table.claim(r.marketplaces_index(lang), engine)
        for key, items in catalog.marketplace_products.items():
            paged(partial(r.marketplace, key, lang), items)
        table.claim(r.training_index(lang), engine)
        table.claim(r.training_calendar(lang), engine)
        table.claim(r.search_page(lang), engine)
        for name in r.feed_names(catalog.crafts):
            for ext in r.FEED_EXTENSIONS:
                table.claim(r.feed(name, ext, lang), engine)
        # MkDocs renders every content/ page in every language (a translation or a marked
        # fallback), so a page can collide with the catalog under /ur/ as well as at the root.
        for source, src_uri in content_pages:
            route: Route = r.content_page(src_uri, lang)
            table.claim(route, Location(source, 1, 1))
    table.claim(r.not_found(), engine)
    table.check_folder_caps()
    return table
