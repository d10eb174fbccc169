"""Typed site settings, read from ``mkdocs.yml``.

Karigar's own settings live under its plugin entry (``plugins: - karigar:
{...}``); a few MkDocs settings (site name and URL, ``docs_dir``,
``site_dir``, ``theme.custom_dir``) are read too, so one file configures both.
The settings are declared once, in :data:`PLUGIN_OPTIONS`, which the MkDocs
plugin reuses as its ``config_scheme``; code reads attributes, never keys.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from karigar.diagnostics import DiagnosticSink, Location, did_you_mean
from karigar.load.nodes import Map, Node, Scalar, Seq

__all__ = ["Settings", "PluginOption", "PLUGIN_OPTIONS", "load_settings", "DEFAULT_RESERVED_SLUGS"]

DEFAULT_RESERVED_SLUGS = frozenset({"page", "photos", "products", "api", "search", "assets"})
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class PluginOption:
    name: str
    kind: type
    default: Any
    help: str


# The one declaration of Karigar's settings (also the MkDocs plugin's config_scheme).
PLUGIN_OPTIONS: tuple[PluginOption, ...] = (
    PluginOption("languages", list, ["en"], "site languages; the first is the default"),
    PluginOption("catalog_dir", str, "artisans", "folder of the catalog, relative to mkdocs.yml"),
    PluginOption("templates_dir", str, "theme/karigar", "the catalog's Jinja2 templates"),
    PluginOption("cache_dir", str, ".karigar-cache", "build state and staging, never published"),
    PluginOption("per_page", int, 50, "items per listing page"),
    PluginOption("folder_cap", int, 50_000, "most entries one output folder may hold"),
    PluginOption("featured_limit", int, 12, "featured artisans on the home page, and products in its grid "
                 "(featured products first, then the newest by `added`)"),
    PluginOption("media_hosts", list, [], "https hosts allowed for photos not kept in Git"),
    PluginOption("upcoming_limit", int, 4, "upcoming trainings on the home page"),
    PluginOption("photo_widths", list, [320, 640, 1024], "widths (px) of the responsive photo variants; "
                 "the largest also caps the published original"),
    PluginOption("photo_max_bytes", int, 15_000_000, "largest photo file accepted, in bytes"),
    PluginOption("photo_max_pixels", int, 40_000_000, "largest photo accepted, in pixels (width x height)"),
    PluginOption("image_cdn", str, "none", "`none`: the build makes every photo variant; `netlify`: "
                 "variants come from Netlify Image CDN; `auto`: netlify when building on Netlify"),
    PluginOption("untranslated", str, "render", "artisan and product pages in a language they are not "
                 "translated into: `render` (interface translated, text marked as a fallback) or `omit` (the "
                 "language switcher then leads to the default-language page)"),
    PluginOption("native_digits", bool, False, "numbers, prices and dates in each language's native digits "
                 "(Urdu ۱۲۳, Hindi १२३) instead of CLDR's default (Latin digits for ur and hi)"),
)
IMAGE_CDN_CHOICES = ("none", "netlify", "auto")
UNTRANSLATED_CHOICES = ("render", "omit")


@dataclass(frozen=True)
class Settings:
    """Everything a build reads from its configuration, resolved to absolute paths."""

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
    languages: tuple[str, ...] = ("en",)
    per_page: int = 50
    folder_cap: int = 50_000
    featured_limit: int = 12
    upcoming_limit: int = 4
    media_hosts: tuple[str, ...] = ()
    photo_widths: tuple[int, ...] = (320, 640, 1024)
    photo_max_bytes: int = 15_000_000
    photo_max_pixels: int = 40_000_000
    image_cdn: str = ""  # resolved: "" (files) or "netlify"
    untranslated: str = "render"  # artisan and product pages in a language they are not translated into
    native_digits: bool = False
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
        """A stable text of every setting that changes output (for incremental builds)."""
        parts = [
            self.site_name, self.site_url, self.site_description, ",".join(self.languages),
            str(self.per_page), str(self.folder_cap), str(self.featured_limit),
            str(self.upcoming_limit), ",".join(self.media_hosts),
            ",".join(map(str, self.photo_widths)), self.image_cdn, str(self.native_digits), self.untranslated,
        ]
        return "\x1f".join(parts)


def _plain(node: Node | None) -> Any:
    """A YAML node as plain Python data (settings only; content never goes through here)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [_plain(item) for item in node.items]
    return {key: _plain(value) for key, (_, value) in node.entries.items()}


def _find_plugin_entry(root: Map) -> tuple[Node | None, Location | None]:
    plugins = root.get("plugins")
    if isinstance(plugins, Seq):
        for item in plugins.items:
            if isinstance(item, Scalar) and item.text == "karigar":
                return None, Location("", item.line, item.col)
            if isinstance(item, Map) and "karigar" in item.entries:
                key, value = item.entries["karigar"]
                return value, Location("", key.line, key.col)
    elif isinstance(plugins, Map) and "karigar" in plugins.entries:
        key, value = plugins.entries["karigar"]
        return value, Location("", key.line, key.col)
    return None, None


def _read_options(node: Node | None, path: str, sink: DiagnosticSink) -> dict[str, Any]:
    values = {opt.name: opt.default for opt in PLUGIN_OPTIONS}
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return values
    if not isinstance(node, Map):
        sink.error("config", "the `karigar` plugin settings must be a mapping", Location(path, node.line, node.col))
        return values
    known = {opt.name: opt for opt in PLUGIN_OPTIONS}
    for name, (key, value_node) in node.entries.items():
        option = known.get(name)
        if option is None:
            sink.error(
                "config-unknown-key",
                f"unknown Karigar setting `{name}`{did_you_mean(name, known)}",
                Location(path, key.line, key.col),
            )
            continue
        value = _plain(value_node)
        ok = isinstance(value, option.kind) and not (option.kind is int and isinstance(value, bool))
        if option.kind is int and ok and value < 1:
            ok = False
        if not ok:
            sink.error(
                "config-type",
                f"setting `{name}` must be {option.kind.__name__} ({option.help}), found {value!r}",
                Location(path, value_node.line, value_node.col),
            )
            continue
        values[name] = value
    return values


def load_settings(config_file: Path, *, sink: DiagnosticSink) -> Settings | None:
    """Read ``mkdocs.yml``; problems go to ``sink`` and None is returned on errors."""
    from karigar.load.frontmatter import decode_source
    from karigar.load.yamlsrc import parse_yaml

    config_file = config_file.resolve()
    root = config_file.parent
    path = config_file.name
    try:
        data = config_file.read_bytes()
    except OSError as exc:
        sink.error("config-missing", f"cannot read the configuration: {exc.strerror}", Location(path))
        return None
    source = decode_source(data, path=path, sink=sink)
    if source is None:
        return None
    # mkdocs.yml may carry MkDocs' `!!python/name:` tags; they are kept as text here.
    node = parse_yaml(source.text, path=path, sink=sink, allow_tags=True)
    if not isinstance(node, Map):
        if node is not None:
            sink.error("config", "mkdocs.yml must be a mapping", Location(path, 1, 1))
        return None
    plugin_node, plugin_loc = _find_plugin_entry(node)
    if plugin_loc is None:
        sink.error(
            "config-plugin-missing",
            "mkdocs.yml does not enable the `karigar` plugin",
            Location(path, 1, 1),
            hint="add `plugins: [karigar]` (its settings go under it)",
        )
        return None
    options = _read_options(plugin_node, path, sink)
    languages = tuple(str(code) for code in options["languages"])
    for code in languages:
        if not _LANG_RE.match(code):
            sink.error("config-language", f"language `{code}` must be a 2-3 letter code such as en, ur, hi",
                       Location(path, plugin_loc.line, plugin_loc.col))
    widths = options["photo_widths"]
    if not widths or not all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 4096 for w in widths):
        sink.error("config-type", f"setting `photo_widths` must be a list of widths from 16 to 4096 px, found {widths!r}",
                   Location(path, plugin_loc.line, plugin_loc.col))
    if options["untranslated"] not in UNTRANSLATED_CHOICES:
        sink.error("config-type", f"setting `untranslated` must be one of {', '.join(UNTRANSLATED_CHOICES)}, "
                   f"found {options['untranslated']!r}", Location(path, plugin_loc.line, plugin_loc.col))
    if options["image_cdn"] not in IMAGE_CDN_CHOICES:
        sink.error("config-type", f"setting `image_cdn` must be one of {', '.join(IMAGE_CDN_CHOICES)}, "
                   f"found {options['image_cdn']!r}", Location(path, plugin_loc.line, plugin_loc.col))
    if not languages:
        sink.error("config-language", "`languages` needs at least one language", Location(path, plugin_loc.line, plugin_loc.col))
    plain = _plain(node)
    theme = plain.get("theme") or {}
    custom_dir = theme.get("custom_dir", "theme") if isinstance(theme, dict) else "theme"
    site_url = str(plain.get("site_url") or "http://127.0.0.1:8000/")
    if sink.has_errors:
        return None
    return Settings(
        config_file=config_file,
        root=root,
        site_name=str(plain.get("site_name") or "Karigar"),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        site_description=str(plain.get("site_description") or ""),
        docs_dir=root / str(plain.get("docs_dir") or "docs"),
        site_dir=root / str(plain.get("site_dir") or "site"),
        theme_dir=root / str(custom_dir),
        catalog_dir=root / options["catalog_dir"],
        templates_dir=root / options["templates_dir"],
        cache_dir=root / options["cache_dir"],
        languages=languages,
        per_page=options["per_page"],
        folder_cap=options["folder_cap"],
        featured_limit=options["featured_limit"],
        upcoming_limit=options["upcoming_limit"],
        media_hosts=tuple(str(h).lower() for h in options["media_hosts"]),
        photo_widths=tuple(sorted(set(options["photo_widths"]))),
        photo_max_bytes=options["photo_max_bytes"],
        photo_max_pixels=options["photo_max_pixels"],
        # Netlify sets NETLIFY=true in its builds: `auto` keeps local builds self-contained.
        image_cdn="netlify" if options["image_cdn"] == "netlify" or (
            options["image_cdn"] == "auto" and os.environ.get("NETLIFY") == "true") else "",
        native_digits=options["native_digits"],
        untranslated=options["untranslated"],
        extra=plain.get("extra") if isinstance(plain.get("extra"), dict) else {},
    )
