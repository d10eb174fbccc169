"""Validation of entries: every bad input is a located diagnostic, good input a typed model."""

from __future__ import annotations

import datetime as dt
import pickle
import textwrap
from decimal import Decimal

import pytest
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.load.entries import EntryKind, LoadedSite, PhotoFile, RawEntry, RawRegistry
from karigar.load.yamlsrc import parse_yaml
from karigar.model import (
    ValidationSettings,
    schema,
    slugify,
    validate_artisan,
    validate_page,
    validate_product,
    validate_registries,
    validate_site,
    validate_training,
)
from karigar.model.summaries import DESCRIPTION_LIMIT, summary
from karigar.model.types import Artisan, Product, Registries, TrainingResource

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
SETTINGS = ValidationSettings(
    languages=("en", "ur"),
    now=NOW,
    media_hosts=("media.karigar.example",),
    photo_url=lambda path: "/media/" + path.removeprefix("artisans/"),
)
FOLDER = "artisans/pk/thatta/shazia-bibi"
ARTISAN_PATH = f"{FOLDER}/index.md"
PRODUCT_PATH = f"{FOLDER}/products/ralli-quilt.md"
TRAINING_PATH = "content/training/amazon-basics.md"
PHOTOS = {
    f"{FOLDER}/photos/{name}": PhotoFile(f"{FOLDER}/photos/{name}", "d", 10)
    for name in ("portrait.jpg", "quilt.jpg", "notes.gif")
}

REGISTRY_TEXTS = {
    "crafts": """\
        blue-pottery: {name: Blue pottery, description: Glazed quartz pottery.}
        ralli-quilting: {name: Ralli quilting, description: Patchwork quilts.}
        """,
    "marketplaces": """\
        amazon:
          name: Amazon
          hosts: [www.amazon.com]
          id_pattern: "^B0[0-9A-Z]{8}$"
          id_description: an ASIN like B0XXXXXXXX
          product_url: "https://www.amazon.com/dp/{id}"
          cart_url: "https://www.amazon.com/gp/aws/cart/add.html?ASIN.1={id}&Quantity.1=1"
          params: {tag: karigar-20}
        etsy: {name: Etsy, hosts: [www.etsy.com]}
        daraz: {name: Daraz, hosts: [.daraz.pk]}
        """,
    "programs": """\
        smeda: {name: SMEDA, url: "https://smeda.org/", description: SME support.}
        """,
    "districts": """\
        pk/thatta: {name: {en: Thatta, ur: ٹھٹہ}, province: {en: Sindh, ur: سندھ}}
        """,
}


def _parse(text: str, path: str, offset: int = 0):  # type: ignore[no-untyped-def]
    sink = DiagnosticSink()
    node = parse_yaml(text, path=path, sink=sink, line_offset=offset)
    assert not sink.items, [f"{d.location}: {d.message}" for d in sink.items]
    return node


def _loaded_registries() -> LoadedSite:
    site = LoadedSite()
    for name, text in REGISTRY_TEXTS.items():
        path = f"artisans/_registry/{name}.yml"
        site.registries[name] = RawRegistry(name, path, "d", _parse(textwrap.dedent(text), path))
    return site


def _registries() -> Registries:
    sink = DiagnosticSink()
    regs = validate_registries(_loaded_registries(), settings=SETTINGS, sink=sink)
    assert not sink.items
    return regs


REGISTRIES = _registries()


def make_entry(front: str, body: str = "", *, path: str = ARTISAN_PATH, kind: EntryKind = "artisan") -> RawEntry:
    """A RawEntry as the loader makes it from `---\\n<front>---\\n<body>` at ``path``."""
    front = textwrap.dedent(front)
    node = _parse(front, path, offset=1) if front.strip() else None
    parts: dict[str, str] = {}
    segments = path.split("/")
    if segments[0] == "artisans":
        parts = {"country": segments[1], "district": segments[2], "artisan": segments[3]}
        if kind == "product":
            parts["product"] = segments[-1].removesuffix(".md")
    return RawEntry(kind, path, "digest", node, body, 3 + front.count("\n"), **parts)


def at(front: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """File line and column of the ``nth`` occurrence of ``needle`` in the front matter."""
    front = textwrap.dedent(front)
    index = -1
    for _ in range(nth):
        index = front.index(needle, index + 1)
    line = front.count("\n", 0, index)
    col = index - (front.rfind("\n", 0, index) + 1)
    return line + 2, col + 1  # the `---` line comes first


def found(sink: DiagnosticSink) -> list[tuple[str, str, int, int]]:
    return [(d.severity.value, d.code, d.location.line, d.location.col) for d in sink.items]


def only(sink: DiagnosticSink, code: str) -> Diagnostic:
    matches = [d for d in sink.items if d.code == code]
    assert len(matches) == 1, found(sink)
    return matches[0]


def artisan(front: str, body: str = "", *, path: str = ARTISAN_PATH) -> tuple[Artisan | None, DiagnosticSink]:
    sink = DiagnosticSink()
    result = validate_artisan(make_entry(front, body, path=path), registries=REGISTRIES, photos=PHOTOS,
                              settings=SETTINGS, sink=sink)
    return result, sink


def product(front: str, body: str = "", *, path: str = PRODUCT_PATH) -> tuple[Product | None, DiagnosticSink]:
    sink = DiagnosticSink()
    result = validate_product(make_entry(front, body, path=path, kind="product"), registries=REGISTRIES,
                              photos=PHOTOS, settings=SETTINGS, sink=sink)
    return result, sink


def training(front: str, body: str = "Learn to list.\n") -> tuple[TrainingResource | None, DiagnosticSink]:
    sink = DiagnosticSink()
    result = validate_training(make_entry(front, body, path=TRAINING_PATH, kind="training"),
                               registries=REGISTRIES, settings=SETTINGS, sink=sink)
    return result, sink


def base_artisan(**lines: str | None) -> str:
    """The minimal valid artisan, with fields replaced, added or (value None) removed."""
    fields: dict[str, str | None] = {
        "name": "Shazia Bibi",
        "crafts": "[ralli-quilting]",
        "location": "{district: Thatta, province: Sindh}",
        "consent": "{given: 2024-03-01, recorded_by: volunteer-sana}",
    }
    fields.update(lines)
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


def base_product(**lines: str | None) -> str:
    fields: dict[str, str | None] = {"title": "Ralli quilt", "listings": "[{marketplace: amazon, id: B0ABCDEFGH}]"}
    fields.update(lines)
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


# -- happy paths ----------------------------------------------------------

def test_happy_artisan_and_product_give_the_model() -> None:
    front = """\
    name: {en: Shazia Bibi, ur: شازیہ بی بی}
    kind: person
    crafts: [ralli-quilting, blue-pottery]
    location:
      district: Thatta
      province: Sindh
    photo: {src: photos/portrait.jpg, alt: Shazia at her frame}
    since: 1998
    languages: [sd, ur, pa-Arab]
    programs: [smeda]
    links:
      - marketplace: daraz
        url: https://shop.daraz.pk/shazia/
    consent: {given: 2024-03-01, recorded_by: volunteer-sana}
    verified: {by: smeda, date: 2024-04-01}
    featured: true
    _note: private, ignored
    """
    body = "Shazia learned *ralli* from her mother.\n\n![A quilt](photos/quilt.jpg)\n"
    result, sink = artisan(front, body)
    assert sink.items == []
    assert result is not None
    assert result.name.get("ur") == "شازیہ بی بی"
    assert (result.slug, result.country, result.district_slug, result.folder) == ("shazia-bibi", "pk", "thatta", FOLDER)
    assert result.crafts == ("ralli-quilting", "blue-pottery")
    # The districts registry lists pk/thatta: its names are the ones shown.
    assert result.district.get("ur") == "ٹھٹہ" and result.province.get("ur") == "سندھ"
    assert result.district_location.line == at(front, "Thatta")[0]
    assert result.photo is not None and result.photo.file == f"{FOLDER}/photos/portrait.jpg"
    assert result.photo.remote_url is None and result.photo.alt.default == "Shazia at her frame"
    assert result.languages == ("sd", "ur", "pa-Arab") and result.programs == ("smeda",)
    assert result.links[0].url == "https://shop.daraz.pk/shazia/" and result.links[0].cart_url is None
    assert result.consent is not None and result.consent.given == dt.date(2024, 3, 1)
    assert result.verified is not None and result.verified.by == "smeda"
    assert result.featured and not result.draft and result.published and result.kind == "person"
    assert "<em>ralli</em>" in result.story_html
    assert "/media/pk/thatta/shazia-bibi/photos/quilt.jpg" in result.story_html
    assert "Shazia learned ralli" in result.story_lead

    pfront = """\
    title: Ralli quilt
    photos:
      - {src: photos/quilt.jpg, alt: The quilt on a charpai}
      - {src: "https://media.karigar.example/q2.webp", alt: Detail}
    price: {amount: 12500.50, currency: PKR}
    materials: [cotton, {en: mirror work, ur: شیشے کا کام}]
    dimensions: 220 x 180 cm
    made_to_order: false
    listings:
      - {marketplace: amazon, id: B0ABCDEFGH}
      - marketplace: etsy
        url: https://www.etsy.com/listing/123/ralli-quilt
    """
    item, psink = product(pfront, "A quilt.\n")
    assert psink.items == []
    assert item is not None
    assert (item.slug, item.artisan_slug, item.source) == ("ralli-quilt", "shazia-bibi", PRODUCT_PATH)
    assert item.price is not None and item.price.amount == Decimal("12500.50") and item.price.currency == "PKR"
    assert [m.default for m in item.materials] == ["cotton", "mirror work"]
    assert item.dimensions is not None and item.dimensions.default == "220 x 180 cm"
    assert item.made_to_order is False and item.crafts == () and not item.draft
    assert item.photos[1].remote_url == "https://media.karigar.example/q2.webp" and item.photos[1].file is None
    amazon, etsy = item.listings
    assert amazon.id == "B0ABCDEFGH"
    assert amazon.url == "https://www.amazon.com/dp/B0ABCDEFGH?tag=karigar-20"
    assert amazon.cart_url == (
        "https://www.amazon.com/gp/aws/cart/add.html?ASIN.1=B0ABCDEFGH&Quantity.1=1&tag=karigar-20"
    )
    assert amazon.location.line == at(pfront, "{marketplace: amazon")[0]
    assert etsy.id is None and etsy.url == "https://www.etsy.com/listing/123/ralli-quilt" and etsy.cart_url is None
    assert item.description_lead.strip() == "A quilt."


def test_an_entry_keeps_the_lead_of_a_long_body_the_description_the_whole_text_gives() -> None:
    body = "This *beaded* khussa pair is made by hand in Agra by a family of cobblers.\n\n" * 40
    item, psink = product(base_product(), body)
    assert psink.items == [] and item is not None
    whole = " ".join(("This beaded khussa pair is made by hand in Agra by a family of cobblers. " * 40).split())
    assert item.description_html.count("<em>beaded</em>") == 40  # the page shows all of it
    assert len(item.description_lead) == DESCRIPTION_LIMIT + 2 and whole.startswith(item.description_lead)
    assert summary(item.description_lead) == summary(whole)


def test_district_not_in_registry_comes_from_the_entry() -> None:
    front = base_artisan(location="{district: Dera Ghazi Khan, province: Punjab}")
    result, sink = artisan(front, path="artisans/pk/dera-ghazi-khan/ghulam-farid/index.md")
    assert sink.items == []
    assert result is not None and result.district.default == "Dera Ghazi Khan"
    assert result.province.default == "Punjab"


# -- keys and types --------------------------------------------------------

def test_unknown_key_suggests_the_nearest() -> None:
    front = base_artisan(crafts=None, craft="[ralli-quilting]")
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [("error", "unknown-key", *at(front, "craft:")), ("error", "missing-field", 2, 1)]
    assert "unknown key `craft`" in sink.items[0].message
    assert "did you mean `crafts`?" in sink.items[0].message
    assert "`crafts` is missing" in sink.items[1].message


def test_norway_problem_on_a_bool() -> None:
    front = base_artisan(featured="no")
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [("error", "bool", *at(front, "no\n"))]
    assert "`featured` must be `true` or `false`, found the text `no`" in sink.items[0].message
    assert "write `true` or `false`" in sink.items[0].hint


def test_members_zero() -> None:
    front = base_artisan(kind="family", members="0")
    _, sink = artisan(front)
    assert found(sink) == [("error", "int-range", *at(front, "0\n"))]
    assert "`members` must be at least 1" in sink.items[0].message


def test_members_of_a_person_is_a_warning() -> None:
    front = base_artisan(members="3")
    result, sink = artisan(front)
    assert result is not None
    assert found(sink) == [("warning", "members-person", *at(front, "3\n"))]


def test_bad_date() -> None:
    front = base_artisan(consent="{given: 2024-13-01, recorded_by: volunteer-sana}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "date", *at(front, "2024-13-01"))]
    assert "`consent.given` is `2024-13-01`, which is not a real date" in sink.items[0].message


def test_unpadded_date_is_an_error() -> None:
    front = base_artisan(verified="{by: smeda, date: 2024-2-1}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "date", *at(front, "2024-2-1"))]
    assert "YYYY-MM-DD" in sink.items[0].message


def test_future_consent_date_is_judged_in_utc_plus_14() -> None:
    # The build runs 2025-06-01 12:00 UTC: it is already 2025-06-02 in UTC+14.
    ok, sink = artisan(base_artisan(consent="{given: 2025-06-02, recorded_by: volunteer-sana}"))
    assert ok is not None and sink.items == []
    front = base_artisan(consent="{given: 2025-06-03, recorded_by: volunteer-sana}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "date-future", *at(front, "2025-06-03"))]
    assert "in the future" in sink.items[0].message


def test_consent_missing_on_a_non_draft() -> None:
    front = base_artisan(consent=None)
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [("error", "consent-missing", 2, 1)]
    message = sink.items[0].message
    assert "`consent` is missing" in message and "never published" in message
    assert "before the artisan appears" in message


def test_draft_without_consent_validates_but_is_not_published() -> None:
    result, sink = artisan(base_artisan(consent=None, draft="true"))
    assert sink.items == []
    assert result is not None and result.draft and result.consent is None and not result.published


def test_draft_still_reports_its_other_errors() -> None:
    front = base_artisan(consent=None, draft="true", since="1850")
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [("error", "year", *at(front, "1850"))]


def test_yaml_list_where_text_is_expected_says_quote_it() -> None:
    front = base_artisan(name="[Shazia Bibi]")
    _, sink = artisan(front)
    assert found(sink) == [("error", "text", *at(front, "[Shazia"))]
    assert "must be text" in sink.items[0].message and "quotes" in sink.items[0].hint


def test_number_where_text_is_expected() -> None:
    front = base_product(dimensions="220")
    _, sink = product(front)
    assert found(sink) == [("error", "text", *at(front, "220"))]
    assert "found the integer `220`" in sink.items[0].message


def test_scalar_where_a_list_is_expected() -> None:
    front = base_artisan(crafts="ralli-quilting")
    _, sink = artisan(front)
    assert found(sink) == [("error", "list", *at(front, "ralli-quilting"))]
    assert "`crafts: [ralli-quilting]`" in sink.items[0].hint


def test_empty_crafts_list() -> None:
    front = base_artisan(crafts="[]")
    _, sink = artisan(front)
    assert found(sink) == [("error", "missing-field", *at(front, "[]"))]


# -- location ---------------------------------------------------------------

def test_district_folder_mismatch() -> None:
    front = base_artisan(location="{district: Hyderabad, province: Sindh}")
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [
        ("error", "district-folder", *at(front, "Hyderabad")),
        ("error", "district-mismatch", *at(front, "Hyderabad")),
    ]
    message = sink.items[0].message
    assert "`hyderabad`" in message and "`thatta`" in message
    assert "`Thatta`" in sink.items[1].message


def test_province_disagreeing_with_registry() -> None:
    front = base_artisan(location="{district: Thatta, province: Punjab}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "district-mismatch", *at(front, "Punjab"))]
    assert "`Sindh`" in sink.items[0].message


def test_registry_district_in_another_language_matches() -> None:
    front = base_artisan(location="{district: Thatta, province: سندھ}")
    result, sink = artisan(front)
    assert sink.items == [] and result is not None


def test_location_too_precise() -> None:
    front = base_artisan(location="{district: Thatta, province: Sindh, village: Jhirk}")
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [("error", "location-too-precise", *at(front, "village"))]
    assert "safety" in sink.items[0].message and "`location.village`" in sink.items[0].message


def test_location_unknown_key() -> None:
    front = base_artisan(location="{district: Thatta, provnce: Sindh}")
    _, sink = artisan(front)
    assert found(sink) == [
        ("error", "unknown-key", *at(front, "provnce")),
        ("error", "missing-field", *at(front, "{district")),
    ]
    assert "did you mean `province`?" in sink.items[0].message


# -- registry references ----------------------------------------------------

def test_unknown_craft_with_suggestion() -> None:
    front = base_artisan(crafts="[ralli-quilting, blue-potery]")
    _, sink = artisan(front)
    assert found(sink) == [("error", "unknown-craft", *at(front, "blue-potery"))]
    assert "did you mean `blue-pottery`?" in sink.items[0].message


def test_unknown_program_and_enum() -> None:
    front = base_artisan(programs="[smedа]", kind="persn")  # a Cyrillic `а`
    _, sink = artisan(front)
    assert [d.code for d in sink.items] == ["unknown-program", "enum"]
    assert "did you mean `person`?" in sink.items[1].message


# -- listings -----------------------------------------------------------------

def test_listing_id_not_matching_the_pattern() -> None:
    front = base_product(listings="[{marketplace: amazon, id: 12345}]")
    _, sink = product(front)
    assert found(sink) == [("error", "listing-id", *at(front, "12345"))]
    assert "an ASIN like B0XXXXXXXX" in sink.items[0].message


def test_listing_url_must_be_https() -> None:
    front = base_product(listings="[{marketplace: etsy, url: 'http://www.etsy.com/listing/1'}]")
    _, sink = product(front)
    assert found(sink) == [("error", "listing-url", *at(front, "'http"))]
    assert "`http:` scheme" in sink.items[0].message


def test_listing_url_host_not_allowed() -> None:
    front = base_product(listings="[{marketplace: etsy, url: 'https://etsy.evil.example/listing/1'}]")
    _, sink = product(front)
    assert found(sink) == [("error", "listing-url", *at(front, "'https"))]
    assert "`etsy.evil.example`" in sink.items[0].message and "www.etsy.com" in sink.items[0].message


def test_listing_url_subdomain_allowed_by_leading_dot() -> None:
    item, sink = product(base_product(listings="[{marketplace: daraz, url: 'https://pk.daraz.pk/products/x-i1.html'}]"))
    assert sink.items == []
    assert item is not None and item.listings[0].url == "https://pk.daraz.pk/products/x-i1.html"


def test_listing_with_both_id_and_url() -> None:
    both = "{marketplace: amazon, id: B0ABCDEFGH, url: 'https://www.amazon.com/dp/B0ABCDEFGH'}"
    front = base_product(listings=f"[{both}]")
    _, sink = product(front)
    assert found(sink) == [("error", "listing-shape", *at(front, "{marketplace"))]
    assert "both `id` and `url`" in sink.items[0].message


def test_listing_id_on_a_marketplace_without_template() -> None:
    front = base_product(listings="[{marketplace: etsy, id: '123'}]")
    _, sink = product(front)
    assert found(sink) == [("error", "listing-id", *at(front, "'123'"))]


def test_unknown_marketplace() -> None:
    front = base_product(listings="[{marketplace: amazn, id: B0ABCDEFGH}]")
    _, sink = product(front)
    assert found(sink) == [("error", "unknown-marketplace", *at(front, "amazn"))]
    assert "did you mean `amazon`?" in sink.items[0].message


def test_listings_missing_unless_draft() -> None:
    front = base_product(listings=None)
    _, sink = product(front)
    assert found(sink) == [("error", "listings-missing", 2, 1)]
    draft, sink = product(base_product(listings=None, draft="true"))
    assert sink.items == [] and draft is not None and draft.draft


def test_price_amount_and_currency() -> None:
    front = base_product(price="{amount: 0, currency: pkr}")
    _, sink = product(front)
    assert found(sink) == [
        ("error", "price-amount", *at(front, "0,")),
        ("error", "currency", *at(front, "pkr")),
    ]
    assert "`PKR`" in sink.items[1].hint


# -- images -----------------------------------------------------------------

def test_image_without_alt() -> None:
    front = base_artisan(photo="{src: photos/portrait.jpg}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "image-alt", *at(front, "{src"))]


def test_image_path_with_dotdot() -> None:
    front = base_artisan(photo="{src: photos/../../other/photos/a.jpg, alt: A}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "image-path", *at(front, "photos/.."))]
    assert "no `..`" in sink.items[0].message


def test_image_missing_suggests_a_near_name() -> None:
    front = base_artisan(photo="{src: photos/portrait.jpeg, alt: A}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "image-missing", *at(front, "photos/"))]
    assert "did you mean `photos/portrait.jpg`?" in sink.items[0].message


def test_image_format() -> None:
    front = base_artisan(photo="{src: photos/notes.gif, alt: A}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "image-format", *at(front, "photos/"))]


def test_image_on_media_host_allowed_and_other_hosts_refused() -> None:
    result, sink = artisan(base_artisan(photo="{src: 'https://media.karigar.example/a.jpg', alt: A}"))
    assert sink.items == [] and result is not None and result.photo is not None
    assert result.photo.remote_url == "https://media.karigar.example/a.jpg"
    front = base_artisan(photo="{src: 'https://imgur.example/a.jpg', alt: A}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "image-host", *at(front, "'https"))]
    assert "media.karigar.example" in sink.items[0].message


# -- localized text -----------------------------------------------------------

def test_localized_text_missing_the_default_language() -> None:
    front = base_artisan(name="{ur: شازیہ}")
    _, sink = artisan(front)
    assert found(sink) == [("error", "text-default-missing", *at(front, "{ur"))]
    assert "`en`" in sink.items[0].message


def test_unknown_language_is_a_warning_and_kept() -> None:
    front = base_artisan(name="{en: Shazia Bibi, sd: شازيه}")
    result, sink = artisan(front)
    assert found(sink) == [("warning", "text-unknown-language", *at(front, "sd:"))]
    assert result is not None and result.name.get("sd") == "شازيه"


def test_empty_text_and_not_a_language() -> None:
    front = base_artisan(name="''", location="{district: Thatta, province: {en: Sindh, english: Sindh}}")
    _, sink = artisan(front)
    assert found(sink) == [
        ("error", "text-empty", *at(front, "''")),
        ("error", "text-language", *at(front, "english")),
    ]


# -- slugs from paths ---------------------------------------------------------

@pytest.mark.parametrize("slug", ["products", "ur"])
def test_reserved_product_slug(slug: str) -> None:
    _, sink = product(base_product(), path=f"{FOLDER}/products/{slug}.md")
    assert found(sink) == [("error", "slug-reserved", 1, 1)]
    assert f"`{slug}`" in sink.items[0].message


def test_reserved_and_invalid_artisan_path_slugs() -> None:
    front = base_artisan(location="{district: ur, province: Sindh}")
    _, sink = artisan(front, path="artisans/pk/ur/Blue_Pottery/index.md")
    assert found(sink) == [("error", "slug-reserved", 1, 1), ("error", "slug", 1, 1)]
    assert "`blue-pottery`" in sink.items[1].message


def test_bad_country_folder() -> None:
    _, sink = artisan(base_artisan(), path="artisans/PAK/thatta/shazia-bibi/index.md")
    assert found(sink) == [("error", "country", 1, 1)]


def test_settings_and_registries_pickle_for_worker_processes() -> None:
    settings = ValidationSettings(languages=("en", "ur"), now=NOW)
    assert settings.reserved >= {"products", "en", "ur"}  # fills the cached values
    copy = pickle.loads(pickle.dumps(settings))
    assert copy == settings and copy.today == dt.date(2025, 6, 2)
    registries = pickle.loads(pickle.dumps(REGISTRIES))
    assert registries == REGISTRIES and registries.link_hosts() == REGISTRIES.link_hosts()
    result, sink = product(base_product())
    again = validate_product(make_entry(base_product(), path=PRODUCT_PATH, kind="product"),
                             registries=registries, photos=PHOTOS, settings=SETTINGS, sink=DiagnosticSink())
    assert result == again and sink.items == []


def test_front_matter_that_is_not_a_mapping() -> None:
    _, sink = artisan("- name\n- crafts\n")
    assert found(sink) == [("error", "map", 2, 1)]
    # Front matter that failed to load was reported by the loader: nothing more to say.
    sink = DiagnosticSink()
    broken = RawEntry("artisan", ARTISAN_PATH, "d", None, "", 1, country="pk", district="thatta",
                      artisan="shazia-bibi")
    assert validate_artisan(broken, registries=REGISTRIES, photos=PHOTOS, settings=SETTINGS, sink=sink) is None
    assert sink.items == []


def test_slugify() -> None:
    assert slugify("Dera Ghazi Khan") == "dera-ghazi-khan"
    assert slugify("  Mirpur  (Khas) ") == "mirpur-khas"


# -- training -----------------------------------------------------------------

def base_training(**lines: str | None) -> str:
    fields: dict[str, str | None] = {
        "title": "Selling on Amazon",
        "kind": "webinar",
        "provider": "SMEDA",
        "url": "https://smeda.org/webinars/amazon",
        "starts": "2026-12-14T15:00:00+05:00",
        "languages": "[ur, en]",
    }
    fields.update(lines)
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


def test_happy_training() -> None:
    front = base_training(duration_minutes="90", level="beginner", topics="[listing, pricing]",
                          marketplaces="[amazon]", crafts="[blue-pottery]",
                          registration="https://forms.example.org/r")
    body = "## About\n\nHow to **list** your [products](https://sellercentral.amazon.com/).\n\nMore.\n"
    result, sink = training(front, body)
    assert sink.items == []
    assert result is not None
    assert (result.slug, result.page_path, result.kind) == ("amazon-basics", "training/amazon-basics.md", "webinar")
    assert result.starts == dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.timezone.utc)
    assert result.starts.utcoffset() == dt.timedelta(hours=5)
    assert result.url == "https://smeda.org/webinars/amazon"
    assert result.registration == "https://forms.example.org/r"
    assert result.languages == ("ur", "en") and [t.default for t in result.topics] == ["listing", "pricing"]
    assert result.summary == "How to list your products."
    assert result.is_event and result.ends == result.starts + dt.timedelta(minutes=90)


def test_webinar_without_starts() -> None:
    _, sink = training(base_training(starts=None))
    assert found(sink) == [("error", "missing-field", 2, 1)]
    assert "`starts` is missing" in sink.items[0].message and "webinar" in sink.items[0].message


def test_naive_datetime() -> None:
    front = base_training(starts="2026-12-14T15:00:00")
    _, sink = training(front)
    assert found(sink) == [("error", "datetime-naive", *at(front, "2026-12-14"))]
    assert "offset" in sink.items[0].message


def test_workshop_without_location() -> None:
    _, sink = training(base_training(kind="workshop"))
    assert found(sink) == [("error", "missing-field", 2, 1)]
    assert "`location` is missing" in sink.items[0].message
    result, sink = training(base_training(kind="workshop", location="{city: Karachi, venue: Expo Centre}"))
    assert sink.items == [] and result is not None and result.place is not None
    assert result.place.city.default == "Karachi"


def test_guide_without_url_is_fine() -> None:
    result, sink = training(base_training(kind="guide", url=None, starts=None), "Pack quilts flat.\n")
    assert sink.items == []
    assert result is not None and result.url is None and result.summary == "Pack quilts flat."


def test_course_needs_url_and_languages_need_tags() -> None:
    front = base_training(kind="course", url=None, starts=None, languages="[Urdu]")
    _, sink = training(front)
    assert found(sink) == [("error", "language-tag", *at(front, "Urdu")), ("error", "missing-field", 2, 1)]


# -- no tracebacks --------------------------------------------------------------

ODD_VALUES = (
    "", "~", "''", "[]", "{}", "[[1]]", "{a: {b: c}}", "[null]", "[~, '']", "0", "-1", "1.5", ".nan",
    "0x1F", "true", "no", "'x'", "2024-02-30", "2026-12-14T25:00:00+05:00", "{en: ''}",
    "{src: 1, alt: [x]}", "{src: [photos/a.jpg], alt: {en: [x]}}", "[{marketplace: [amazon], id: {x: 1}}]",
    "[{marketplace: amazon, id: 'B0ABC DEFGH'}]", "[{marketplace: amazon, url: 'https://[::1]/'}]",
    "{given: 1, recorded_by: [x]}", "{district: [x], province: {en: {a: b}}}", "{amount: .inf, currency: 1}",
    "'https://user@www.etsy.com/'", "'photos/\\\\a.jpg'",
)


def field_line(front: str, name: str) -> int:
    """File line of the top-level key ``name`` in the front matter (the `---` line is line 1)."""
    return 2 + next(i for i, line in enumerate(front.splitlines()) if line.startswith(f"{name}:"))


@pytest.mark.parametrize("kind", ["artisan", "product", "training"])
def test_an_odd_value_in_any_field_is_accepted_or_refused_at_that_field(kind: str) -> None:
    """No traceback, no entry silently dropped, and the error points at the odd value's own line."""
    shape = {"artisan": schema.ARTISAN, "product": schema.PRODUCT, "training": schema.TRAINING}[kind]
    make = {"artisan": base_artisan, "product": base_product, "training": base_training}[kind]
    validate = {"artisan": artisan, "product": product, "training": training}[kind]
    refused = 0
    for fld in shape.fields:
        for value in ODD_VALUES:
            front = make(**{fld.name: value})
            result, sink = validate(front)
            errors = [d for d in sink.items if d.is_error]
            assert (result is None) == bool(errors), (fld.name, value, found(sink))
            if errors:
                refused += 1
                assert any(d.location.line == field_line(front, fld.name) for d in errors), \
                    (fld.name, value, found(sink))
    assert refused > len(shape.fields), "most odd values are refused: the check above really ran"


# -- pages and the whole site -------------------------------------------------

def test_page_front_matter_is_optional() -> None:
    sink = DiagnosticSink()
    validate_page(make_entry("", "# About\n", path="content/about.md", kind="page"), settings=SETTINGS, sink=sink)
    validate_page(make_entry("title: About\nhide: [toc]\n", "# About\n", path="content/about.md", kind="page"),
                  settings=SETTINGS, sink=sink)
    assert [d for d in sink.items if d.code == "map"] == []


def test_page_and_training_bodies_are_checked_at_file_lines() -> None:
    sink = DiagnosticSink()
    page = make_entry("title: About\n", "# About\n\n<div>hi</div>\n", path="content/about.md", kind="page")
    validate_page(page, settings=SETTINGS, sink=sink)
    assert found(sink) == [("error", "md-raw-html", page.body_line + 2, 1)]
    # Python-Markdown constructs and links to any https host are fine in training pages.
    body = "!!! note\n    Bring *photos*.\n\nRead [the guide](https://sell.example.org/).\n"
    result, sink = training(base_training(), body)
    assert sink.items == [] and result is not None
    assert result.summary == "Read the guide."
    front = base_training()
    _, sink = training(front, "Intro.\n\n[x](javascript:alert(1))\n")
    assert [(d.code, d.location.line) for d in sink.items] == [("md-link", 3 + front.count("\n") + 2)]


def test_validate_site_collects_everything() -> None:
    site = _loaded_registries()
    site.photos.update(PHOTOS)
    site.artisans.append(make_entry(base_artisan()))
    site.artisans.append(make_entry(base_artisan(featured="yes"), path="artisans/pk/thatta/other/index.md"))
    site.products.append(make_entry(base_product(), path=PRODUCT_PATH, kind="product"))
    site.products.append(RawEntry("product", f"{FOLDER}/products/broken.md", "d", None, "", 1,
                                  country="pk", district="thatta", artisan="shazia-bibi", product="broken"))
    site.trainings.append(make_entry(base_training(starts=None), path=TRAINING_PATH, kind="training"))
    sink = DiagnosticSink()
    model = validate_site(site, settings=SETTINGS, sink=sink)
    assert [a.slug for a in model.artisans] == ["shazia-bibi"]
    assert [p.slug for p in model.products] == ["ralli-quilt"]
    assert model.trainings == []
    assert [(d.location.path, d.code) for d in sink.items] == [
        ("artisans/pk/thatta/other/index.md", "bool"),
        (TRAINING_PATH, "missing-field"),
    ]
    assert set(model.registries.crafts) == {"blue-pottery", "ralli-quilting"}


def test_markdown_problems_are_reported_at_file_lines() -> None:
    front = base_artisan()
    body = "Fine.\n\nSee [my shop](https://evil.example/).\n"
    result, sink = artisan(front, body)
    assert result is None
    (problem,) = sink.items
    assert problem.location.line == 3 + front.count("\n") + 2
