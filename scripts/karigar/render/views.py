"""View-models: what a page shows, already localized, resolved and safe to publish.

Templates, and later the JSON API, search records and feeds, consume these
values and nothing else: no domain model, no YAML.  Private fields (consent,
drafts, anything under ``_``) never get here because no view has a slot for
them.  Every view is a frozen dataclass of strings, numbers and other views,
so ``dataclasses.asdict`` serializes it for the JSON API unchanged.

One exception: a grid of product cards (``ListingPage.products``,
``HomePage.products``) names its cards by their catalog items.  A grid's card
is rendered once per language and build, outside any page's view
(:mod:`karigar.render.cards`), and a template only hands the item back to get
its HTML; keeping a view-model per card for the whole build took more memory
than its HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type: views hold no catalog code
    from karigar.catalog.graph import ProductItem

__all__ = [
    "Link",
    "EditLinks",
    "ImageView",
    "BuyButton",
    "Badge",
    "ArtisanCard",
    "ProductCard",
    "CraftCard",
    "TrainingCard",
    "Pagination",
    "PageMeta",
    "SearchPage",
    "ShareImage",
    "FeedLink",
    "FeedItem",
    "Feed",
    "Alternate",
    "ArtisanPage",
    "ProductPage",
    "ListingPage",
    "RegionGroup",
    "HomePage",
    "TrainingIndexPage",
    "TrainingBox",
    "Fact",
    "Term",
]


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str
    count: int | None = None
    lang: str = ""  # set when the label is in another language than the page (a fallback)


@dataclass(frozen=True, slots=True)
class Term:
    """A value shown by its label in the page's language and matched by ``key`` (a training topic).

    ``key`` is the default-language text, the same on every language's pages,
    so a filter compares keys while the reader sees labels.
    """

    label: str
    key: str
    lang: str = ""  # set when the label is in another language than the page (a fallback)


@dataclass(frozen=True, slots=True)
class ImageView:
    """A photo: ``url`` is the fallback <img src>; srcsets are set for photos the build published."""

    url: str
    alt: str
    width: int | None = None
    height: int | None = None
    srcset_webp: str = ""  # "<url> 320w, <url> 640w, ..." for a WebP <source>
    srcset_jpeg: str = ""  # the same widths as JPEG, for the <img> itself
    sizes: str = ""  # empty: the template picks one for where the photo is shown
    alt_lang: str = ""  # set when the alt text is in the default language (a fallback)
    # The picture of a shared link when it is not ``url`` (a JPEG wider than the original), with its size.
    share_url: str = ""
    share_width: int | None = None
    share_height: int | None = None


@dataclass(frozen=True, slots=True)
class BuyButton:
    marketplace: str  # registry key
    label: str  # "Buy on Etsy"
    marketplace_name: str
    url: str
    cart_url: str | None
    disclosure: str
    disclosure_lang: str = ""  # set when the disclosure is shown in the default language (a fallback)


@dataclass(frozen=True, slots=True)
class Badge:
    kind: str  # "program" | "verified"
    label: str
    url: str | None = None
    detail: str = ""
    lang: str = ""  # of the label, when it is a fallback
    detail_lang: str = ""  # of the detail, when it is a fallback


@dataclass(frozen=True, slots=True)
class Fact:
    """One labelled value in a definition list (district, since, price...)."""

    label: str
    value: str
    url: str | None = None
    lang: str = ""  # of the value, when it is shown in the default language (a fallback)


@dataclass(frozen=True, slots=True)
class ArtisanCard:
    name: str
    url: str
    photo: ImageView | None
    place: str  # "Thatta, Sindh"
    crafts: tuple[str, ...]
    kind: str
    name_lang: str = ""  # set when the name is shown in the default language (a fallback)
    kind_key: str = ""  # person | family | cooperative (``kind`` is its label)


@dataclass(frozen=True, slots=True)
class ProductCard:
    """A product in a grid: its URL is its identity (one product's page in the card's language)."""

    title: str
    url: str
    photo: ImageView | None
    price: str
    artisan: str
    artisan_url: str
    title_lang: str = ""  # set when the title is shown in the default language (a fallback)
    artisan_lang: str = ""  # the same for the artisan's name
    buy: BuyButton | None = None  # the product's first listing: a buyer can go straight to it


@dataclass(frozen=True, slots=True)
class CraftCard:
    """A craft on the crafts index: its picture is a photo of one of its products."""

    name: str
    url: str
    photo: ImageView | None
    products: int  # how many products and artisans its listing shows
    artisans: int
    name_lang: str = ""  # set when the craft's name is shown in the default language (a fallback)


@dataclass(frozen=True, slots=True)
class TrainingCard:
    title: str
    url: str
    kind: str  # localized label
    kind_key: str
    provider: str
    when_local: str  # "14 Dec 2026, 15:00 PKT (UTC+05:00)" or ""
    when_utc: str
    starts_iso: str
    languages: tuple[str, ...]  # localized names
    language_codes: tuple[str, ...]
    topics: tuple[Term, ...]
    level: str
    summary: str
    title_lang: str = ""  # set when the title is shown in the default language (a fallback)
    provider_lang: str = ""  # the same for the provider and the summary
    summary_lang: str = ""


@dataclass(frozen=True, slots=True)
class Pagination:
    page: int
    pages: int | None  # the count: on page 1 only
    previous_url: str | None
    next_url: str | None
    numbered: tuple[Link, ...]  # a window of page links around the current one


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page in one site language: for ``hreflang`` links and the language switcher.

    ``available`` is False when the page does not exist in ``lang``: ``url``
    and ``canonical`` are then the default-language page's, so the switcher
    still leads somewhere, and no ``hreflang`` link claims a translation.
    """

    lang: str
    url: str  # site-absolute (base path included), for links
    canonical: str  # with the site's origin, for <link rel="alternate">
    available: bool = True


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The picture a link to the page shows when shared (Open Graph): an absolute URL, its size if known."""

    url: str
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed that follows the page (``<link rel="alternate">``): its title, site-absolute URL, media type."""

    title: str
    url: str
    media_type: str


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed (karigar.render.feeds): the entry's page in the feed's language."""

    url: str  # absolute: the page's canonical URL, which is also the item's id
    title: str
    date: str  # ISO 8601: the contract's `added` date, or an event's start with its offset
    summary: str
    author: str
    image: str  # absolute URL, or ""
    tags: tuple[str, ...]
    lang: str = ""  # of the title and summary, when they are the default language's (a fallback)


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    site_name: str
    lang: str
    home_url: str  # the page the feed follows
    atom_url: str
    json_url: str
    updated: str  # the newest item's date ("" for an empty feed)
    items: tuple[FeedItem, ...]


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Head-level facts of a page: title, description, canonical URL, language, tab.

    ``alternates`` has one entry per site language, default language first,
    or none at all on a single-language site.
    """

    title: str
    description: str
    url: str
    canonical: str
    lang: str
    dir: str
    tab: str  # showcase | crafts | regions | training | about
    breadcrumbs: tuple[Link, ...] = ()
    noindex: bool = False
    alternates: tuple[Alternate, ...] = ()
    # Sharing (Open Graph): the page's own picture (None: the site's), its kind ("website", "product",
    # "profile") and what a shared link says under the title ("": the description).
    image: ShareImage | None = None
    share_kind: str = "website"
    share_text: str = ""
    share_tags: tuple[tuple[str, str], ...] = ()  # more Open Graph properties (a product's price)
    feeds: tuple[FeedLink, ...] = ()  # the feeds of what the page lists


@dataclass(frozen=True, slots=True)
class EditLinks:
    """Where a volunteer changes what a page shows: its entry in the web editor (None outside the editor's
    scope), and the file itself on the Git host (the page's language's translation file where there is one)."""

    editor: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class ArtisanPage:
    meta: PageMeta
    name: str
    kind: str
    photo: ImageView | None
    facts: tuple[Fact, ...]
    crafts: tuple[Link, ...]
    badges: tuple[Badge, ...]
    story_html: str
    shop_links: tuple[BuyButton, ...]
    products: tuple[ProductCard, ...]
    # Fallbacks: the language code of a part shown in the default language, and the
    # page's "not yet translated" notice ("" when everything reads in the page's language).
    name_lang: str = ""
    story_lang: str = ""
    notice: str = ""
    # Typed facts for machines (structured data), beside the display strings above.
    kind_key: str = ""  # person | family | cooperative
    country_code: str = ""  # ISO 3166-1 alpha-2, upper case
    region: str = ""  # the province, in the page's language
    locality: str = ""  # the district, in the page's language
    edit: EditLinks | None = None


@dataclass(frozen=True, slots=True)
class ProductPage:
    meta: PageMeta
    title: str
    photos: tuple[ImageView, ...]
    description_html: str
    price: str
    facts: tuple[Fact, ...]
    crafts: tuple[Link, ...]
    artisan: ArtisanCard
    buy_buttons: tuple[BuyButton, ...]
    title_lang: str = ""  # see ArtisanPage
    description_lang: str = ""
    notice: str = ""
    # Typed facts for machines (structured data), beside ``price``, the display string.
    price_amount: str = ""  # the amount in plain decimal notation ("4500", "12.50"); "" without a price
    price_currency: str = ""  # ISO 4217
    made_to_order: bool | None = None
    edit: EditLinks | None = None


@dataclass(frozen=True, slots=True)
class RegionGroup:
    """A country with its districts (the Regions tab)."""

    label: str
    url: str
    districts: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class ListingPage:
    """A listing page.  Products and artisans may be paged side by side: page n shows the
    n-th slice of each, so ``product_total`` and ``artisan_total`` count the whole lists."""

    meta: PageMeta
    heading: str
    intro: str
    artisans: tuple[ArtisanCard, ...] = ()
    products: tuple[ProductItem, ...] = ()  # cards by catalog item (see the module's docstring)
    crafts: tuple[CraftCard, ...] = ()
    groups: tuple[Link, ...] = ()  # sub-listings: districts, marketplaces
    regions: tuple[RegionGroup, ...] = ()
    pagination: Pagination | None = None
    product_total: int = 0
    artisan_total: int = 0
    # Optional, shown by listing.html when set: the heading over `groups` ("Districts").
    groups_heading: str = ""
    # The first cards of the page's first grid are above the fold: their photos load eagerly.
    eager_cards: int = 0
    # (text, fallback language or "") of the marketplaces the product cards' buy links go to
    disclosures: tuple[tuple[str, str], ...] = ()
    # The search page with this listing's filters: its entries sorted and narrowed further (craft within a
    # region, marketplace within a craft...).
    refine_url: str = ""


@dataclass(frozen=True, slots=True)
class HomePage:
    meta: PageMeta
    tagline: str
    intro: str
    counts: tuple[Fact, ...]
    products: tuple[ProductItem, ...]  # featured first, then the newest; cards by catalog item
    products_url: str  # the all-products listing
    eager_cards: int  # the grid's first row: above the fold, loaded eagerly
    disclosures: tuple[tuple[str, str], ...]  # see ListingPage
    featured: tuple[ArtisanCard, ...]
    crafts: tuple[Link, ...]
    regions: tuple[RegionGroup, ...]
    upcoming: tuple[TrainingCard, ...]
    training_url: str


@dataclass(frozen=True, slots=True)
class TrainingIndexPage:
    meta: PageMeta
    upcoming: tuple[TrainingCard, ...]
    self_paced: tuple[TrainingCard, ...]
    past: tuple[TrainingCard, ...]
    topics: tuple[Term, ...]
    languages: tuple[tuple[str, str], ...]  # (code, name)
    calendar_url: str


@dataclass(frozen=True, slots=True)
class TrainingBox:
    """The facts box on a training resource page (rendered into MkDocs' page)."""

    title: str
    kind: str
    kind_key: str
    provider: str
    when_local: str
    when_utc: str
    starts_iso: str
    duration: str
    languages: tuple[str, ...]
    level: str
    topics: tuple[Term, ...]
    place: str
    url: str | None
    registration: str | None
    marketplaces: tuple[Link, ...] = field(default=())
    crafts: tuple[Link, ...] = field(default=())
    upcoming: bool = False
    provider_lang: str = ""  # set when the provider is shown in the default language (a fallback)
    # Typed facts for machines (structured data), beside the display strings above.
    ends_iso: str = ""
    language_codes: tuple[str, ...] = ()
    venue: str = ""
    city: str = ""
    summary: str = ""
    edit: EditLinks | None = None


@dataclass(frozen=True, slots=True)
class SearchPage:
    """The search page of a language: a form that works without script (``action`` is this page, whose
    ``browse`` links lead on), and the settings of ``search.js`` as JSON (``config``)."""

    meta: PageMeta
    action: str
    script: str  # the URL of search.js
    config: str
    browse: tuple[Link, ...]
    sorts: tuple[tuple[str, str], ...] = ()  # (the URL's ``sort`` value, its label); "" is relevance

