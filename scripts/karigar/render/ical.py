"""The training calendar as an RFC 5545 iCalendar feed (webinars and workshops), one per language.

Each language's feed carries the events' titles, summaries and places in
that language where the content gives them (a training's translation page),
and says which language each text is in (``LANGUAGE=``, RFC 5545 3.2.10), so
a calendar app never reads an English fallback as Urdu.  The feed's own words
(its name, the kind of event, "Register") come from the interface catalogs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from karigar.model.types import LocalizedText, TrainingResource
from karigar.render.locale import UiLocale
from karigar.render.vocabulary import kind_label

__all__ = ["calendar_feed"]


def _escape(text: str) -> str:
    # RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT.
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _in(text: LocalizedText, lang: str) -> tuple[str, str]:
    """(text in ``lang`` or the default language's, the language it is in)."""
    return (text.get(lang), lang) if text.has(lang) else (text.default, text.default_lang)


def _property(name: str, text: str, lang: str) -> str:
    """A TEXT property with its language: ``SUMMARY;LANGUAGE=ur:...``."""
    return f"{name};LANGUAGE={lang}:{_escape(text)}" if lang else f"{name}:{_escape(text)}"


def calendar_feed(
    resources: Iterable[TrainingResource], *, site_name: str, host: str, url_of: dict[str, str],
    now: dt.datetime, lang: str, ui: UiLocale | None = None,
) -> bytes:
    """Webinars and workshops as VEVENTs; ``url_of`` maps a slug to its absolute page URL.

    ``ui`` is the interface of ``lang`` (its catalog's words); without one the
    feed's own words are English.
    """
    ui = ui or UiLocale("en")
    # Translators: the name of the site's training calendar in a calendar app; %(site)s is the site's name.
    name = ui.gettext("%(site)s training") % {"site": site_name}
    register = ui.gettext("Register")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Karigar//{_escape(site_name)} training//{lang.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    stamp = _utc(now)
    for resource in resources:
        if not resource.is_event or resource.starts is None or resource.ends is None:
            continue
        page = url_of.get(resource.slug, "")
        title, title_lang = _in(resource.title, lang)
        description, description_lang = _in(resource.summary_text, lang)
        if resource.registration:
            description += f"\n\n{register}: {resource.registration}"
        provider, _provider_lang = _in(resource.provider, lang)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{resource.slug}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(resource.starts)}",
            f"DTEND:{_utc(resource.ends)}",
            _property("SUMMARY", title, title_lang),
            _property("DESCRIPTION", description, description_lang),
            f"X-KARIGAR-PROVIDER:{_escape(provider)}",
        ]
        if page:
            lines.append(f"URL:{page}")
        if resource.place is not None:
            venue, venue_lang = _in(resource.place.venue, lang)
            city, city_lang = _in(resource.place.city, lang)
            # One language per property: the venue's, unless the city alone is in the feed's.
            lines.append(_property("LOCATION", ui.join((venue, city)), venue_lang if venue_lang == city_lang else ""))
        elif resource.url:
            lines.append(f"LOCATION:{_escape(resource.url)}")
        lines += [f"CATEGORIES:{_escape(kind_label(ui, resource.kind))}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
