"""The content contract as data: every entry kind and registry, field by field.

This module is the single description of what front matter and registries
may hold.  The validator interprets it (:mod:`karigar.model.reader`), and the
JSON Schema and the web editor's configuration are generated from it, so it
holds only values: names, types, required-ness, allowed values, help text.
Special rules that are not a property of one field (a listing has exactly one
of ``id`` and ``url``; an artisan's district folder must match its district)
live in the validator and are described here only in ``help``.

Field types (``Field.type``):

=============== ===========================================================
``text``        localized text: a string, or a map language code -> string
``string``      a plain, non-empty string (not localized), e.g. a photo's ``src``
``bool``        ``true`` or ``false`` only
``int``         a YAML integer, at least ``minimum`` when given
``year``        a YAML integer from 1900 to the build's year
``date``        ``YYYY-MM-DD``; ``not_future`` compares with the build's clock
``datetime``    ISO 8601 date and time with an explicit offset
``handle``      free text of 1-64 characters naming a person or programme
``slug``        ``^[a-z0-9]+(-[a-z0-9]+)*$``, 1-80 characters
``language``    a BCP 47 language tag (``ur``, ``skr``, ``pa-Arab``, ``en-IN``)
``url``         an ``https://`` address on any host
``enum``        one of ``choices``
``key``         a key of the registry named by ``registry``
``id``          an identifier taken as its source text (a marketplace id)
``image``       a map of the ``IMAGE`` shape
``listing``     a map of the ``LISTING`` shape
``map``         a map of the ``shape`` given
``amount``      a number greater than 0 (kept exactly, as a decimal)
``currency``    an ISO 4217 code, three capital letters
``host``        a lower-case host name; a leading dot allows subdomains
``pattern``     a regular expression
``url-template`` an ``https://`` address holding ``{id}``
``params``      a map of names to values, both taken as text
=============== ===========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = [
    "FieldType",
    "When",
    "Field",
    "Shape",
    "RegistrySpec",
    "SLUG_PATTERN",
    "COUNTRY_PATTERN",
    "LANGUAGE_PATTERN",
    "CURRENCY_PATTERN",
    "HOST_PATTERN",
    "DATE_PATTERN",
    "DATETIME_PATTERN",
    "DISTRICT_KEY_PATTERN",
    "TYPE_PATTERNS",
    "SLUG_MAX",
    "HANDLE_MAX",
    "YEAR_MIN",
    "RESERVED_SLUGS",
    "IMAGE_EXTENSIONS",
    "LOCATION_TOO_PRECISE",
    "ARTISAN_KINDS",
    "TRAINING_KINDS",
    "LEVELS",
    "IMAGE",
    "LISTING",
    "CONSENT",
    "VERIFIED",
    "ARTISAN_LOCATION",
    "ARTISAN_TRANSLATION",
    "PRODUCT_TRANSLATION",
    "PRICE",
    "WORKSHOP_LOCATION",
    "ARTISAN",
    "PRODUCT",
    "TRAINING",
    "CRAFT",
    "MARKETPLACE",
    "PROGRAM",
    "DISTRICT",
    "REGISTRIES",
    "ALLOWED_NUMBER",
    "ENTRY_SHAPES",
]

FieldType = Literal[
    "text", "string", "bool", "int", "year", "date", "datetime", "handle", "slug",
    "language", "url", "enum", "key", "id", "image", "listing", "map", "amount",
    "currency", "host", "pattern", "url-template", "params",
]

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COUNTRY_PATTERN = r"^[a-z]{2}$"
# BCP 47, the subset people use: language, optional script, optional region.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
HOST_PATTERN = r"^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# The offset group is optional here so that a naive time gets its own message.
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?$"
)
DISTRICT_KEY_PATTERN = r"^[a-z]{2}/[a-z0-9]+(-[a-z0-9]+)*$"
# The pattern a value of each type is written in, for generated schemas and editors.
TYPE_PATTERNS: Mapping[str, str] = MappingProxyType({
    "slug": SLUG_PATTERN,
    "language": LANGUAGE_PATTERN,
    "currency": CURRENCY_PATTERN,
    "host": HOST_PATTERN,
    "date": DATE_PATTERN,
    "datetime": DATETIME_PATTERN.replace("(?P<offset>", "(").replace(")?$", ")$"),
})
SLUG_MAX = 80
HANDLE_MAX = 64
YEAR_MIN = 1900
# The site's language codes are reserved too; the validator adds them.
RESERVED_SLUGS = frozenset({"page", "photos", "products", "api", "search", "assets", "feeds", "sitemaps", "admin"})
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
# Keys that would place an artisan more precisely than their district.
LOCATION_TOO_PRECISE = frozenset({
    "city", "village", "town", "street", "address", "tehsil", "taluka", "taluk", "mohalla",
    "muhalla", "mohallah", "union_council", "uc", "locality", "neighbourhood", "neighborhood",
    "area", "sector", "block", "house", "road", "landmark", "ward", "gali",
    "coordinates", "coords", "lat", "lng", "lon", "long", "latitude", "longitude",
    "gps", "geo", "map", "pin", "pincode", "postcode", "postal_code", "zip", "zipcode",
})
ARTISAN_KINDS = ("person", "family", "cooperative")
TRAINING_KINDS = ("webinar", "workshop", "course", "guide", "video", "toolkit")
LEVELS = ("beginner", "intermediate", "advanced")


@dataclass(frozen=True, slots=True)
class When:
    """A condition on a sibling field: its value (or its default) is one of ``values``."""

    field: str
    values: tuple[str | bool, ...]


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a front matter map or registry item.

    Required-ness: ``required`` alone means always; with ``unless`` it is
    waived when that condition holds (``consent`` unless ``draft``); ``when``
    makes an otherwise optional field required while it holds (``starts`` for
    webinars).  A required list must have at least ``min_items`` items.
    ``many`` makes the field a list of values of ``type``.  ``error_code``
    replaces the type's own diagnostic code (a listing's bad ``url`` is a
    ``listing-url``); ``missing_code`` is the code when the field is missing.
    """

    name: str
    type: FieldType
    help: str
    required: bool = False
    unless: When | None = None
    when: When | None = None
    many: bool = False
    min_items: int = 0
    choices: tuple[str, ...] = ()
    default: str | int | bool | None = None
    minimum: int | None = None
    registry: str = ""
    shape: Shape | None = None
    not_future: bool = False
    public: bool = True
    error_code: str = ""
    missing_code: str = "missing-field"
    missing_help: str = ""


@dataclass(frozen=True, slots=True)
class Shape:
    """A map with known keys: front matter, a nested map or a registry item.

    ``forbidden`` keys get ``forbidden_code`` and ``forbidden_help`` instead
    of the generic unknown-key message.  ``index`` is derived: name -> field.
    """

    name: str
    help: str
    fields: tuple[Field, ...]
    forbidden: frozenset[str] = frozenset()
    forbidden_code: str = ""
    forbidden_help: str = ""
    index: Mapping[str, Field] = field(init=False, repr=False, compare=False)
    conditional: tuple[Field, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once at import so the validator does one dict look-up per key.
        object.__setattr__(self, "index", MappingProxyType({f.name: f for f in self.fields}))
        object.__setattr__(
            self, "conditional", tuple(f for f in self.fields if f.required or f.when is not None)
        )


@dataclass(frozen=True, slots=True)
class RegistrySpec:
    """A registry file ``artisans/_registry/<name>.yml``: key -> item of ``item``."""

    name: str
    help: str
    key_type: Literal["slug", "district-key"]
    item: Shape
    required_file: bool
    noun: str  # one item, in messages: "craft"
    unknown_code: str  # the code for a reference to a key it does not hold


_DRAFT = When("draft", (True,))

IMAGE = Shape("image", "A photo: a file under the artisan's photos/ or an https URL on a media host.", (
    Field("src", "string", "`photos/<file>` inside the artisan folder (jpg, jpeg, png or webp), "
          "or an https URL on one of the site's media hosts", required=True),
    Field("alt", "text", "what the photo shows, for people who cannot see it; required with `src`",
          required=True, missing_code="image-alt",
          missing_help="every photo needs `alt` text describing it, for people who cannot see it"),
))

LISTING = Shape("listing", "A link out to a marketplace: `{marketplace, id}` or `{marketplace, url}`.", (
    Field("marketplace", "key", "a key of the marketplaces registry", required=True,
          registry="marketplaces"),
    Field("id", "id", "the marketplace's id for the item (e.g. an Amazon ASIN); "
          "give `id` or `url`, not both", error_code="listing-id"),
    Field("url", "url", "the https address of the item on the marketplace; one of its allowed hosts",
          error_code="listing-url"),
))

CONSENT = Shape("consent", "The artisan's consent to be published; never published itself.", (
    Field("given", "date", "the day consent was given (YYYY-MM-DD, not in the future)",
          required=True, not_future=True, public=False),
    Field("recorded_by", "handle", "who recorded it (a volunteer's or trainer's handle)",
          required=True, public=False),
))

VERIFIED = Shape("verified", "Who checked this profile; shown as a badge.", (
    Field("by", "handle", "the trainer's or programme's handle", required=True),
    Field("date", "date", "the day of the check (YYYY-MM-DD, not in the future)",
          required=True, not_future=True),
))

ARTISAN_LOCATION = Shape(
    "location",
    "District-level only: nothing finer than the district, to protect the artisan's safety.",
    (
        Field("district", "text", "the district; its slug is the district folder name", required=True),
        Field("province", "text", "the province or state", required=True),
    ),
    forbidden=LOCATION_TOO_PRECISE,
    forbidden_code="location-too-precise",
    forbidden_help="`location` is district-level only (district and province) to protect the "
    "artisan's safety; remove anything finer such as a village, street or coordinates",
)

PRICE = Shape("price", "An indicative price.", (
    Field("amount", "amount", "a number greater than 0", required=True),
    Field("currency", "currency", "an ISO 4217 code in capitals, e.g. PKR, INR, USD", required=True),
))

WORKSHOP_LOCATION = Shape("location", "Where an in-person workshop takes place.", (
    Field("city", "text", "the city", required=True),
    Field("venue", "text", "the venue", required=True),
))

ARTISAN = Shape("artisan", "An artisan profile: `artisans/<country>/<district>/<artisan>/index.md`.", (
    Field("name", "text", "display name: a person, a family or a cooperative; may be a chosen "
          "public name", required=True),
    Field("kind", "enum", "who this profile is", choices=ARTISAN_KINDS, default="person"),
    Field("members", "int", "people in a family or cooperative", minimum=1),
    Field("crafts", "key", "crafts practised, from the crafts registry", required=True, many=True,
          min_items=1, registry="crafts"),
    Field("location", "map", "district and province only", required=True, shape=ARTISAN_LOCATION),
    Field("photo", "image", "a portrait", shape=IMAGE),
    Field("since", "year", "practising the craft since this year"),
    Field("languages", "language", "languages the artisan speaks (BCP 47: ur, sd, skr, pa-Arab)",
          many=True),
    Field("programs", "key", "training or support programmes", many=True, registry="programs"),
    Field("links", "listing", "shop-level links (a store page on a marketplace)", many=True,
          shape=LISTING),
    Field("consent", "map", "consent to be published; required unless `draft`; never published",
          required=True, unless=_DRAFT, shape=CONSENT, public=False, missing_code="consent-missing",
          missing_help="an artisan without recorded consent is never published; record `consent: "
          "{given: YYYY-MM-DD, recorded_by: <handle>}` before the artisan appears, or set "
          "`draft: true`"),
    Field("verified", "map", "who checked this profile and when; shown as a badge", shape=VERIFIED),
    Field("featured", "bool", "shown on the home page (up to 12, by name)", default=False),
    Field("added", "date", "the day the profile was first published", not_future=True),
    Field("draft", "bool", "validated but never published anywhere, with its products", default=False,
          public=False),
))

PRODUCT = Shape("product", "A product: `artisans/<country>/<district>/<artisan>/products/<product>.md`.", (
    Field("title", "text", "the product's name", required=True),
    Field("photos", "image", "photos; the first is the main image", many=True, shape=IMAGE),
    Field("price", "map", "an indicative price", shape=PRICE),
    Field("materials", "text", "what it is made of", many=True),
    Field("dimensions", "text", "free text, e.g. `220 x 180 cm`"),
    Field("made_to_order", "bool", "made when ordered"),
    Field("crafts", "key", "crafts of this product; defaults to the artisan's", many=True,
          registry="crafts"),
    Field("listings", "listing", "where a buyer can buy it; at least one unless `draft`",
          required=True, unless=_DRAFT, many=True, min_items=1, shape=LISTING,
          missing_code="listings-missing",
          missing_help="add at least one `{marketplace: <key>, id: <id>}` or "
          "`{marketplace: <key>, url: https://...}`, or set `draft: true`"),
    Field("featured", "bool", "shown first on the home page (up to `featured_limit`, by name)", default=False),
    Field("added", "date", "the day the product was first published; the home page shows the newest",
          not_future=True),
    Field("draft", "bool", "validated but never published anywhere", default=False, public=False),
))

# A translation file holds only what differs per language: text in that language's
# script.  Everything else (price, listings, photos, consent...) is shared by every
# language and stays in the entry itself, so it can never disagree between languages.
ARTISAN_TRANSLATION = Shape(
    "artisan translation",
    "A translation of an artisan profile: `index.<lang>.md` beside `index.md`; its body is the story "
    "in that language.",
    (Field("name", "string", "the display name, written in this language's script"),),
    forbidden=frozenset(f.name for f in ARTISAN.fields) - {"name"},
    forbidden_code="translation-field",
    forbidden_help="a translation holds only `name` and the story; this field is shared by every "
    "language: change it in index.md",
)
PRODUCT_TRANSLATION = Shape(
    "product translation",
    "A translation of a product: `products/<product>.<lang>.md` beside `<product>.md`; its body is the "
    "description in that language.",
    (
        Field("title", "string", "the product's name in this language"),
        Field("materials", "string", "what it is made of, in the order of the product's `materials`",
              many=True),
        Field("dimensions", "string", "the dimensions as written in this language"),
    ),
    forbidden=frozenset(f.name for f in PRODUCT.fields) - {"title", "materials", "dimensions"},
    forbidden_code="translation-field",
    forbidden_help="a translation holds only `title`, `materials`, `dimensions` and the description; "
    "this field is shared by every language: change it in the product's own file",
)

TRAINING = Shape("training", "A training resource: `content/training/<slug>.md`.", (
    Field("title", "text", "the resource's title", required=True),
    Field("kind", "enum", "what sort of resource", required=True, choices=TRAINING_KINDS),
    Field("provider", "text", "who offers it", required=True),
    Field("url", "url", "where to take it (any https host); a guide may be body-only",
          required=True, unless=When("kind", ("guide",))),
    Field("starts", "datetime", "start, ISO 8601 with offset: 2026-12-14T15:00:00+05:00",
          when=When("kind", ("webinar", "workshop"))),
    Field("duration_minutes", "int", "length in minutes", minimum=1),
    Field("registration", "url", "where to register (https)"),
    Field("languages", "language", "languages it is given in", required=True, many=True, min_items=1),
    Field("level", "enum", "who it is for", choices=LEVELS),
    Field("topics", "text", "localized text, e.g. listing, packaging, payments, shipping, photography, "
          "pricing (these common ones the interface translates itself), or a map: "
          "`{en: embroidery, ur: کڑھائی}`", many=True),
    Field("marketplaces", "key", "marketplaces it covers", many=True, registry="marketplaces"),
    Field("crafts", "key", "crafts it covers", many=True, registry="crafts"),
    Field("location", "map", "where a workshop takes place", when=When("kind", ("workshop",)),
          shape=WORKSHOP_LOCATION),
))

CRAFT = Shape("craft", "A craft of the crafts registry.", (
    Field("name", "text", "the craft's name", required=True),
    Field("description", "text", "a sentence or two about the craft", required=True),
))

MARKETPLACE = Shape("marketplace", "A marketplace listings may link to.", (
    Field("name", "text", "the marketplace's name", required=True),
    Field("hosts", "host", "allowed host names; `.example.com` also allows its subdomains",
          required=True, many=True, min_items=1),
    Field("id_pattern", "pattern", "a regular expression every listing `id` must match in full"),
    Field("id_description", "text", "the id in plain words for messages, e.g. "
          "`an ASIN like B0XXXXXXXX`"),
    Field("product_url", "url-template", "https address of an item, with `{id}`"),
    Field("cart_url", "url-template", "https add-to-cart address, with `{id}`"),
    Field("params", "params", "query parameters added to every outgoing URL (e.g. an affiliate tag)"),
    Field("disclosure", "text", "shown next to its links (e.g. an affiliate disclosure)"),
))

PROGRAM = Shape("program", "A training or support programme.", (
    Field("name", "text", "the programme's name", required=True),
    Field("url", "url", "its https address", required=True),
    Field("description", "text", "what it offers", required=True),
))

DISTRICT = Shape("district", "A district's shown names; entries in its folder must agree with it.", (
    Field("name", "text", "the district's names, e.g. English, Urdu and Hindi", required=True),
    Field("province", "text", "the province or state", required=True),
))

REGISTRIES: tuple[RegistrySpec, ...] = (
    RegistrySpec("crafts", "Crafts artisans and products refer to.", "slug", CRAFT, True,
                 "craft", "unknown-craft"),
    RegistrySpec("marketplaces", "Marketplaces listings link to.", "slug", MARKETPLACE, True,
                 "marketplace", "unknown-marketplace"),
    RegistrySpec("programs", "Training and support programmes.", "slug", PROGRAM, True,
                 "programme", "unknown-program"),
    RegistrySpec("districts", "Optional: the shown names of districts, keyed `<country>/<district>`.",
                 "district-key", DISTRICT, False, "district", "unknown-district"),
)

# Not a keyed registry: `artisans/_registry/allowed_numbers.yml` is a list of these items,
# reviewed by a maintainer (CODEOWNERS); see karigar.model.allowed_numbers.
ALLOWED_NUMBER = Shape("allowed number", "A number the private-data check may publish in one entry.", (
    Field("number", "string", "the number as the entry writes it, in quotes; only its digits are "
          "compared, so spaces, hyphens and the script of the digits do not matter", required=True),
    Field("reason", "string", "why it is not a phone or identity number, e.g. an order number or a "
          "design code", required=True),
    Field("where", "string", "the entry file it appears in, from the site root, e.g. "
          "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md", required=True),
))

ENTRY_SHAPES: Mapping[str, Shape] = MappingProxyType(
    {"artisan": ARTISAN, "product": PRODUCT, "training": TRAINING}
)
