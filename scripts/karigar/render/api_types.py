"""The content API's documents as types: one frozen dataclass per JSON object the API publishes.

These types are the one source of truth of ``/api/v1/``: :mod:`karigar.render.api`
builds documents as these values and serializes them with :func:`json_value`,
and :mod:`karigar.render.api_schema` turns the same classes (their type hints,
docstrings and field descriptions) into the published JSON Schemas and the
OpenAPI description.  A field added here is added to the documents and to
their schemas at once; nothing is written twice.

Values are typed, never display strings: prices are numbers with ISO 4217
codes, dates ISO 8601, countries ISO 3166-1 alpha-2 codes, links absolute
URLs.  Every property is always present (``null`` where there is no value),
so a partner's code never has to guess whether a field was left out.

A human-readable text is a :class:`Text`: the text in each language that has
its own, and the language shown where one has none (``fallback``, the
site's default).  The untranslated languages' copies are left out: a
catalog mostly written in one language would otherwise publish each
description three times (350,000 documents at the target size).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal

__all__ = [
    "API_VERSION", "SCHEMA_VERSION", "Constraint", "about", "json_value",
    "Url", "HttpsUrl", "IsoDate", "IsoDateTime", "CountryCode", "CurrencyCode", "LanguageCode", "LanguageTag",
    "Revision",
    "Text", "Ref", "Variant", "Photo", "Money", "BuyLink", "Verification", "Place", "Summary", "IdEntry",
    "Artisan", "Product", "Training", "Craft", "Marketplace", "Program", "Country", "District",
    "ListPage", "IdPage", "Collection", "EntryPoint", "DOCUMENTS", "DocumentType",
]

# The URL's version (``/api/v1/``): a change a v1 client could trip over needs v2.  SCHEMA_VERSION's
# minor number counts the additions within v1 (see content/partners/api.md: the compatibility promise).
API_VERSION = "1"
SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class Constraint:
    """JSON Schema keywords a string type carries (``format``, ``pattern``): read by the schema generator."""

    format: str = ""
    pattern: str = ""
    description: str = ""


# Strings with a meaning, as the schema states it.
Url = Annotated[str, Constraint("uri", "^https?://", "An absolute URL on the site")]
HttpsUrl = Annotated[str, Constraint("uri", "^https://", "An absolute https URL")]
IsoDate = Annotated[str, Constraint("date", r"^\d{4}-\d{2}-\d{2}$", "An ISO 8601 date")]
IsoDateTime = Annotated[str, Constraint("date-time", "", "An ISO 8601 date and time with its UTC offset")]
CountryCode = Annotated[str, Constraint("", "^[A-Z]{2}$", "An ISO 3166-1 alpha-2 country code")]
CurrencyCode = Annotated[str, Constraint("", "^[A-Z]{3}$", "An ISO 4217 currency code")]
LanguageCode = Annotated[str, Constraint("", "^[a-z]{2,3}$", "An ISO 639 language code")]
LanguageTag = Annotated[str, Constraint("", "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                                        "A BCP 47 language tag (pa-Arab: Punjabi in the Shahmukhi script)")]
Revision = Annotated[str, Constraint("", "^[0-9a-f]{32}$", "Changes whenever the document changes")]
EntityId = Annotated[str, Constraint("", "^[a-z0-9/-]+/$",
                                     "The entity's id: the path of its page without the language folder")]
DocumentType = Literal["artisan", "product", "training", "craft", "marketplace", "program", "country", "district"]


def about(description: str) -> Any:
    """A dataclass field with its description (the schema's ``description``); it has no default."""
    return field(metadata={"description": description})


@dataclass(frozen=True, slots=True)
class Text:
    """A human-readable text in the languages it is written in, and the language shown for the others."""

    values: dict[str, str] = about("The text by language code: in the fallback language always, and in every "
                                   "other language of the site that has its own text")
    fallback: LanguageCode = about("The language whose text a reader of any language missing from `values` is "
                                   "shown (the site's default language: the pages do the same)")


@dataclass(frozen=True, slots=True)
class Ref:
    """A link to another document of the API."""

    id: EntityId = about("The document's entity id")
    url: Url = about("The document's URL")
    name: Text | None = about("Its name or title, where the linking document shows one")


@dataclass(frozen=True, slots=True)
class Variant:
    """One published size of a photo."""

    url: Url = about("The file's URL")
    width: int = about("Its width in pixels")
    media_type: Literal["image/webp", "image/jpeg"] = about("Its format")


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo, stripped of its metadata before it was published."""

    url: Url = about("The photo at its published size")
    width: int | None = about("Its width in pixels (null for a photo on a media host)")
    height: int | None = about("Its height in pixels (null for a photo on a media host)")
    alt: Text = about("What the photo shows, for people who cannot see it")
    variants: tuple[Variant, ...] = about("Smaller sizes, in WebP and JPEG, narrowest first")


@dataclass(frozen=True, slots=True)
class Money:
    """A price."""

    amount: Decimal = about("The amount in the currency's main unit")
    currency: CurrencyCode = about("The currency")


@dataclass(frozen=True, slots=True)
class BuyLink:
    """Where a buyer can buy: a listing on a marketplace, with the registry's parameters already in its URL."""

    marketplace: Ref = about("The marketplace's document")
    listing_id: str | None = about("The marketplace's id of the listing (an ASIN, an Etsy listing id), if known")
    url: HttpsUrl = about("The listing's page")
    cart_url: HttpsUrl | None = about("A link that puts the listing in the buyer's cart, where the marketplace has one")


@dataclass(frozen=True, slots=True)
class Verification:
    """Who checked that the artisan is real, and when."""

    by: str = about("The trainer's or programme's handle")
    date: IsoDate = about("The day of the check")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a workshop is held."""

    city: Text = about("The city")
    venue: Text = about("The venue")


# -- entities --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Artisan:
    """An artisan: a person, a family workshop or a cooperative, with their products."""

    id: EntityId = about("Its id: the path of its page (a renamed folder is a new id)")
    type: Literal["artisan"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code (only the languages it is published in)")
    added: IsoDate | None = about("The day it was first published, from the content; null when not known")
    name: Text = about("The artisan's name")
    kind: Literal["person", "family", "cooperative"] = about("Who works here")
    members: int | None = about("How many people work here (a family or a cooperative)")
    since: int | None = about("The year they started practising the craft")
    country: Ref = about("The country's document")
    country_code: CountryCode = about("The country")
    district: Ref = about("The district's document")
    province: Text = about("The province or state")
    crafts: tuple[Ref, ...] = about("The crafts they practise")
    photo: Photo | None = about("Their photo")
    story_html: Text = about("Their story, as sanitized HTML (no script, no raw HTML from the content)")
    summary: Text = about("The start of the story as plain text")
    languages: tuple[LanguageTag, ...] = about("The languages they speak")
    programs: tuple[Ref, ...] = about("The programmes that brought them online")
    verified: Verification | None = about("Who verified them, if anyone did")
    shops: tuple[BuyLink, ...] = about("Their shops on marketplaces")
    products: tuple[Ref, ...] = about("Their products, in the order of their titles (each product's document "
                                      "has its title: an edit of a product changes that document alone)")


@dataclass(frozen=True, slots=True)
class Product:
    """A product of an artisan, and where to buy it."""

    id: EntityId = about("Its id: the path of its page (a renamed file or folder is a new id)")
    type: Literal["product"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code (only the languages it is published in)")
    added: IsoDate | None = about("The day it was first published, from the content; null when not known")
    title: Text = about("The product's title")
    artisan: Ref = about("The artisan who makes it")
    country_code: CountryCode = about("The artisan's country")
    district: Ref = about("The artisan's district")
    price: Money | None = about("Its price, if the artisan gives one")
    made_to_order: bool | None = about("Whether it is made once ordered (null: not said)")
    materials: tuple[Text, ...] = about("What it is made of")
    dimensions: Text | None = about("Its size, as the artisan writes it")
    crafts: tuple[Ref, ...] = about("Its crafts")
    photos: tuple[Photo, ...] = about("Its photos, the first the main one")
    description_html: Text = about("Its description, as sanitized HTML")
    summary: Text = about("The start of the description as plain text")
    listings: tuple[BuyLink, ...] = about("Where to buy it")


@dataclass(frozen=True, slots=True)
class Training:
    """A training resource for artisans and trainers: a webinar, workshop, course, guide, video or toolkit."""

    id: EntityId = about("Its id: the path of its page")
    type: Literal["training"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code")
    title: Text = about("Its title")
    kind: Literal["webinar", "workshop", "course", "guide", "video", "toolkit"] = about("What it is")
    provider: Text = about("Who offers it")
    link: HttpsUrl | None = about("The resource itself (a course, a video, a meeting link)")
    starts: IsoDateTime | None = about("When an event starts, in its own UTC offset")
    ends: IsoDateTime | None = about("When an event ends")
    duration_minutes: int | None = about("How long an event lasts")
    registration: HttpsUrl | None = about("Where to register")
    languages: tuple[LanguageTag, ...] = about("The languages it is given in")
    level: Literal["beginner", "intermediate", "advanced"] | None = about("For whom")
    topics: tuple[Text, ...] = about("What it covers")
    marketplaces: tuple[Ref, ...] = about("The marketplaces it is about")
    crafts: tuple[Ref, ...] = about("The crafts it is for")
    place: Place | None = about("Where a workshop is held")
    summary: Text = about("Its first paragraph as plain text")


@dataclass(frozen=True, slots=True)
class Craft:
    """A craft (block printing, blue pottery...), with the lists of its products and artisans."""

    id: EntityId = about("Its id: the path of its page")
    type: Literal["craft"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code (none when nothing shows it)")
    key: str = about("Its key in the registry")
    name: Text = about("Its name")
    description: Text = about("What it is")
    product_count: int = about("How many products have this craft")
    artisan_count: int = about("How many artisans practise it")
    products: Url = about("The paged list of its products")
    artisans: Url = about("The paged list of its artisans")


@dataclass(frozen=True, slots=True)
class Marketplace:
    """A marketplace artisans sell on."""

    id: EntityId = about("Its id: the path of its page")
    type: Literal["marketplace"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code (none when it lists no product)")
    key: str = about("Its key in the registry")
    name: Text = about("Its name")
    hosts: tuple[str, ...] = about("The hosts its links go to")
    disclosure: Text | None = about("What the site tells buyers about links to it (an affiliate programme)")
    product_count: int = about("How many products are listed on it")
    products: Url = about("The paged list of its products")


@dataclass(frozen=True, slots=True)
class Program:
    """A programme that brings artisans online (a government scheme, an NGO's project)."""

    id: EntityId = about("Its id")
    type: Literal["program"] = about("The document's type")
    url: Url = about("This document's URL")
    key: str = about("Its key in the registry")
    name: Text = about("Its name")
    description: Text = about("What it does")
    link: HttpsUrl = about("Its own website")


@dataclass(frozen=True, slots=True)
class Country:
    """A country of the catalog, with its districts."""

    id: EntityId = about("Its id: the path of its page")
    type: Literal["country"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code")
    code: CountryCode = about("The country")
    name: Text = about("Its name")
    artisan_count: int = about("How many artisans it has")
    product_count: int = about("How many products its artisans have")
    districts: tuple[Ref, ...] = about("Its districts, by name")


@dataclass(frozen=True, slots=True)
class District:
    """A district, with the lists of its artisans and products."""

    id: EntityId = about("Its id: the path of its page")
    type: Literal["district"] = about("The document's type")
    url: Url = about("This document's URL")
    pages: dict[str, Url] = about("Its page on the site, by language code")
    country: Ref = about("Its country's document")
    country_code: CountryCode = about("Its country")
    name: Text = about("Its name")
    province: Text = about("Its province or state")
    artisan_count: int = about("How many artisans it has")
    product_count: int = about("How many products its artisans have")
    artisans: Url = about("The paged list of its artisans")
    products: Url = about("The paged list of its artisans' products")


# -- lists -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    """One item of a list: enough to show it in a list, and the link to its whole document."""

    id: EntityId = about("The entity's id")
    type: DocumentType = about("Its document's type")
    url: Url = about("Its document")
    name: Text = about("Its name or title")
    added: IsoDate | None = about("The day it was first published, if known")
    starts: IsoDateTime | None = about("When an event starts")
    price: Money | None = about("A product's price")
    image: Url | None = about("A small photo (320 pixels wide where the site made one)")


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a paged list.  Pages are cut by their entries (an added entry changes the page it lands on,
    not every later one), so a page's size varies around the list's ``per_page``."""

    url: Url = about("This page")
    list: str = about("Which list this is (artisans, products, crafts/<key>/products...)")
    page: int = about("This page's number, from 1")
    pages: int | None = about("How many pages the list has: on page 1 only, so that adding an entry "
                              "rewrites one page, not all of them")
    count: int | None = about("How many items the whole list has: on page 1 only")
    first: Url = about("Page 1")
    prev: Url | None = about("The page before, if any")
    next: Url | None = about("The page after, if any")
    items: tuple[Summary, ...] = about("The items of this page, in the list's order")


@dataclass(frozen=True, slots=True)
class IdEntry:
    """One entity of a collection, for syncing: compare a collection's ids with the last sync's."""

    id: EntityId = about("The entity's id")
    url: Url = about("Its document")
    revision: Revision = about("Changes whenever the document changes; it may change when the document does "
                               "not (an edit of what it is made from that it does not show, a new release of "
                               "Karigar): fetching it again is then harmless")


@dataclass(frozen=True, slots=True)
class IdPage:
    """One page of a collection's ids: every published entity is on exactly one page, and an entity that is
    no longer on any page was removed (or its consent withdrawn): delete your copy."""

    url: Url = about("This page")
    collection: str = about("The collection (artisans, products, training)")
    page: int = about("This page's number, from 1")
    pages: int | None = about("How many pages there are: on page 1 only")
    count: int | None = about("How many entities the collection has: on page 1 only")
    first: Url = about("Page 1")
    prev: Url | None = about("The page before, if any")
    next: Url | None = about("The page after, if any")
    ids: tuple[IdEntry, ...] = about("The entities of this page, in a stable order")


@dataclass(frozen=True, slots=True)
class Collection:
    """A collection the entry point offers."""

    name: str = about("Its name")
    list: Url = about("Page 1 of its list")
    ids: Url | None = about("Page 1 of its id list, for syncing (the collections of entries have one)")
    count: int = about("How many items it has")
    schema: Url = about("The JSON Schema of its documents")


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """The content API's entry point, ``/api/v1/index.json``: its collections, languages and schemas."""

    api_version: str = about("The API's major version (the v in /api/v1/)")
    schema_version: str = about("The version of the schemas: the minor number counts additions within v1")
    site: str = about("The site's name")
    home: Url = about("The site's home page")
    languages: tuple[LanguageCode, ...] = about("The languages of the site, the default first")
    default_language: LanguageCode = about("The language every Text falls back to")
    collections: tuple[Collection, ...] = about("What the API publishes")
    lists: tuple[Url, ...] = about("Every paged list, page 1 of each (per craft, per district, per marketplace, "
                                   "upcoming events...)")
    schemas: dict[str, Url] = about("The JSON Schema of each document type")
    openapi: Url = about("The OpenAPI 3.1 description of the API")
    documentation: Url = about("How to use the API")
    licence: str = about("The licence of the data, as an SPDX identifier (CC-BY-4.0: reuse it, naming the site "
                         "and linking to the artisan's page)")


# The documents a URL of the API holds, by their schema's name.
DOCUMENTS: Mapping[str, type] = {
    "index": EntryPoint, "artisan": Artisan, "product": Product, "training": Training, "craft": Craft,
    "marketplace": Marketplace, "program": Program, "country": Country, "district": District,
    "list": ListPage, "ids": IdPage,
}


def json_value(value: object) -> object:
    """What ``json.dumps`` writes for a value it has no rule for (its ``default``): a document's dataclass as an
    object of its fields in their order, a Decimal as a number.  Lists, tuples, dicts and strings stay with
    the C encoder, which walks them far faster than Python would."""
    if isinstance(value, Decimal):
        # A JSON number: 4500, 12.5 (an amount of at most 15 digits reads back as written).
        return int(value) if value == value.to_integral_value() else float(value)
    names = _field_names(type(value)) if dataclasses.is_dataclass(value) and not isinstance(value, type) else None
    if names is None:
        raise TypeError(f"the content API has no JSON for {type(value).__name__}")
    return {name: getattr(value, name) for name in names}


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
