"""What validation of one entry is given: the settings, the clock, the registries' look-ups.

:class:`ValidationSettings` is the build's input to validation (languages,
clock, media hosts); :class:`Context` bundles it with the entry's path, its
own diagnostic sink and what readers consult, so readers take one argument
for all of it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from karigar.diagnostics import DiagnosticSink, Location
from karigar.load.entries import PhotoFile
from karigar.load.nodes import Node
from karigar.model import schema
from karigar.model.types import Registries

__all__ = ["ValidationSettings", "RegistryLookups", "Context", "default_photo_url"]

_LATEST_ZONE = dt.timezone(dt.timedelta(hours=14))


def default_photo_url(path: str) -> str:
    """The public URL of a photo when the caller gives none: the site-relative path from ``/``.

    A module-level function rather than a lambda so settings can be pickled
    for worker processes.
    """
    return "/" + path


@dataclass(frozen=True)
class ValidationSettings:
    """What validation needs from the site's settings, and the build's clock.

    ``now`` must be timezone-aware; a date is "not in the future" when it is
    not after today's date in UTC+14, the latest time zone, so no author
    anywhere sees their today rejected.
    """

    languages: tuple[str, ...]
    now: dt.datetime
    media_hosts: tuple[str, ...] = ()
    reserved_slugs: frozenset[str] = schema.RESERVED_SLUGS
    photo_url: Callable[[str], str] = default_photo_url

    @property
    def default_language(self) -> str:
        """The site's default language (its first)."""
        return self.languages[0]

    @cached_property
    def language_set(self) -> frozenset[str]:
        """The site's languages, for membership tests."""
        return frozenset(self.languages)

    @cached_property
    def reserved(self) -> frozenset[str]:
        """Reserved slugs including the site's language codes."""
        return self.reserved_slugs | self.language_set

    @cached_property
    def today(self) -> dt.date:
        """The latest date anywhere on Earth at the build's clock."""
        now = self.now if self.now.tzinfo is not None else self.now.replace(tzinfo=dt.timezone.utc)
        return now.astimezone(_LATEST_ZONE).date()

    @cached_property
    def media_host_set(self) -> frozenset[str]:
        """Media hosts, lower case, for :func:`karigar.markup.urls.host_allowed`."""
        return frozenset(h.lower() for h in self.media_hosts)


@dataclass(frozen=True, slots=True)
class RegistryLookups:
    """What entry validation looks up in the registries, prepared once per build.

    ``keys`` holds, per registry that was read, every key written in it (even
    an item that failed validation, so a reference to it is not reported a
    second time); a registry missing from ``keys`` is not checked, since its
    absence was already reported.
    """

    keys: Mapping[str, frozenset[str]]
    id_patterns: Mapping[str, re.Pattern[str]]
    params: Mapping[str, Mapping[str, str]]
    link_hosts: frozenset[str]
    # URL templates with the marketplace's params already added: adding them
    # once per registry instead of once per listing gives the same URL,
    # because the id is percent-encoded before it replaces `{id}`.
    product_urls: Mapping[str, str]
    cart_urls: Mapping[str, str]


@dataclass(slots=True)
class Context:
    """Everything a reader may consult for one entry; ``sink`` is the entry's own."""

    path: str
    sink: DiagnosticSink
    settings: ValidationSettings
    registries: Registries | None = None
    photos: Mapping[str, PhotoFile] = field(default_factory=dict)
    folder: str = ""  # the artisan folder, site-relative, for photos
    lookups: RegistryLookups | None = None

    def at(self, node: Node) -> Location:
        """The location of ``node`` in this entry's file."""
        return Location(self.path, node.line, node.col)

    def error(self, code: str, message: str, node: Node, hint: str = "") -> None:
        """Report an error at ``node``."""
        self.sink.error(code, message, Location(self.path, node.line, node.col), hint)

    def warning(self, code: str, message: str, node: Node, hint: str = "") -> None:
        """Report a warning at ``node``."""
        self.sink.warning(code, message, Location(self.path, node.line, node.col), hint)
