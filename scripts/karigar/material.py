"""The Material for MkDocs adapter: the only module that knows Material exists.

MkDocs renders ``content/`` with Material into a staging folder; while it
runs, Karigar's plugin hands this module Material's Jinja environment and
navigation, and the adapter renders ``theme/karigar-frame.html`` (which
extends Material's ``main.html``) once per language and tab into a
:class:`~karigar.render.look.Frame`.  Catalog pages are then wrapped in those
frames, so they share Material's header, tabs, palette and footer without
running Material's templates 350,000 times.  Replacing Material means
replacing this module and that one template.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from karigar.render.look import Frame

__all__ = ["BuildSession", "StagedSite", "render_frames", "run_mkdocs", "TAB_URLS", "FRAME_TEMPLATE", "MkDocsFailed"]

FRAME_TEMPLATE = "karigar-frame.html"
# Which nav link (by URL) is the active tab for each kind of catalog page.
TAB_URLS = {"showcase": "/", "crafts": "/crafts/", "regions": "/artisans/", "training": "/training/", "about": None}
# Files MkDocs writes that Karigar owns or turns off.
SKIPPED_OUTPUTS = frozenset({"sitemap.xml", "sitemap.xml.gz", "404.html"})


class MkDocsFailed(Exception):
    """MkDocs stopped (a content/ page or the theme is broken)."""


@dataclass
class BuildSession:
    """What a Karigar build lends the plugin for one MkDocs run, and what it gets back."""

    base_path: str
    languages: tuple[str, ...]
    training_box: Callable[[str], str | None]  # content src path -> box HTML, None if not a resource
    frames: dict[tuple[str, str], Frame] = field(default_factory=dict)


@dataclass(frozen=True)
class StagedSite:
    """MkDocs' output in staging: relative path -> file, to go through the write funnel."""

    root: Path
    files: tuple[str, ...]


def _tab_links(nav: Any) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for item in getattr(nav, "items", []):
        url = getattr(item, "url", None)
        for tab, tab_url in TAB_URLS.items():
            if tab_url is not None and url == tab_url:
                links[tab] = item
    return links


def mark_active_tab(nav: Any, tab: str | None) -> None:
    """Make one catalog tab (a nav link) active; MkDocs never marks links active itself."""
    for name, link in _tab_links(nav).items():
        link.active = name == tab


def render_frames(env: Any, config: Any, nav: Any, files: Any, *, base_path: str,
                  languages: tuple[str, ...]) -> dict[tuple[str, str], Frame]:
    """One frame per (language, tab), rendered by Material's own templates."""
    from mkdocs.commands.build import get_context

    frames: dict[tuple[str, str], Frame] = {}
    template = env.get_template(FRAME_TEMPLATE)
    for tab in TAB_URLS:
        mark_active_tab(nav, tab)
        # page=None makes MkDocs' `url` filter join paths to base_url: absolute
        # URLs that work at any depth of the catalog.
        context = get_context(nav, files, config, page=None, base_url=base_path.rstrip("/") or "/")
        html = template.render(context)
        frame = Frame.from_template_output(html)
        for lang in languages:
            frames[(lang, tab)] = frame
    mark_active_tab(nav, None)
    return frames


def run_mkdocs(config_file: Path, staging: Path, session: BuildSession) -> StagedSite:
    """Build ``content/`` with MkDocs into ``staging``; returns the files it wrote."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), site_dir=str(staging))
        plugin = config.plugins["karigar"]
        plugin.session = session  # type: ignore[attr-defined]
        build(config)
    except MkDocsException as exc:
        raise MkDocsFailed(str(exc)) from exc
    except SystemExit as exc:  # MkDocs aborts some errors this way
        raise MkDocsFailed(f"MkDocs stopped ({exc})") from exc
    files = sorted(
        path.relative_to(staging).as_posix()
        for path in staging.rglob("*")
        if path.is_file()
    )
    return StagedSite(staging, tuple(f for f in files if f not in SKIPPED_OUTPUTS))
