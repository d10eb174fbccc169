"""Reading ``mkdocs.yml`` into :class:`~karigar.settings.Settings`, with located errors.

Karigar's own settings live under its plugin entry (``plugins: - karigar:
{...}``); a few MkDocs settings (site name and URL, ``docs_dir``,
``site_dir``, ``theme.custom_dir``) are read too, so one file configures both.
The options and their checks are declared once, in
:data:`karigar.settings.PLUGIN_OPTIONS`; this module applies them to the
file's YAML nodes, so every problem points at its line and column.  Code reads
attributes of :class:`Settings`, never keys.

The declarations and :class:`Settings` are re-exported here: ``karigar.config``
is where commands and tests have always found them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from karigar.diagnostics import DiagnosticSink, Location, did_you_mean
from karigar.load.frontmatter import decode_source
from karigar.load.nodes import Map, Node, Scalar, Seq
from karigar.load.yamlsrc import parse_yaml
from karigar.settings import (
    DEFAULT_RESERVED_SLUGS,
    IMAGE_CDN_CHOICES,
    PLUGIN_OPTIONS,
    UNTRANSLATED_CHOICES,
    PluginOption,
    Settings,
)

__all__ = [
    "Settings",
    "PluginOption",
    "PLUGIN_OPTIONS",
    "IMAGE_CDN_CHOICES",
    "UNTRANSLATED_CHOICES",
    "load_settings",
    "DEFAULT_RESERVED_SLUGS",
]

_LANG_RE = re.compile(r"^[a-z]{2,3}$")
# GitHub's owner and repository names: letters, digits, `-`, `_` and `.`.
_EDITOR_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
_EDITOR_SCOPE_RE = re.compile(r"^[a-z]{2}(/[a-z0-9]+(-[a-z0-9]+)*)?$")


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


def _problem(option: PluginOption, node: Node) -> tuple[str, Node] | None:
    """What is wrong with ``node`` as a value of ``option`` (per its declaration), and where; None if nothing."""
    value = _plain(node)
    if option.item is not None:  # a list: the list itself, then each item
        if not isinstance(node, Seq):
            return f"must be a {option.type_name} ({option.help}), found {value!r}", node
        for item in node.items:
            if not _fits(_plain(item), option.item):
                return f"must be a {option.type_name} ({option.help}), found the item {_plain(item)!r}", item
        return None
    if not _fits(value, option.kind):
        return f"must be {option.type_name} ({option.help}), found {value!r}", node
    if option.choices and value not in option.choices:
        return f"must be {option.type_name}, found {value!r}", node
    return None


def _fits(value: object, kind: type) -> bool:
    # YAML booleans are Python ints, but `per_page: true` is not a number.  Counts and sizes are at least 1.
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return isinstance(value, kind)


def _read_options(node: Node | None, path: str, sink: DiagnosticSink) -> tuple[dict[str, Any], dict[str, Node]]:
    """The plugin's options (defaults where not written) and the nodes of those written, for later checks."""
    values = {opt.name: opt.default for opt in PLUGIN_OPTIONS}
    nodes: dict[str, Node] = {}
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return values, nodes
    if not isinstance(node, Map):
        sink.error("config", "the `karigar` plugin settings must be a mapping", Location(path, node.line, node.col))
        return values, nodes
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
        problem = _problem(option, value_node)
        if problem is not None:
            message, where = problem
            sink.error("config-type", f"setting `{name}` {message}", Location(path, where.line, where.col))
            continue
        values[name] = _plain(value_node)
        nodes[name] = value_node
    return values, nodes


def load_settings(config_file: Path, *, sink: DiagnosticSink) -> Settings | None:
    """Read ``mkdocs.yml``; problems go to ``sink`` and None is returned on errors."""
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
    options, nodes = _read_options(plugin_node, path, sink)
    plugin_at = Location(path, plugin_loc.line, plugin_loc.col)

    def where(name: str) -> Location:
        """The option's value if it was written, else the plugin's entry."""
        found = nodes.get(name)
        return Location(path, found.line, found.col) if found is not None else plugin_at

    languages = tuple(options["languages"])
    for code in languages:
        if not _LANG_RE.match(code):
            sink.error("config-language", f"language `{code}` must be a 2-3 letter code such as en, ur, hi",
                       where("languages"))
    if not languages:
        sink.error("config-language", "`languages` needs at least one language", where("languages"))
    widths = options["photo_widths"]
    if not widths or not all(16 <= w <= 4096 for w in widths):
        sink.error("config-type", f"setting `photo_widths` must be a list of widths from 16 to 4096 px, found "
                   f"{list(widths)!r}", where("photo_widths"))
    if options["editor_repo"] and not _EDITOR_REPO_RE.match(options["editor_repo"]):
        sink.error("config-type", f"setting `editor_repo` must be `owner/name` (a GitHub repository), found "
                   f"{options['editor_repo']!r}", where("editor_repo"))
    if not options["editor_branch"].strip():
        sink.error("config-type", "setting `editor_branch` must name a branch", where("editor_branch"))
    if options["editor_auth_url"] and not options["editor_auth_url"].startswith("https://"):
        sink.error("config-type", f"setting `editor_auth_url` must be an https:// address, found "
                   f"{options['editor_auth_url']!r}", where("editor_auth_url"))
    for scope in options["editor_scope"]:
        if not _EDITOR_SCOPE_RE.match(scope):
            sink.error("config-type", f"setting `editor_scope` must list catalog folders `<country>` or "
                       f"`<country>/<district>` (e.g. `pk/thatta`), found {scope!r}", where("editor_scope"))
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
        media_hosts=tuple(h.lower() for h in options["media_hosts"]),
        photo_widths=tuple(sorted(set(options["photo_widths"]))),
        photo_max_bytes=options["photo_max_bytes"],
        photo_max_pixels=options["photo_max_pixels"],
        # Netlify sets NETLIFY=true in its builds: `auto` keeps local builds self-contained.
        image_cdn="netlify" if options["image_cdn"] == "netlify" or (
            options["image_cdn"] == "auto" and os.environ.get("NETLIFY") == "true") else "",
        native_digits=options["native_digits"],
        data_licence=options["data_licence"],
        untranslated=options["untranslated"],
        editor_repo=options["editor_repo"],
        editor_branch=options["editor_branch"].strip(),
        editor_auth_url=options["editor_auth_url"].rstrip("/"),
        editor_scope=tuple(dict.fromkeys(options["editor_scope"])),
        extra=plain.get("extra") if isinstance(plain.get("extra"), dict) else {},
    )
