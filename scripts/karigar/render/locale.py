"""Interface language: gettext catalogs and CLDR formatting (Babel), per site language.

Every string a template or a view shows goes through :class:`UiLocale`, so a
new language is a new catalog, not a code change.  Catalogs are ``.po`` files
under ``karigar/locale/<lang>/LC_MESSAGES/karigar.po`` (made and updated by
``scripts/tools/messages.py``); a language without one falls back to the
source strings (English).

Numbers, prices and dates follow CLDR.  Prices get two things Babel leaves
out: CLDR's currency spacing (a no-break space between a currency written in
letters and the digits: ``PKR 12,000``, ``Rs 4,500``, but ``₹4,500`` and
``$49.99``), and whole rupees without decimals (:data:`WHOLE_UNIT_CURRENCIES`).
By default a language writes the
digits of its CLDR default numbering system (Latin for ``ur`` and ``hi``);
with the ``native_digits`` setting they are the language's native digits
(Extended Arabic-Indic ``۰۱۲۳`` for Urdu, Devanagari ``०१२३`` for Hindi).

A date and time is one piece in the reader's script: where CLDR's AM/PM
markers are Latin letters in a language that is not written in Latin (Urdu's
``AM``, Hindi's ``pm``), the time takes CLDR's flexible day period instead
(``3:00 دوپہر``, ``दोपहर 3:00``), and the offset's ``UTC`` comes from the
catalog.  In a right-to-left language the whole is wrapped in a Unicode
isolate, so it keeps its order wherever it is placed (a card, a feed, an
attribute), never mixing with the text around it.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import io
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.support import Translations

__all__ = ["UiLocale", "ui_locale", "catalogs_fingerprint", "catalog_path", "LOCALE_DIR", "DOMAIN",
           "WHOLE_UNIT_CURRENCIES", "currency_spaced"]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "karigar"

# ISO 4217 gives the rupees two minor digits, but no marketplace or shop shows paisa: a whole
# amount is written without decimals.  A fractional amount keeps them (a price is never rounded).
WHOLE_UNIT_CURRENCIES = frozenset({"PKR", "INR"})
# Unicode bidi isolates (UAX #9).
RLI, FSI, PDI = "\u2067", "\u2068", "\u2069"  # right-to-left / first-strong isolate, pop
NBSP = "\u00a0"
# CLDR's currencySpacing (root): a symbol whose letter touches a digit gets U+00A0 between them.
_SPACING = "\u00a0"


def _spaces_from_digits(ch: str) -> bool:
    """A symbol character that needs a space before a digit: neither a symbol (S*) nor a separator (Z*)."""
    return unicodedata.category(ch)[0] not in "SZ"


def currency_spaced(text: str, symbol: str) -> str:
    """``text`` (a formatted price) with CLDR's currency spacing around ``symbol`` applied."""
    at = text.find(symbol)
    if at < 0 or not symbol:
        return text
    end = at + len(symbol)
    after, before = text[end:end + 1], text[at - 1:at] if at else ""
    if after and unicodedata.category(after) == "Nd" and _spaces_from_digits(symbol[-1]):
        text = text[:end] + _SPACING + text[end:]
    if before and unicodedata.category(before) == "Nd" and _spaces_from_digits(symbol[0]):
        text = text[:at] + _SPACING + text[at:]
    return text


# Babel (2.18) applies a numbering system's symbols (Urdu's ٫ and ٬) but never
# its digits, so the digits are transliterated here.  The zero of each decimal
# system a South Asian language may name as native in CLDR; its digits follow
# it in Unicode.  A system missing here is written in Latin digits, symbols
# included, rather than half-converted.
_ZERO = {
    "arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966, "gujr": 0x0AE6, "guru": 0x0A66,
    "knda": 0x0CE6, "mlym": 0x0D66, "orya": 0x0B66, "tamldec": 0x0BE6, "telu": 0x0C66,
}


def _has_latin_letter(text: str) -> bool:
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _catalog_source(lang: str) -> bytes | None:
    try:
        return catalog_path(lang).read_bytes()
    except OSError:
        return None


@functools.lru_cache(maxsize=16)
def _compiled(lang: str, source: bytes) -> Translations:
    """The .po compiled to an in-memory .mo, once per process and catalog content.

    Keyed by the file's bytes, not its name: a long-running ``karigar serve``
    picks up an edited translation on its next build.  Fuzzy entries are left
    out (Babel's default), so an unchecked translation shows the English.
    """
    catalog = read_po(io.BytesIO(source), locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    # The .mo's own Plural-Forms header drives ngettext, as with any gettext catalog.
    return Translations(buffer, domain=DOMAIN)


def _translations(lang: str, source: bytes | None) -> gettext.NullTranslations:
    return gettext.NullTranslations() if source is None else _compiled(lang, source)


def catalogs_fingerprint(languages: Iterable[str]) -> str:
    """A hash of the catalogs of ``languages``: an edited translation re-renders the pages."""
    digest = hashlib.blake2b(digest_size=16)
    for lang in languages:
        digest.update(lang.encode())
        digest.update(b"\x1f")
        digest.update(_catalog_source(lang) or b"")
        digest.update(b"\x1e")
    return digest.hexdigest()


class UiLocale:
    """Translations and formatting for one interface language."""

    def __init__(self, lang: str, *, native_digits: bool = False,
                 translations: gettext.NullTranslations | None = None) -> None:
        self.lang = lang
        try:
            self.locale = Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            self.locale = Locale.parse("en")
        self.translations = translations if translations is not None else _translations(lang, _catalog_source(lang))
        self.direction = "rtl" if self.locale.character_order == "right-to-left" else "ltr"
        self.native_digits = native_digits
        system = self.locale.other_numbering_systems.get("native") if native_digits else None
        system = system or self.locale.default_numbering_system
        if system != "latn" and system not in _ZERO:
            system = "latn"
        self.numbering_system = system
        self._digits = None if system == "latn" else str.maketrans(
            "0123456789", "".join(chr(_ZERO[system] + d) for d in range(10)))
        # Babel re-parses the currency pattern on every call (~200 us); catalogs repeat
        # the same few prices thousands of times.
        self._language_names: dict[str, str] = {}
        # CLDR's list glue ("{0}, {1}"; Urdu's is "{0}، {1}") with the placeholders taken out.
        middle = self.locale.list_patterns["standard"]["middle"]
        self.list_separator = middle.replace("{0}", "").replace("{1}", "")
        self._time_pattern = self._short_time_pattern()
        self.price = functools.lru_cache(maxsize=4096)(self._price)  # type: ignore[method-assign]

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """A message whose English is ambiguous (``listing``), with the translator's context."""
        return self.translations.pgettext(context, message)

    def isolate(self, text: str) -> str:
        """``text`` as a unit of its own direction inside this language's text (FSI ... PDI in RTL).

        For values written in any script (a handle like ``smeda-karachi-trainer``)
        put into a right-to-left sentence: their punctuation stays with them.
        """
        return f"{FSI}{text}{PDI}" if self.direction == "rtl" and text else text

    def join(self, items: Iterable[str]) -> str:
        """Items of an inline list glued as the language does (``a، b`` in Urdu)."""
        return self.list_separator.join(items)

    def _short_time_pattern(self) -> str:
        """CLDR's short time, or its flexible day period where AM/PM would be foreign letters.

        Urdu's and Hindi's CLDR AM/PM markers are Latin (``AM``, ``pm``); a
        reader of those scripts gets the day period in words (``دوپہر``,
        ``दोपहर``) from the same data, written as CLDR's ``Bhm`` skeleton says.
        """
        pattern = str(self.locale.time_formats["short"].pattern)
        marker = self.locale.day_periods["format"]["abbreviated"].get("am", "")
        month = self.locale.months["format"]["wide"][1]
        flexible = self.locale.datetime_skeletons.get("Bhm")
        if "a" in pattern and _has_latin_letter(marker) and not _has_latin_letter(month) and flexible:
            return str(flexible.pattern)
        return pattern

    def digits(self, text: str) -> str:
        """``text`` with its ASCII digits in the language's numbering system (as is when Latin)."""
        return text if self._digits is None else text.translate(self._digits)

    def language_name(self, tag: str) -> str:
        """``pa-Arab`` -> "Punjabi (Arabic)"; unknown tags are shown as written."""
        # Babel parses the tag's locale on every call; pages ask for the same few names
        # (the "not yet translated" notice, "Speaks") hundreds of thousands of times.
        found = self._language_names.get(tag)
        if found is None:
            found = self._language_names[tag] = self._language_name(tag)
        return found

    def _language_name(self, tag: str) -> str:
        base = tag.split("-")[0]
        if base not in self.locale.languages:
            # Regional languages CLDR has no name for yet.
            extra = {"skr": self.gettext("Saraiki"), "hno": self.gettext("Hindko"), "brh": self.gettext("Brahui"),
                     "kfr": self.gettext("Kutchi")}
            return extra.get(base, tag)
        try:
            return Locale.parse(tag.replace("-", "_")).get_display_name(self.locale) or tag
        except (UnknownLocaleError, ValueError):
            return self.locale.languages[base]

    def country_name(self, code: str) -> str:
        return self.locale.territories.get(code.upper(), code.upper())

    def _price(self, amount: Decimal, currency: str) -> str:
        if currency in WHOLE_UNIT_CURRENCIES and amount == amount.to_integral_value():
            pattern = self.locale.currency_formats["standard"].pattern.replace(".00", "")
            text = format_currency(amount, currency, format=pattern, currency_digits=False, locale=self.locale,
                                   numbering_system=self.numbering_system)
        else:
            text = format_currency(amount, currency, locale=self.locale, format_type="standard",
                                   numbering_system=self.numbering_system)
        symbol = get_currency_symbol(currency, locale=self.locale)
        return self.digits(currency_spaced(text, symbol))

    def price(self, amount: Decimal, currency: str) -> str:  # replaced by a cached bound method
        return self._price(amount, currency)

    def number(self, value: int) -> str:
        return self.digits(format_decimal(value, locale=self.locale, numbering_system=self.numbering_system))

    def date(self, value: dt.date) -> str:
        # Babel's dates take no numbering system: CLDR's patterns, then the digits.
        return self.digits(format_date(value, format="medium", locale=self.locale))

    def datetime(self, value: dt.datetime) -> str:
        """A time in its own zone, with the offset spelled out (``15:00 (UTC+05:00)``), as one unit.

        ``10 دسمبر، 2026 3:00 دوپہر (یو ٹی سی+05:00)`` in Urdu: no Latin word
        in it, so no run of it flips to left-to-right, and isolated (RLI ...
        PDI) so the text around it cannot reorder it either.
        """
        day = format_date(value.date(), format="medium", locale=self.locale)
        # A time and its day period stay on one line ("3:00 دوپہر"), as English's "3:00 PM" does.
        time = format_time(value, format=self._time_pattern, tzinfo=value.tzinfo, locale=self.locale)
        time = time.replace(" ", NBSP)
        # CLDR's glue of a date and a time ("{1}, {0}" in English, "{1} {0}" in Urdu), as
        # Babel's format_datetime applies it.
        glue = str(self.locale.datetime_formats["medium"]).replace("'", "")
        text = glue.replace("{0}", time).replace("{1}", day)
        offset = value.strftime("%z")
        if offset:
            # Translators: a time zone as an offset from UTC, e.g. "UTC+05:00"; keep %(offset)s.
            zone = self.gettext("UTC%(offset)s") % {"offset": f"{offset[:3]}:{offset[3:]}"}
            # The zone is one word however it is spelled ("یو ٹی سی+05:00"): a line may break
            # before it, never inside it.
            text = f"{text} ({zone.replace(' ', NBSP)})"
        text = self.digits(text)
        return f"{RLI}{text}{PDI}" if self.direction == "rtl" else text


def ui_locale(lang: str, native_digits: bool = False) -> UiLocale:
    """The shared :class:`UiLocale` of ``lang`` for the catalog as it is on disk now."""
    return _ui_locale(lang, native_digits, _catalog_source(lang))


@functools.lru_cache(maxsize=16)
def _ui_locale(lang: str, native_digits: bool, source: bytes | None) -> UiLocale:
    return UiLocale(lang, native_digits=native_digits, translations=_translations(lang, source))
