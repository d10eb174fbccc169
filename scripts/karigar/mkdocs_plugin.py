"""Karigar as a MkDocs plugin: its settings live under ``plugins: - karigar:``.

The plugin never builds a site on its own.  ``karigar build`` runs MkDocs
into a staging folder with a :class:`~karigar.material.BuildSession`
attached; a plain ``mkdocs build`` or ``mkdocs serve`` has none and stops
with a message naming ``karigar build``, so a site without its catalog is
never produced.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from karigar.material import BuildSession, mark_active_tab, render_frames

__all__ = ["KarigarPlugin", "KarigarPluginConfig"]


class KarigarPluginConfig(Config):
    # Mirrors karigar.config.PLUGIN_OPTIONS (read there with located errors).
    languages = c.ListOfItems(c.Type(str), default=["en"])
    catalog_dir = c.Type(str, default="artisans")
    templates_dir = c.Type(str, default="theme/karigar")
    cache_dir = c.Type(str, default=".karigar-cache")
    per_page = c.Type(int, default=50)
    folder_cap = c.Type(int, default=50_000)
    featured_limit = c.Type(int, default=12)
    upcoming_limit = c.Type(int, default=4)
    media_hosts = c.ListOfItems(c.Type(str), default=[])
    photo_widths = c.ListOfItems(c.Type(int), default=[320, 640, 1024])
    photo_max_bytes = c.Type(int, default=15_000_000)
    photo_max_pixels = c.Type(int, default=40_000_000)
    image_cdn = c.Choice(("none", "netlify", "auto"), default="none")


class KarigarPlugin(BasePlugin[KarigarPluginConfig]):
    def __init__(self) -> None:
        self.session: BuildSession | None = None
        self._nav: Any = None

    def on_config(self, config: Any) -> Any:
        if self.session is None:
            raise PluginError(
                "This site's catalog (artisans/) is built by Karigar: run `karigar build` "
                "(or `make build`) instead of `mkdocs build`, and `karigar serve` instead of `mkdocs serve`."
            )
        return config

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self._nav = nav
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        assert self.session is not None
        self.session.frames = render_frames(
            env, config, self._nav, files, base_path=self.session.base_path, languages=self.session.languages
        )
        return env

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        # Training resources are not in the nav; their tab is still Training.
        if page.file.src_uri.startswith("training/"):
            mark_active_tab(nav, "training")
        else:
            mark_active_tab(nav, None)
        return context

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        # Material writes page.meta's title and description into the HTML without
        # escaping (MkDocs' environment has autoescape off); Karigar's validation
        # already refused `<` and `>` there, and escaping here is the second wall.
        for key in ("title", "description"):
            value = page.meta.get(key)
            if isinstance(value, str):
                page.meta[key] = escape(value)
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        assert self.session is not None
        box = self.session.training_box(page.file.src_uri)
        return box + html if box else html
