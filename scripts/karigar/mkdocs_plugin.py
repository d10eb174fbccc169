"""Karigar as a MkDocs plugin: its settings live under ``plugins: - karigar:``.

The plugin never builds a site on its own.  ``karigar build`` runs MkDocs
into a staging folder with a :class:`~karigar.material.BuildSession`
attached; a plain ``mkdocs build`` or ``mkdocs serve`` has none and stops
with a message naming ``karigar build``, so a site without its catalog is
never produced.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config
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
from karigar.settings import PLUGIN_OPTIONS, PluginOption

__all__ = ["KarigarPlugin", "KarigarPluginConfig", "DeclaredConfig", "config_option"]


def config_option(option: PluginOption) -> BaseConfigOption[Any]:
    """MkDocs' check of one declared option: its type, the type of a list's items, or its choices."""
    default = list(option.default) if option.item is not None else option.default  # MkDocs reads lists
    if option.choices:
        return c.Choice(option.choices, default=default)
    if option.item is not None:
        return c.ListOfItems(c.Type(option.item), default=default)
    return c.Type(option.kind, default=default)


class DeclaredConfig(Config):
    """A MkDocs config scheme made from :class:`~karigar.settings.PluginOption` declarations.

    MkDocs collects a scheme's options from the class's own namespace when the
    class is made (``Config.__init_subclass__``), so a subclass names its
    declarations (``class X(DeclaredConfig, options=...)``) and they are put
    there first, each under its declared name.
    """

    def __init_subclass__(cls, /, options: tuple[PluginOption, ...] = (), **kwargs: Any) -> None:
        for option in options:
            entry = config_option(option)
            entry.__set_name__(cls, option.name)  # what a class statement would have done
            setattr(cls, option.name, entry)
        super().__init_subclass__(**kwargs)


class KarigarPluginConfig(DeclaredConfig, options=PLUGIN_OPTIONS):
    """The plugin's settings as MkDocs checks them: exactly :data:`~karigar.settings.PLUGIN_OPTIONS`.

    Karigar itself reads them with located errors (:func:`karigar.config.load_settings`);
    this scheme only lets MkDocs accept the plugin's entry.
    """


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
        translated = self._translated.get(src, set())
        if session.multilingual and content_url is not None:
            # Rendered one page at a time: the per-page values are set just before each render.
            config.extra["alternate"] = page_alternates(session, src, translated)
            context["karigar_languages"] = switcher(session, lambda code: content_url(src, code)[0])
            if src in self._fallbacks:
                # Search engines get the default-language page as the original of this copy, and the
                # sitemaps leave the copy out (they list canonical pages only).
                page.canonical_url = session.absolute(content_url(src, session.languages[0])[0])
                session.copies.append(page.file.dest_uri)
        if session.page_head is not None:
            # Sharing tags and structured data, written by main.html into the page's head (a copy's URL is
            # its canonical page's, set above).
            # (on_page_markdown escaped the page's own title and description: the head escapes them itself.)
            title, description = (Markup(value).unescape() if isinstance(value, Markup) else str(value or "")
                                  for value in (page.title, page.meta.get("description")))
            context["karigar_head"] = session.page_head(
                src, title, description, page.canonical_url or "",
                sorted(translated | {session.languages[0]}) if session.multilingual else ())
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
