"""Every page type of the built site, and where to find one of each, for the browser tests.

A path that starts with ``/`` is fixed; any other entry is a glob below the
built site, whose first match (pagination pages left out) is the page used.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PAGE_KINDS", "ONE_PER_SITE", "page_path"]

PAGE_KINDS: dict[str, str] = {
    "home": "/",
    "all products": "/products/",
    "artisan": "artisans/*/*/*/index.html",
    "product": "artisans/*/*/*/*/index.html",
    "all artisans": "/artisans/",
    "country": "/artisans/pk/",
    "district": "artisans/*/*/index.html",
    "crafts": "/crafts/",
    "craft": "crafts/*/index.html",
    "marketplaces": "/marketplaces/",
    "marketplace": "/marketplaces/etsy/",
    "training index": "/training/",
    "training resource": "training/*/index.html",
    "about": "/about/",
    "search": "/search/",
    "404": "/no-such-page/",
}
# The site has one 404 page, written once in the default language and served for any missing
# path (/ur/... too), so it is checked once, not once per language.
ONE_PER_SITE = frozenset({"404"})


def page_path(kind: str, lang: str, site: Path, *, default_language: str = "en") -> str:
    """The URL path of one page of ``kind`` in ``lang`` (the default language is at the root)."""
    found = PAGE_KINDS[kind]
    if not found.startswith("/"):
        pages = sorted(p for p in site.glob(found) if "/page/" not in p.as_posix())
        assert pages, found
        found = "/" + pages[0].parent.relative_to(site).as_posix() + "/"
    return found if lang == default_language else f"/{lang}{found}"
