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

from karigar.material import (
    BuildSession,
    configure_language,
    fallback_content,
    localize_files,
    localize_nav,
    mark_active_tab,
    page_alternates,
    render_frames,
    share_compiled_templates,
    switcher,
    tab_links,
    with_root_direction,
)

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
    untranslated = c.Choice(("render", "omit"), default="render")
    native_digits = c.Type(bool, default=False)


class KarigarPlugin(BasePlugin[KarigarPluginConfig]):
    def __init__(self) -> None:
        self.session: BuildSession | None = None
        self._nav: Any = None
        self._tabs: dict[str, Any] = {}
        self._translated: dict[str, set[str]] = {}  # page -> languages it is translated into
        self._fallbacks: set[str] = set()  # pages this run shows in the default language

    def on_config(self, config: Any) -> Any:
        if self.session is None:
            raise PluginError(
                "This site's catalog (artisans/) is built by Karigar: run `karigar build` "
                "(or `make build`) instead of `mkdocs build`, and `karigar serve` instead of `mkdocs serve`."
            )
        configure_language(config, self.session)
        return config

    def on_files(self, files: Any, *, config: Any) -> Any:
        assert self.session is not None
        files, self._translated, self._fallbacks = localize_files(files, config, self.session)
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        assert self.session is not None
        self._nav = nav
        self._tabs = tab_links(nav)  # found by their default-language URLs, before localizing
        if self.session.multilingual:
            localize_nav(nav, self.session)
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        assert self.session is not None
        share_compiled_templates(env)
        self.session.frames = render_frames(env, config, self._nav, files, session=self.session, tabs=self._tabs)
        return env

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        assert self.session is not None
        session = self.session
        src = page.file.src_uri
        # Training resources are not in the nav; their tab is still Training.
        mark_active_tab(self._tabs, "training" if src.startswith("training/") else None)
        content_url = session.content_url
        if session.multilingual and content_url is not None:
            # Rendered one page at a time: the per-page values are set just before each render.
            translated = self._translated.get(src, set())
            config.extra["alternate"] = page_alternates(session, src, translated)
            context["karigar_languages"] = switcher(session, lambda code: content_url(src, code)[0])
            if src in self._fallbacks:
                # Search engines get the default-language page as the original of this copy.
                page.canonical_url = session.absolute(content_url(src, session.languages[0])[0])
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
        box = self.session.training_box(page.file.src_uri) or ""
        if page.file.src_uri in self._fallbacks:
            # The box is Karigar's, in this page's language: outside the default-language text.
            own_title = page.meta.get("title")  # else the title is the nav's: interface text
            return fallback_content(html, session=self.session, before=box,
                                    title=own_title if own_title and page.title == own_title else "")
        return box + html

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        assert self.session is not None
        return with_root_direction(output, self.session.direction)
