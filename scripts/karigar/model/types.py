"""The validated domain: what content means once every check has passed.

These are plain frozen values made by :mod:`karigar.model.validate`.  Later
stages read them and never see YAML or raw dictionaries.  Fields that must
never be published (``consent``) live here but are never copied into a
view-model.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from karigar.diagnostics import Location, pickle_by_constructor

__all__ = [
    "LocalizedText",
    "Translation",
    "Image",
    "Listing",
    "Price",
    "Consent",
    "Verified",
    "body_in",
    "shared_text",
    "shared_price",
    "Artisan",
    "Product",
    "TrainingResource",
    "WorkshopPlace",
    "Craft",
    "Marketplace",
    "Program",
    "District",
    "AllowedNumber",
    "Registries",
    "ArtisanKind",
    "TrainingKind",
    "Level",
]

ArtisanKind = Literal["person", "family", "cooperative"]
TrainingKind = Literal["webinar", "workshop", "course", "guide", "video", "toolkit"]
Level = Literal["beginner", "intermediate", "advanced"]


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """A human-readable text in one or more languages; ``default`` is always present."""

    default_lang: str
    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str, lang: str) -> "LocalizedText":
        return cls(lang, ((lang, text),))

    def get(self, lang: str) -> str:
        for code, text in self.values:
            if code == lang:
                return text
        return self.default

    def has(self, lang: str) -> bool:
        return any(code == lang for code, _ in self.values)

    @property
    def default(self) -> str:
        for code, text in self.values:
            if code == self.default_lang:
                return text
        return self.values[0][1]

    def __str__(self) -> str:
        return self.default


@dataclass(frozen=True, slots=True)
class Image:
    """A photo as written (``src``) and where it is published.

    ``file`` is the site-relative source path of a local photo (None for a
    photo on a media host); ``url`` is its public URL, decided by the catalog
    stage's routes for local files and taken as-is for media hosts.
    """

    src: str
    alt: LocalizedText
    file: str | None
    remote_url: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Listing:
    """A link out to a marketplace; URLs are rebuilt from parsed parts and carry the registry's params."""

    marketplace: str
    id: str | None
    url: str
    cart_url: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Price:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Consent:
    given: dt.date
    recorded_by: str


@dataclass(frozen=True, slots=True)
class Verified:
    by: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Translation:
    """An entry's text in one more language: ``index.ur.md`` or ``<product>.ur.md``.

    ``fields`` are the translated front-matter values (``name``, ``title``,
    ``materials``, ``dimensions``) already merged into the entry's localized
    text; the body (the story or description in that language) is kept here.
    """

    lang: str
    source: str  # site-relative path of the translation file
    target: str  # site-relative path of the entry it translates
    fields: tuple[tuple[str, str | tuple[str, ...]], ...]
    body_html: str
    body_lead: str  # the start of its plain text (karigar.model.summaries.lead)
    location: Location


def body_in(translations: tuple[Translation, ...], lang: str, default_html: str,
            default_lang: str) -> tuple[str, str]:
    """(HTML, its language) of an entry's body in ``lang``, falling back to the default language."""
    for translation in translations:
        if translation.lang == lang and translation.body_html:
            return translation.body_html, lang
    return default_html, default_lang


@dataclass(frozen=True, slots=True)
class Artisan:
    slug: str
    country: str
    district_slug: str
    source: str  # site-relative path of index.md
    folder: str  # site-relative path of the artisan folder
    name: LocalizedText
    kind: ArtisanKind
    members: int | None
    crafts: tuple[str, ...]
    district: LocalizedText
    province: LocalizedText
    photo: Image | None
    since: int | None
    languages: tuple[str, ...]
    programs: tuple[str, ...]
    links: tuple[Listing, ...]
    consent: Consent | None
    verified: Verified | None
    featured: bool
    draft: bool
    story_html: str
    story_lead: str  # the start of its plain text (karigar.model.summaries.lead)
    location: Location  # of the front matter, for cross-entry diagnostics
    district_location: Location  # of location.district
    story_images: tuple[str, ...] = ()  # site-relative photo files shown in the story
    translations: tuple[Translation, ...] = ()  # index.<lang>.md files, merged after validation
    added: dt.date | None = None  # first published (contract v1.1); None: no date, sorts last as "newest"

    @property
    def published(self) -> bool:
        return not self.draft and self.consent is not None


@dataclass(frozen=True, slots=True)
class Product:
    slug: str
    artisan_slug: str
    source: str
    title: LocalizedText
    photos: tuple[Image, ...]
    price: Price | None
    materials: tuple[LocalizedText, ...]
    dimensions: LocalizedText | None
    made_to_order: bool | None
    crafts: tuple[str, ...]  # as written; empty means "the artisan's crafts"
    listings: tuple[Listing, ...]
    draft: bool
    description_html: str
    description_lead: str  # the start of its plain text (karigar.model.summaries.lead)
    location: Location
    description_images: tuple[str, ...] = ()  # site-relative photo files shown in the description
    translations: tuple[Translation, ...] = ()  # <product>.<lang>.md files, merged after validation
    featured: bool = False  # shown first on the home page (contract v1.1)
    added: dt.date | None = None  # first published (contract v1.1); None: no date, sorts last as "newest"


@dataclass(frozen=True, slots=True)
class WorkshopPlace:
    city: LocalizedText
    venue: LocalizedText


@dataclass(frozen=True, slots=True)
class TrainingResource:
    slug: str
    source: str  # site-relative, e.g. content/training/amazon-basics.md
    page_path: str  # relative to content/, e.g. training/amazon-basics.md
    title: LocalizedText
    kind: TrainingKind
    provider: LocalizedText
    url: str | None
    starts: dt.datetime | None  # aware, in the event's own offset
    duration_minutes: int | None
    registration: str | None
    languages: tuple[str, ...]
    level: Level | None
    topics: tuple[LocalizedText, ...]
    marketplaces: tuple[str, ...]
    crafts: tuple[str, ...]
    place: WorkshopPlace | None
    summary: str  # plain text of the first paragraph, for listings
    location: Location
    # (lang, first paragraph) of each translation page (`<slug>.<lang>.md`) that has a body;
    # its title is merged into ``title`` (see karigar.model.validate.validate_content).
    translated_summaries: tuple[tuple[str, str], ...] = ()

    @property
    def summary_text(self) -> LocalizedText:
        """The summary in the default language and in every language a translation page gives one."""
        default = self.title.default_lang
        return LocalizedText(default, ((default, self.summary), *self.translated_summaries))

    @property
    def is_event(self) -> bool:
        return self.kind in ("webinar", "workshop")

    @property
    def ends(self) -> dt.datetime | None:
        if self.starts is None:
            return None
        return self.starts + dt.timedelta(minutes=self.duration_minutes or 60)


@dataclass(frozen=True, slots=True)
class Craft:
    key: str
    name: LocalizedText
    description: LocalizedText


@dataclass(frozen=True, slots=True)
class Marketplace:
    key: str
    name: LocalizedText
    hosts: tuple[str, ...]
    id_pattern: str | None
    product_url: str | None
    cart_url: str | None
    params: tuple[tuple[str, str], ...]
    disclosure: LocalizedText | None
    # Added for the validator's messages: the id in plain words ("an ASIN like B0XXXXXXXX").
    id_description: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Program:
    key: str
    name: LocalizedText
    url: str
    description: LocalizedText


@dataclass(frozen=True, slots=True)
class District:
    key: str  # "<country>/<district>"
    name: LocalizedText
    province: LocalizedText


@dataclass(frozen=True, slots=True)
class AllowedNumber:
    """A number the PII guard may publish in one entry file (``allowed_numbers.yml``).

    ``digits`` are ASCII digits only, as :func:`karigar.model.privacy.number_digits`
    makes them, so the way the number is spaced or the script of its digits
    does not matter; ``location`` is its line in the registry.
    """

    digits: str
    location: Location


@dataclass(frozen=True, slots=True)
class Registries:
    crafts: dict[str, Craft] = field(default_factory=dict)
    marketplaces: dict[str, Marketplace] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    # Entry file -> the numbers allowed there.  Out of repr (the pages' fingerprint): an allowance
    # changes only whether its own entry validates, and it is part of that entry's validation
    # context (karigar.incremental.entries.entry_context).
    allowed_numbers: dict[str, tuple[AllowedNumber, ...]] = field(default_factory=dict, repr=False,
                                                                   compare=False)

    def link_hosts(self) -> frozenset[str]:
        """Hosts that prose in entries may link to: marketplaces' and programmes'."""
        from karigar.markup.urls import parse_https_url

        hosts: set[str] = set()
        for market in self.marketplaces.values():
            hosts.update(market.hosts)
        for program in self.programs.values():
            url, _ = parse_https_url(program.url)
            if url is not None:
                hosts.add(url.host)
        return frozenset(hosts)


# Equal values made once.  A catalog repeats the same texts (a material, a district, a size) and
# prices over hundreds of thousands of entries, and every entry read back from the build index or
# from a validation worker would otherwise bring its own copies of them.  Reading goes through these
# (they are what the values pickle to), so does merging translations.  The values are immutable:
# which of two equal ones a reader gets is never visible.
@functools.lru_cache(maxsize=1 << 16)
def shared_text(default_lang: str, values: tuple[tuple[str, str], ...]) -> LocalizedText:
    """A :class:`LocalizedText` of these values, the one made before when it is still remembered."""
    return LocalizedText(default_lang, values)


def shared_price(amount: Decimal, currency: str) -> Price:
    """A :class:`Price` of this amount, the one made before when it is still remembered."""
    # Keyed by the amount as written: Decimal("10.0") == Decimal("10"), but they are shown apart.
    return _price(str(amount), currency)


@functools.lru_cache(maxsize=1 << 14)
def _price(amount: str, currency: str) -> Price:
    return Price(Decimal(amount), currency)


def _listing(marketplace: str, id: str | None, url: str, cart_url: str | None, location: Location) -> Listing:
    # A marketplace's key is on most products: one string for all of them.
    return Listing(sys.intern(marketplace), id, url, cart_url, location)


for _model in (Translation, Image, Consent, Verified, Artisan, Product,
               TrainingResource, WorkshopPlace, Craft, Marketplace, Program, District):
    pickle_by_constructor(_model)
pickle_by_constructor(LocalizedText, shared_text)
pickle_by_constructor(Price, shared_price)
pickle_by_constructor(Listing, _listing)
