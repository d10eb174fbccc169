"""Structured data (schema.org JSON-LD) from view-models: what search engines read of a page.

Each function turns one view-model into the JSON-LD objects its page carries,
reading only the view (the same values the page shows), so structured data
never says more than the page: nothing private reaches it, because no view
holds anything private.  URLs in views are site-absolute paths; ``absolute``
gives them the site's origin (search engines want whole URLs).

What Google documents as required, and what each object here always has:
a Product snippet needs ``name`` and one of ``offers``, ``review`` or
``aggregateRating`` (a product without a price gets no Product object: an
Offer needs a price, and Karigar has no reviews); an Offer needs ``price`` and
``priceCurrency``, and ``availability`` and ``url`` are given too (the buyer
pays on the marketplace, so this is a product snippet, not a merchant
listing); an Event needs ``name``, ``startDate`` (with its UTC offset),
``location``, ``eventAttendanceMode`` and ``eventStatus``; a BreadcrumbList's
``itemListElement`` holds ``ListItem`` objects with ``position``, ``name`` and
``item``.  Course objects carry meaning only (Google shows no rich result for
them since 2025).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from karigar.render import views as v

__all__ = ["SCHEMA", "for_view", "breadcrumb_list", "product", "artisan", "website", "training"]

SCHEMA = "https://schema.org"
JsonLd = dict[str, Any]
Absolute = Callable[[str], str]

# schema.org's enumeration members are written as URLs.
_IN_STOCK = f"{SCHEMA}/InStock"
_MADE_TO_ORDER = f"{SCHEMA}/MadeToOrder"
_ONLINE, _OFFLINE = f"{SCHEMA}/OnlineEventAttendanceMode", f"{SCHEMA}/OfflineEventAttendanceMode"
_SCHEDULED = f"{SCHEMA}/EventScheduled"
# A person's page is a Person; a family workshop or a cooperative is an Organization.
_MAKER_TYPES = {"person": "Person", "family": "Organization", "cooperative": "Organization"}


def for_view(view: object, absolute: Absolute, *, site_name: str = "") -> list[JsonLd]:
    """Every JSON-LD object of a catalog page made from ``view`` (none for a page kind without any)."""
    meta = getattr(view, "meta", None)
    found: list[JsonLd] = []
    if isinstance(view, v.ProductPage):
        found.extend(x for x in (product(view, absolute),) if x)
    elif isinstance(view, v.ArtisanPage):
        found.append(artisan(view, absolute))
    elif isinstance(view, v.HomePage):
        found.append(website(view.meta, site_name))
    if isinstance(meta, v.PageMeta):
        crumbs = breadcrumb_list(meta, absolute)
        if crumbs:
            found.append(crumbs)
    return found


def breadcrumb_list(meta: v.PageMeta, absolute: Absolute) -> JsonLd | None:
    """The page's breadcrumbs, then the page itself, as a BreadcrumbList (None on a page without any)."""
    if not meta.breadcrumbs:
        return None
    items = [(link.label, absolute(link.url)) for link in meta.breadcrumbs] + [(meta.title, meta.canonical)]
    return {
        "@context": SCHEMA, "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": n, "name": name, "item": url}
                            for n, (name, url) in enumerate(items, 1)],
    }


def _image_urls(images: tuple[v.ImageView, ...], absolute: Absolute) -> list[str]:
    return [url if url.startswith("https://") else absolute(url) for url in (img.url for img in images)]


def product(view: v.ProductPage, absolute: Absolute) -> JsonLd | None:
    """A Product with one Offer per marketplace listing; None without a price (see the module's docstring)."""
    if not view.price_amount or not view.price_currency or not view.buy_buttons:
        return None
    availability = _MADE_TO_ORDER if view.made_to_order else _IN_STOCK
    maker = view.artisan
    found: JsonLd = {
        "@context": SCHEMA, "@type": "Product",
        "name": view.title,
        "url": view.meta.canonical,
        "offers": [{
            "@type": "Offer",
            "price": view.price_amount,
            "priceCurrency": view.price_currency,
            "availability": availability,
            "url": button.url,
        } for button in view.buy_buttons],
        "manufacturer": {"@type": _MAKER_TYPES.get(maker.kind_key, "Person"), "name": maker.name,
                         "url": absolute(maker.url)},
    }
    # Only what a snippet uses: the description is the page's meta description already, and a million
    # product pages (50,000 artisans in three languages) pay for every byte here.
    if view.photos:
        found["image"] = _image_urls(view.photos, absolute)
    return found


def artisan(view: v.ArtisanPage, absolute: Absolute) -> JsonLd:
    """A Person (an artisan working alone) or an Organization (a family workshop, a cooperative)."""
    found: JsonLd = {
        "@context": SCHEMA, "@type": _MAKER_TYPES.get(view.kind_key, "Person"),
        "name": view.name,
        "url": view.meta.canonical,
    }
    if view.meta.description:
        found["description"] = view.meta.description
    if view.photo is not None:
        found["image"] = _image_urls((view.photo,), absolute)[0]
    # Only what the page shows: the district and province, never anything finer (the contract has nothing finer).
    address: JsonLd = {"@type": "PostalAddress", "addressCountry": view.country_code}
    if view.locality:
        address["addressLocality"] = view.locality
    if view.region:
        address["addressRegion"] = view.region
    found["address"] = address
    if view.crafts:
        found["knowsAbout"] = [link.label for link in view.crafts]
    return found


def website(meta: v.PageMeta, site_name: str) -> JsonLd:
    return {"@context": SCHEMA, "@type": "WebSite", "name": site_name or meta.title, "url": meta.canonical,
            "inLanguage": meta.lang}


def training(box: v.TrainingBox, *, canonical: str) -> JsonLd:
    """An Event (webinar, workshop), a Course, or a LearningResource (guide, video, toolkit)."""
    provider = {"@type": "Organization", "name": box.provider}
    common: JsonLd = {"@context": SCHEMA, "name": box.title, "url": canonical}
    if box.summary:
        common["description"] = box.summary
    if box.language_codes:
        common["inLanguage"] = list(box.language_codes)
    if box.kind_key in ("webinar", "workshop") and box.starts_iso:
        online = box.kind_key == "webinar"
        event: JsonLd = {**common, "@type": "Event", "startDate": box.starts_iso,
                         "eventAttendanceMode": _ONLINE if online else _OFFLINE,
                         "eventStatus": _SCHEDULED, "organizer": provider}
        if box.ends_iso:
            event["endDate"] = box.ends_iso
        if online:
            event["location"] = {"@type": "VirtualLocation", "url": box.url or box.registration or canonical}
        else:
            place: JsonLd = {"@type": "Place", "name": box.venue or box.city,
                             "address": {"@type": "PostalAddress", "addressLocality": box.city}}
            event["location"] = place
        return event
    if box.kind_key == "course":
        return {**common, "@type": "Course", "provider": provider}
    return {**common, "@type": "LearningResource", "learningResourceType": box.kind, "provider": provider}
