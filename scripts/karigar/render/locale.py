"""Interface language: gettext catalogs and CLDR formatting (Babel), per site language.

Every string a template or a view shows goes through :class:`UiLocale`, so a
new language is a new catalog, not a code change.  Catalogs are ``.po`` files
under ``karigar/locale/<lang>/LC_MESSAGES/karigar.po``; a language without one
falls back to the source strings (English).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

__all__ = ["UiLocale", "ui_locale", "LOCALE_DIR"]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "karigar.po"
    if not po.is_file():
        return gettext.NullTranslations()
    from babel.messages.pofile import read_po
    from babel.messages.mofile import write_mo
    import io

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


class UiLocale:
    """Translations and formatting for one interface language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        try:
            self.locale = Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            self.locale = Locale.parse("en")
        self.translations = _translations(lang)
        self.direction = "rtl" if self.locale.character_order == "right-to-left" else "ltr"
        # Babel re-parses the currency pattern on every call (~200 us); catalogs repeat
        # the same few prices thousands of times.
        self.price = functools.lru_cache(maxsize=4096)(self._price)  # type: ignore[method-assign]

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def language_name(self, tag: str) -> str:
        """``pa-Arab`` -> "Punjabi (Arabic)"; unknown tags are shown as written."""
        base = tag.split("-")[0]
        if base not in self.locale.languages:
            # Regional languages CLDR has no name for yet.
            extra = {"skr": self.gettext("Saraiki"), "hno": self.gettext("Hindko")}
            return extra.get(base, tag)
        try:
            return Locale.parse(tag.replace("-", "_")).get_display_name(self.locale) or tag
        except (UnknownLocaleError, ValueError):
            return self.locale.languages[base]

    def country_name(self, code: str) -> str:
        return self.locale.territories.get(code.upper(), code.upper())

    def _price(self, amount: Decimal, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale, format_type="standard")

    def price(self, amount: Decimal, currency: str) -> str:  # replaced by a cached bound method
        return self._price(amount, currency)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: dt.date) -> str:
        return format_date(value, format="medium", locale=self.locale)

    def datetime(self, value: dt.datetime) -> str:
        """A time in its own zone, with the offset spelled out (``15:00 (UTC+05:00)``)."""
        day = format_date(value.date(), format="medium", locale=self.locale)
        time = format_time(value, format="short", tzinfo=value.tzinfo, locale=self.locale)
        text = f"{day}, {time}"
        offset = value.strftime("%z")
        return f"{text} (UTC{offset[:3]}:{offset[3:]})" if offset else text


@functools.lru_cache(maxsize=16)
def ui_locale(lang: str) -> UiLocale:
    return UiLocale(lang)
