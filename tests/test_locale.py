"""Interface languages: the catalogs are complete and sound, formatting follows CLDR, pages are translated.

The site's languages are en (the source strings), ur (Urdu, right-to-left) and
hi (Hindi).  A string added to a template or a view without running
``scripts/tools/messages.py`` and translating it fails here, by name.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import importlib.util
import re
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from karigar.config import load_settings
from karigar.diagnostics import DiagnosticSink
from karigar.render import locale as locale_module
from karigar.render.locale import catalogs_fingerprint, currency_spaced, ui_locale
from tests.conftest import REPO, build, settings_for, write_site

TRANSLATED = ("ur", "hi")
FIX = "run `python scripts/tools/messages.py`, then translate the new entries of"
# `%(name)s`, `%(m)02d`...: a placeholder with its whole conversion spec.
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0\- +]*\d*(?:\.\d+)?[a-zA-Z]")
TAG = re.compile(r"<[^>]*>")
# Arabic number separators (CLDR `arabext` symbols), spelled out: they look like commas.
AR_GROUP, AR_DECIMAL = "\u066c", "\u066b"
NNBSP = "\u202f"  # CLDR's space before AM/PM in English
NBSP = "\u00a0"  # CLDR currency spacing: between a currency in letters and its digits
RLI, PDI = "\u2067", "\u2069"  # a right-to-left isolate around an Urdu date and time


@functools.cache
def messages_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("karigar_messages_tool", REPO / "scripts" / "tools" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def catalog(lang: str | None) -> Catalog:
    path = locale_module.LOCALE_DIR / "karigar.pot" if lang is None else locale_module.catalog_path(lang)
    assert path.is_file(), f"{path.relative_to(REPO)} is missing: {FIX} it"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain="karigar")


def msgids(cat: Catalog) -> set[str]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in cat if m.id}


def strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def sources(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


# -- the catalogs ----------------------------------------------------------------

def test_the_template_is_up_to_date_with_the_sources() -> None:
    extracted = messages_tool().extract()
    committed = catalog(None)
    added, dropped = msgids(extracted) - msgids(committed), msgids(committed) - msgids(extracted)
    assert not added and not dropped, (
        f"scripts/karigar/locale/karigar.pot is out of date: new strings {sorted(added)}, "
        f"strings no longer used {sorted(dropped)}; {FIX} scripts/karigar/locale/*/LC_MESSAGES/karigar.po")
    # A string that became plural (or stopped being) is a different entry too.
    plural = {m.id[0]: m.id[1] for m in extracted if isinstance(m.id, tuple)}
    assert plural == {m.id[0]: m.id[1] for m in committed if isinstance(m.id, tuple)}, FIX


def test_the_extraction_finds_strings_of_templates_views_and_trans_blocks() -> None:
    found = msgids(messages_tool().extract())
    assert "Where to buy" in found  # {{ _("...") }} in product.html
    assert "Districts of %(country)s" in found  # _() with a keyword argument (newstyle gettext)
    assert 'by <a href="%(url)s">%(name)s</a>' in found  # {% trans %} block
    assert "Buy on %(marketplace)s" in found  # self._() in build_views.py
    assert "Saraiki" in found  # self.gettext() in locale.py
    assert len(found) >= 100


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated_and_none_is_fuzzy(lang: str) -> None:
    cat, template = catalog(lang), catalog(None)
    missing = sorted(msgids(template) - msgids(cat))
    assert not missing, f"{lang}: strings without an entry {missing}; {FIX} {lang}"
    untranslated = sorted(m.id if isinstance(m.id, str) else m.id[0]
                          for m in cat if m.id and not all(s.strip() for s in strings(m)))
    assert not untranslated, f"{lang}: untranslated {untranslated}"
    fuzzy = sorted(str(m.id) for m in cat if m.id and m.fuzzy)
    assert not fuzzy, f"{lang}: fuzzy (unchecked) translations {fuzzy}: check them and remove the fuzzy flag"
    assert not cat.fuzzy, f"{lang}: the catalog's header is still marked fuzzy"
    # Every msgid is a phrase of the interface, never a bare name: an English msgstr was forgotten.
    same = sorted(m.id for m in cat if isinstance(m.id, str) and m.id and m.string == m.id)
    assert not same, f"{lang}: left in English {same}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder_and_tag(lang: str) -> None:
    for message in catalog(lang):
        if not message.id:
            continue
        wanted = sorted(PLACEHOLDER.findall(sources(message)[-1]))
        tags = sorted(TAG.findall(sources(message)[0]))
        for text in strings(message):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (lang, message.id, text)
            assert sorted(TAG.findall(text)) == tags, (lang, message.id, text)
            # Templates apply `%` to every translation (newstyle gettext): a stray `%` would crash a page.
            values = {name: 7 for name in re.findall(r"%\(([^)]+)\)", text)}
            assert (text % values).count("7") >= len(set(values)), (lang, message.id, text)


def cldr_plural_index(lang: str, n: int) -> int:
    """The gettext form CLDR's rule gives ``n``: 0 for "one", 1 otherwise (both languages have two)."""
    return 0 if Locale.parse(lang).plural_form(n) == "one" else 1


@pytest.mark.parametrize("lang, header", [("ur", "nplurals=2; plural=(n != 1);"),
                                          ("hi", "nplurals=2; plural=(n > 1);")])
def test_plural_forms_are_cldrs(lang: str, header: str) -> None:
    cat = catalog(lang)
    assert cat.plural_forms == header
    expression = gettext.c2py(cat.plural_expr)
    assert [expression(n) for n in range(1001)] == [cldr_plural_index(lang, n) for n in range(1001)]
    assert messages_tool().plural_forms(lang) == header  # what the tool writes into an updated catalog


def test_plural_forms_pick_the_right_translation_at_runtime() -> None:
    ur = ui_locale("ur")
    assert ur.ngettext("%(num)d product", "%(num)d products", 1) % {"num": 1} == "1 پروڈکٹ"
    assert ur.ngettext("%(num)d product", "%(num)d products", 0) % {"num": 0} == "0 مصنوعات"
    assert ur.ngettext("%(num)d product", "%(num)d products", 2) % {"num": 2} == "2 مصنوعات"
    assert ui_locale("en").ngettext("%(num)d product", "%(num)d products", 0) % {"num": 0} == "0 products"


# -- loading ---------------------------------------------------------------------

def test_a_language_without_a_catalog_shows_english_with_its_own_formatting() -> None:
    fr = ui_locale("fr")
    assert fr.gettext("Where to buy") == "Where to buy"
    assert fr.date(dt.date(2026, 3, 14)) == "14 mars 2026"
    assert ui_locale("ur").gettext("Where to buy") == "کہاں سے خریدیں"


def test_an_edited_catalog_is_used_by_the_next_build_of_the_same_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(locale_module.LOCALE_DIR, folder)
    monkeypatch.setattr(locale_module, "LOCALE_DIR", folder)
    before = catalogs_fingerprint(["en", "ur"])
    assert ui_locale("ur").gettext("Where to buy") == "کہاں سے خریدیں"
    po = folder / "ur" / "LC_MESSAGES" / "karigar.po"
    po.write_text(po.read_text("utf-8").replace('msgstr "کہاں سے خریدیں"', 'msgstr "یہاں سے خریدیں"'), "utf-8")
    assert ui_locale("ur").gettext("Where to buy") == "یہاں سے خریدیں"
    assert catalogs_fingerprint(["en", "ur"]) != before  # so every page is rendered again
    po.unlink()
    assert ui_locale("ur").gettext("Where to buy") == "Where to buy"


def test_a_fuzzy_translation_is_never_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(locale_module.LOCALE_DIR, folder)
    monkeypatch.setattr(locale_module, "LOCALE_DIR", folder)
    po = folder / "hi" / "LC_MESSAGES" / "karigar.po"
    text = po.read_text("utf-8").replace('msgid "Where to buy"', '#, fuzzy\nmsgid "Where to buy"')
    po.write_text(text, "utf-8")
    assert ui_locale("hi").gettext("Where to buy") == "Where to buy"
    assert ui_locale("hi").gettext("Description") == "विवरण"


# -- formatting ------------------------------------------------------------------

MOMENT = dt.datetime(2026, 3, 14, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))

# (lang, native_digits) -> number, PKR, INR, USD, date, date and time: CLDR's data through Babel (pinned
# in pyproject.toml), with CLDR's currency spacing (a no-break space between letters and digits, which
# Babel leaves out) and whole rupees without decimals.  Urdu and Hindi times take CLDR's day period
# (their AM/PM are Latin letters) and the catalog's "UTC"; a time and a zone never break across lines
# (no-break spaces), and an Urdu date and time is one RTL isolate.
FORMATS = {
    ("en", False): ("1,234,567", f"PKR{NBSP}12,000", "₹1,234,567.50", "$49.99", "Mar 14, 2026",
                    f"Mar 14, 2026, 3:00{NNBSP}PM (UTC+05:00)"),
    ("ur", False): ("1,234,567", f"Rs{NBSP}12,000", "₹1,234,567.50", "$49.99", "14 مارچ، 2026",
                    f"{RLI}14 مارچ، 2026 3:00{NBSP}دوپہر (یو{NBSP}ٹی{NBSP}سی+05:00){PDI}"),
    ("hi", False): ("12,34,567", f"PKR{NBSP}12,000", "₹12,34,567.50", "$49.99", "14 मार्च 2026",
                    f"14 मार्च 2026, दोपहर{NBSP}3:00 (यूटीसी+05:00)"),
    ("en", True): ("1,234,567", f"PKR{NBSP}12,000", "₹1,234,567.50", "$49.99", "Mar 14, 2026",
                   f"Mar 14, 2026, 3:00{NNBSP}PM (UTC+05:00)"),
    ("ur", True): (f"۱{AR_GROUP}۲۳۴{AR_GROUP}۵۶۷", f"Rs{NBSP}۱۲{AR_GROUP}۰۰۰",
                   f"₹۱{AR_GROUP}۲۳۴{AR_GROUP}۵۶۷{AR_DECIMAL}۵۰", f"$۴۹{AR_DECIMAL}۹۹", "۱۴ مارچ، ۲۰۲۶",
                   f"{RLI}۱۴ مارچ، ۲۰۲۶ ۳:۰۰{NBSP}دوپہر (یو{NBSP}ٹی{NBSP}سی+۰۵:۰۰){PDI}"),
    ("hi", True): ("१२,३४,५६७", f"PKR{NBSP}१२,०००", "₹१२,३४,५६७.५०", "$४९.९९", "१४ मार्च २०२६",
                   f"१४ मार्च २०२६, दोपहर{NBSP}३:०० (यूटीसी+०५:००)"),
}


@pytest.mark.parametrize("lang, native", sorted(FORMATS))
def test_numbers_prices_and_dates_follow_cldr(lang: str, native: bool) -> None:
    ui = ui_locale(lang, native)
    got = (ui.number(1234567), ui.price(Decimal("12000"), "PKR"), ui.price(Decimal("1234567.5"), "INR"),
           ui.price(Decimal("49.99"), "USD"), ui.date(MOMENT.date()), ui.datetime(MOMENT))
    assert got == FORMATS[(lang, native)]


@pytest.mark.parametrize("lang, digit_name", [("ur", "EXTENDED ARABIC-INDIC DIGIT"), ("hi", "DEVANAGARI DIGIT")])
def test_native_digits_are_the_languages_own_and_keep_every_value(lang: str, digit_name: str) -> None:
    latin, native = FORMATS[(lang, False)], FORMATS[(lang, True)]
    for plain, text in zip(latin, native):
        digits = [c for c in text if c.isdigit()]
        assert digits and all(unicodedata.name(c).startswith(digit_name) for c in digits), text
        # Read back digit by digit (and separator by separator) it is the Latin text.
        back = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
        assert back.replace(AR_GROUP, ",").replace(AR_DECIMAL, ".") == plain
    # The CLDR default for both languages is Latin: native digits are opt-in.
    assert Locale.parse(lang).default_numbering_system == "latn"


def test_urdu_is_right_to_left_and_hindi_left_to_right() -> None:
    assert (ui_locale("ur").direction, ui_locale("hi").direction, ui_locale("en").direction) == ("rtl", "ltr", "ltr")


def test_country_names_are_cldrs_in_each_language() -> None:
    assert [ui_locale(lang).country_name("PK") for lang in ("en", "ur", "hi")] == ["Pakistan", "پاکستان", "पाकिस्तान"]
    assert [ui_locale(lang).country_name("IN") for lang in ("en", "ur", "hi")] == ["India", "بھارت", "भारत"]


# -- the setting -----------------------------------------------------------------

def test_native_digits_is_off_by_default_and_read_from_mkdocs_yml(tmp_path: Path) -> None:
    plain = write_site(tmp_path / "plain", {})
    on = write_site(tmp_path / "on", {}, plugin="      native_digits: true\n")
    off_settings, on_settings = settings_for(plain / "mkdocs.yml"), settings_for(on / "mkdocs.yml")
    assert (off_settings.native_digits, on_settings.native_digits) == (False, True)
    assert off_settings.fingerprint() != on_settings.fingerprint()  # a switch re-renders every page

    wrong = write_site(tmp_path / "wrong", {}, plugin="      native_digits: yes please\n")
    sink = DiagnosticSink()
    assert load_settings(wrong / "mkdocs.yml", sink=sink) is None
    assert any("native_digits" in d.message and d.location.line for d in sink.items)


# -- a built site ----------------------------------------------------------------

ARTISAN = """---
name: Shazia Bibi
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
consent: {given: 2025-03-01, recorded_by: volunteer-amna}
---

Shazia Bibi stitches ralli quilts in Thatta.
"""

PRODUCT = """---
title: Ralli quilt
price: {amount: 12000, currency: PKR}
listings:
  - {marketplace: etsy, id: "1234567800"}
---

A quilt of hand-stitched cotton.
"""


@pytest.fixture(scope="module")
def trilingual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same small catalog built in en, ur and hi, with Latin and with native digits."""
    base = tmp_path_factory.mktemp("trilingual")
    root = write_site(base, {
        "artisans/pk/thatta/shazia-bibi/index.md": ARTISAN,
        "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md": PRODUCT,
    })
    sites = []
    for native in (False, True):
        out = base / f"native-{native}"
        settings = settings_for(root / "mkdocs.yml", site_dir=out / "site", cache_dir=out / "cache",
                                languages=("en", "ur", "hi"), native_digits=native)
        result = build(settings, run_mkdocs=False, jobs=1)
        assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
        sites.append(out / "site")
    return sites[0], sites[1]


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text("utf-8")


def test_an_urdu_listing_page_shows_urdu_interface_text(trilingual: tuple[Path, Path]) -> None:
    html = page(trilingual[0], "ur/artisans")
    assert 'lang="ur"' in html
    assert "کاریگر اور علاقے" in html  # the heading: "Artisans and regions"
    assert "ممالک اور اضلاع" in html  # section heading: "Countries and districts"
    assert "نمائش کے تمام کاریگر، ملک اور ضلع کے لحاظ سے۔" in html
    for english in ("Artisans and regions", "Countries and districts", "Every artisan in the showcase"):
        assert english not in html

    district = page(trilingual[0], "ur/artisans/pk/thatta")
    assert 'aria-label="صفحے کا راستہ"' in district and ">علاقے</a>" in district  # breadcrumbs
    assert "1 کاریگر" in district  # ngettext through the catalog's plural forms


def test_an_urdu_product_page_has_urdu_buttons_and_a_cldr_price(trilingual: tuple[Path, Path]) -> None:
    html = page(trilingual[0], "ur/artisans/pk/thatta/shazia-bibi/ralli-quilt")
    assert "Etsy پر خریدیں" in html  # the buy button; the marketplace keeps its name
    assert "کہاں سے خریدیں" in html and "اندازاً قیمت" in html
    assert f"Rs{NBSP}12,000<" in html  # CLDR spacing, no paisa
    assert "Buy on Etsy" not in html and "Where to buy" not in html


def test_hindi_and_english_pages_are_in_their_own_language(trilingual: tuple[Path, Path]) -> None:
    hindi = page(trilingual[0], "hi/artisans/pk/thatta/shazia-bibi/ralli-quilt")
    assert 'lang="hi"' in hindi and "Etsy पर खरीदें" in hindi and "कहाँ से खरीदें" in hindi
    assert f"PKR{NBSP}12,000<" in hindi
    english = page(trilingual[0], "artisans/pk/thatta/shazia-bibi/ralli-quilt")
    assert 'lang="en"' in english and "Buy on Etsy" in english and "Where to buy" in english


def test_native_digits_reach_the_built_pages(trilingual: tuple[Path, Path]) -> None:
    native = trilingual[1]
    product = "artisans/pk/thatta/shazia-bibi/ralli-quilt"
    assert f"Rs{NBSP}۱۲{AR_GROUP}۰۰۰<" in page(native, f"ur/{product}")
    assert f"PKR{NBSP}१२,०००<" in page(native, f"hi/{product}")
    assert f"PKR{NBSP}12,000<" in page(native, product)  # English has no other digits


@pytest.mark.parametrize("amount, currency, lang, shown", [
    ("4500", "INR", "en", "₹4,500"),  # a symbol: no space, whole rupees without decimals
    ("4200", "PKR", "en", f"PKR{NBSP}4,200"),  # letters touching digits: a no-break space
    ("4200.50", "PKR", "en", f"PKR{NBSP}4,200.50"),  # a fractional price is never rounded
    ("49", "USD", "en", "$49.00"),  # cents are shown for currencies that use them
    ("4500", "PKR", "ur", f"Rs{NBSP}4,500"),
])
def test_prices_read_as_marketplaces_write_them(amount: str, currency: str, lang: str, shown: str) -> None:
    assert ui_locale(lang).price(Decimal(amount), currency) == shown


def test_currency_spacing_follows_cldr_on_either_side() -> None:
    assert currency_spaced("12,000PKR", "PKR") == f"12,000{NBSP}PKR"  # a suffix currency (e.g. in French)
    assert currency_spaced("12,000€", "€") == "12,000€"  # a symbol (Sc) never gets the space
    assert currency_spaced("PKR 12,000", "PKR") == "PKR 12,000"  # already spaced: not doubled
