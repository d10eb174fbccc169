"""Karigar's settings, declared once: each option, its checks, and which parts of a build read it.

Every option under ``plugins: - karigar:`` in ``mkdocs.yml`` is one
:class:`PluginOption` in :data:`PLUGIN_OPTIONS`: its name, YAML type,
default, help text, the values it may take, and its *consumers*, the parts of
a build whose results change with it (:data:`CONSUMERS`).  Everything else is
derived from that table:

* the located checks of ``mkdocs.yml`` (:func:`karigar.config.load_settings`);
* the MkDocs plugin's config scheme (:class:`karigar.mkdocs_plugin.KarigarPluginConfig`);
* each cache's fingerprint (:meth:`Settings.fingerprint_for`): a cache hashes
  only what its consumer reads, so changing ``per_page`` keeps every
  validated entry.

:class:`Settings` holds the resolved values (absolute paths, the image CDN
decided).  It lives here, at the bottom of the package, because every stage
reads it, the catalog loader included; reading ``mkdocs.yml`` into it is
:mod:`karigar.config`, which needs the YAML loader and so sits above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

__all__ = [
    "CONSUMERS",
    "DEFAULT_RESERVED_SLUGS",
    "IMAGE_CDN_CHOICES",
    "PLUGIN_OPTIONS",
    "SITE_VALUES",
    "UNTRANSLATED_CHOICES",
    "PluginOption",
    "Settings",
]

DEFAULT_RESERVED_SLUGS = frozenset({"page", "photos", "products", "api", "search", "assets", "feeds", "sitemaps", "admin"})

# The parts of a build that read settings.  A cache keyed by one of them hashes
# Settings.fingerprint_for(name), so it survives changes to what it never reads.
CONSUMERS: Final[Mapping[str, str]] = MappingProxyType({
    "validation": "loading and validating catalog entries (load/, model/): what the entry cache keeps",
    "catalog": "the catalog graph and the pages it claims (catalog/): which pages exist, in which language",
    "render": "the pages, feeds and headers made from the catalog and content/ (render/, MkDocs)",
    "photos": "the published photos and their variants (photos/)",
    "state": "where a build keeps its caches and staging (never part of the output)",
})

# Where a build keeps its state is no input to any result: caches restored into another
# folder (a fresh clone on Netlify, with the cache put back) must stay valid.  So "state"
# is in no fingerprint but its own.
_RESULT_CONSUMERS: Final = frozenset(CONSUMERS) - {"state"}

IMAGE_CDN_CHOICES: Final = ("none", "netlify", "auto")
UNTRANSLATED_CHOICES: Final = ("render", "omit")


@dataclass(frozen=True, slots=True)
class PluginOption:
    """One setting under ``plugins: - karigar:``.

    ``kind`` is the YAML value's type: ``str``, ``int`` (at least 1), ``bool``
    or ``list``, whose items are ``item``.  A text limited to a few values
    lists them in ``choices``.  ``default`` is immutable (a tuple for a list),
    since one declaration serves every build.  ``reads`` names the
    :data:`CONSUMERS` whose results change with the option.
    """

    name: str
    kind: type
    default: Any
    help: str
    reads: frozenset[str]
    item: type | None = None
    choices: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        """How messages name the expected type: ``int``, ``list of str``, ``one of render, omit``."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.item is not None:
            return f"{self.kind.__name__} of {self.item.__name__}"
        return self.kind.__name__


def _reads(*consumers: str) -> frozenset[str]:
    return frozenset(consumers)


# The one declaration of Karigar's settings.  To find an option's consumers,
# look for `settings.<name>` in the engine: the stage doing the reading is one.
PLUGIN_OPTIONS: Final[tuple[PluginOption, ...]] = (
    PluginOption("languages", list, ("en",), "site languages; the first is the default",
                 # reserved slugs, translation file names and `lang` fields are checked against them
                 _reads("validation", "catalog", "render"), item=str),
    PluginOption("catalog_dir", str, "artisans", "folder of the catalog, relative to mkdocs.yml",
                 _reads("validation")),  # the loader walks it; entry and photo paths start with it
    PluginOption("templates_dir", str, "theme/karigar", "the catalog's Jinja2 templates", _reads("render")),
    PluginOption("cache_dir", str, ".karigar-cache", "build state and staging, never published", _reads("state")),
    PluginOption("per_page", int, 50, "items per listing page, on average (pages are cut by their entries, "
                 "see karigar.catalog.paging)", _reads("catalog", "render")),
    PluginOption("folder_cap", int, 50_000, "most entries one output folder may hold", _reads("catalog", "render")),
    PluginOption("featured_limit", int, 12, "featured artisans on the home page, and products in its grid "
                 "(featured products first, then the newest by `added`)", _reads("render")),
    PluginOption("media_hosts", list, (), "https hosts allowed for photos not kept in Git",
                 _reads("validation"), item=str),  # a story's image URL is checked against them
    PluginOption("upcoming_limit", int, 4, "upcoming trainings on the home page", _reads("render")),
    PluginOption("photo_widths", list, (320, 640, 1024), "widths (px) of the responsive photo variants; "
                 "the largest also caps the published original", _reads("photos"), item=int),
    PluginOption("photo_max_bytes", int, 15_000_000, "largest photo file accepted, in bytes", _reads("photos")),
    PluginOption("photo_max_pixels", int, 40_000_000, "largest photo accepted, in pixels (width x height)",
                 _reads("photos")),
    PluginOption("image_cdn", str, "none", "`none`: the build makes every photo variant; `netlify`: "
                 "variants come from Netlify Image CDN; `auto`: netlify when building on Netlify",
                 _reads("photos"), choices=IMAGE_CDN_CHOICES),
    PluginOption("untranslated", str, "render", "artisan and product pages in a language they are not "
                 "translated into: `render` (interface translated, text marked as a fallback) or `omit` (the "
                 "language switcher then leads to the default-language page)",
                 _reads("catalog"), choices=UNTRANSLATED_CHOICES),  # build_catalog decides the pages
    PluginOption("native_digits", bool, False, "numbers, prices and dates in each language's native digits "
                 "(Urdu ۱۲۳, Hindi १२३) instead of CLDR's default (Latin digits for ur and hi)",
                 _reads("render")),
    PluginOption("data_licence", str, "CC-BY-4.0", "the licence of the catalog's data, as an SPDX identifier: "
                 "the content API's entry point and OpenAPI description state it", _reads("render")),
    # The web editor (karigar.render.admin) and the pages' "Edit this page" links read these.
    PluginOption("editor_repo", str, "", "the Git host repository the web editor at /admin/ opens pull requests "
                 "on, `owner/name` on GitHub; empty: no editor and no edit links", _reads("render")),
    PluginOption("editor_branch", str, "main", "the branch the web editor's pull requests target",
                 _reads("render")),
    PluginOption("editor_auth_url", str, "", "the OAuth relay the web editor signs in through (e.g. a Sveltia CMS "
                 "Authenticator, `https://auth.example.workers.dev`); empty: Netlify's GitHub provider",
                 _reads("render")),
    PluginOption("editor_scope", list, (), "the catalog folders the web editor lists, `<country>` or "
                 "`<country>/<district>` (e.g. `pk/thatta`); empty: every country of the catalog",
                 _reads("render"), item=str),
)

# Values read from MkDocs' own settings (Settings attributes), and their consumers.
# Validation reads only the base path (photo URLs), not the host: moving the site
# to another domain keeps every validated entry.
SITE_VALUES: Final[Mapping[str, frozenset[str]]] = MappingProxyType({
    "site_name": _reads("render"),
    "site_url": _reads("render"),  # absolute URLs: canonical links, sitemaps, feeds
    "site_description": _reads("render"),
    "base_path": _reads("validation", "catalog", "render"),
    "docs_dir": _reads("catalog", "render"),  # content/ pages claim URLs; MkDocs renders them
    "theme_dir": _reads("render"),
})

_DECLARED: Final = {option.name: option for option in PLUGIN_OPTIONS}


def _declared(name: str) -> Any:
    """The declared default of an option whose resolved value has the same form."""
    return _DECLARED[name].default


@dataclass(frozen=True)
class Settings:
    """Everything a build reads from its configuration, resolved to absolute paths.

    One field per :data:`PLUGIN_OPTIONS` entry, under the same name (the
    fingerprints read them by name), plus MkDocs' own settings.
    """

    config_file: Path
    root: Path
    site_name: str
    site_url: str
    site_description: str
    docs_dir: Path
    site_dir: Path
    theme_dir: Path
    catalog_dir: Path
    templates_dir: Path
    cache_dir: Path
    languages: tuple[str, ...] = _declared("languages")
    per_page: int = _declared("per_page")
    folder_cap: int = _declared("folder_cap")
    featured_limit: int = _declared("featured_limit")
    upcoming_limit: int = _declared("upcoming_limit")
    media_hosts: tuple[str, ...] = _declared("media_hosts")
    photo_widths: tuple[int, ...] = _declared("photo_widths")
    photo_max_bytes: int = _declared("photo_max_bytes")
    photo_max_pixels: int = _declared("photo_max_pixels")
    image_cdn: str = ""  # resolved: "" (files) or "netlify"
    untranslated: str = _declared("untranslated")
    native_digits: bool = _declared("native_digits")
    data_licence: str = _declared("data_licence")
    editor_repo: str = _declared("editor_repo")
    editor_branch: str = _declared("editor_branch")
    editor_auth_url: str = _declared("editor_auth_url")
    editor_scope: tuple[str, ...] = _declared("editor_scope")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, always ending in ``/``."""
        path = urlsplit(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def reserved_slugs(self) -> frozenset[str]:
        return DEFAULT_RESERVED_SLUGS | frozenset(self.languages)

    def relative(self, path: Path) -> str:
        """Site-relative POSIX path, as diagnostics print it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def fingerprint(self) -> str:
        """A stable text of every setting that changes a result (for caches that depend on all of them).

        Only where the caches themselves are (``cache_dir``) is left out.
        """
        return self._fingerprint(lambda reads: bool(reads & _RESULT_CONSUMERS))

    def fingerprint_for(self, consumer: str) -> str:
        """A stable text of the settings ``consumer`` reads (one of :data:`CONSUMERS`), and no others.

        A cache of that consumer's results keyed by it is kept when any other
        setting changes: the entry cache (``"validation"``) survives a new
        ``per_page`` or ``photo_widths``.
        """
        if consumer not in CONSUMERS:
            raise ValueError(f"unknown settings consumer {consumer!r}; known: {', '.join(CONSUMERS)}")
        return self._fingerprint(lambda reads: consumer in reads)

    def _fingerprint(self, wanted: Callable[[frozenset[str]], bool]) -> str:
        # Named parts: two settings can never trade values unnoticed.  Paths are
        # site-relative, so a clone elsewhere on disk has the same fingerprint.
        return "\x1f".join(f"{name}={self._text(getattr(self, name))}" for name in self._names(wanted))

    @staticmethod
    def _names(wanted: Callable[[frozenset[str]], bool]) -> Iterator[str]:
        for option in PLUGIN_OPTIONS:
            if wanted(option.reads):
                yield option.name
        for name, reads in SITE_VALUES.items():
            if wanted(reads):
                yield name

    def _text(self, value: object) -> str:
        if isinstance(value, Path):
            return self.relative(value)
        if isinstance(value, tuple):
            return ",".join(map(str, value))
        return str(value)
