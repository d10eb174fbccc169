"""Claim every output of the site before anything is rendered.

Claiming first means collisions (a ``content/artisans.md`` page against the
catalog's ``/artisans/``) and overfull folders are content errors found
before the first byte is written, not surprises during the write.
"""

from __future__ import annotations

import math

from karigar.catalog.graph import Catalog
from karigar.catalog.routes import Route, RouteTable
from karigar.diagnostics import DiagnosticSink, Location

__all__ = ["claim_site", "page_count"]


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page))


def claim_site(catalog: Catalog, *, content_pages: list[tuple[str, str]], languages: tuple[str, ...], per_page: int,
               folder_cap: int, config_path: str, sink: DiagnosticSink) -> RouteTable:
    """Claim every output path for its owner; report collisions and folders over the cap."""
    table = RouteTable(folder_cap=folder_cap, sink=sink)
    r = catalog.routes
    engine = Location(config_path)

    def paged(route_of, count: int, owner: Location) -> None:  # type: ignore[no-untyped-def]
        for n in range(1, page_count(count, per_page) + 1):
            table.claim(route_of(n), owner)

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
        paged(lambda n: r.artisans_index(lang, n), len(catalog.artisans), engine)
        for country, groups in catalog.countries.items():
            paged(lambda n: r.country(country, lang, n), len(groups), engine)
            for group in groups:
                paged(lambda n: r.district(country, group.slug, lang, n), len(group.artisans), engine)
        table.claim(r.crafts_index(lang), engine)
        for key, items in catalog.craft_products.items():
            paged(lambda n: r.craft(key, lang, n), len(items), engine)
        for key in catalog.craft_artisans:
            if key not in catalog.craft_products:
                table.claim(r.craft(key, lang), engine)
        table.claim(r.marketplaces_index(lang), engine)
        for key, items in catalog.marketplace_products.items():
            paged(lambda n: r.marketplace(key, lang, n), len(items), engine)
        table.claim(r.training_index(lang), engine)
        table.claim(r.training_calendar(lang), engine)
        # MkDocs renders every content/ page in every language (a translation or a marked
        # fallback), so a page can collide with the catalog under /ur/ as well as at the root.
        for source, src_uri in content_pages:
            route: Route = r.content_page(src_uri, lang)
            table.claim(route, Location(source, 1, 1))
    table.claim(r.not_found(), engine)
    table.check_folder_caps()
    return table
