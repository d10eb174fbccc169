"""The training calendar as an RFC 5545 iCalendar feed (webinars and workshops)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from karigar.model.types import TrainingResource

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


def calendar_feed(
    resources: Iterable[TrainingResource], *, site_name: str, host: str, url_of: dict[str, str],
    now: dt.datetime, lang: str,
) -> bytes:
    """Webinars and workshops as VEVENTs; ``url_of`` maps a slug to its absolute page URL."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Karigar//{_escape(site_name)} training//{lang.upper()}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(site_name)} training",
    ]
    stamp = _utc(now)
    for resource in resources:
        if not resource.is_event or resource.starts is None or resource.ends is None:
            continue
        page = url_of.get(resource.slug, "")
        description = resource.summary
        if resource.registration:
            description += f"\n\nRegister: {resource.registration}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{resource.slug}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(resource.starts)}",
            f"DTEND:{_utc(resource.ends)}",
            f"SUMMARY:{_escape(resource.title.get(lang))}",
            f"DESCRIPTION:{_escape(description)}",
            f"X-KARIGAR-PROVIDER:{_escape(resource.provider.get(lang))}",
        ]
        if page:
            lines.append(f"URL:{page}")
        if resource.place is not None:
            lines.append(f"LOCATION:{_escape(resource.place.venue.get(lang) + ', ' + resource.place.city.get(lang))}")
        elif resource.url:
            lines.append(f"LOCATION:{_escape(resource.url)}")
        lines += [f"CATEGORIES:{_escape(resource.kind.upper())}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
