"""The Material for MkDocs adapter: the only module that knows Material exists.

MkDocs renders ``content/`` with Material into a staging folder, once per
site language (``theme.language`` set to it, so Material's own translation
and right-to-left layout apply); while it runs, Karigar's plugin hands this
module Material's Jinja environment and navigation, and the adapter renders
``theme/karigar-frame.html`` (which extends Material's ``main.html``) once per
tab into a :class:`~karigar.frame.Frame` of that language.  Catalog
pages are then wrapped in those frames, so they share Material's header,
tabs, palette and footer without running Material's templates 350,000 times.
Replacing Material means replacing this module, that template and the
partials under ``theme/partials/``.

A run for a language other than the default renders only the pages (each
``<page>.<lang>.md``, or the default-language page as a marked fallback) at
that language's URLs; Material's assets are the default run's, shared.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import escape

from karigar.errors import MkDocsFailed
from karigar.frame import Frame, compact_whitespace, link_slot

__all__ = [
    "BuildSession", "StagedSite", "FallbackNotice", "MkDocsFailed", "run_mkdocs", "language_area",
    "TAB_URLS", "TAB_TITLES", "PALETTE_TOGGLES", "FRAME_TEMPLATE",
    # the plugin's steps, in the order MkDocs calls them
    "configure_language", "localize_files", "tab_links", "localize_nav", "share_compiled_templates",
    "render_frames", "mark_active_tab", "page_alternates", "switcher", "fallback_content", "with_root_direction",
    "compact_whitespace", "icon_sprite", "ICON_SPRITE",
]

FRAME_TEMPLATE = "karigar-frame.html"
# The frame's icons, one file for every page (theme/partials/karigar-icon.html), written by the default run.
ICON_SPRITE = "assets/karigar/icons.svg"
# Which nav link (by URL, in the default language) is the active tab for each kind of catalog page.
TAB_URLS = {"showcase": "/", "crafts": "/crafts/", "regions": "/artisans/", "training": "/training/", "about": None}


def N_(message: str) -> str:
    """Marks a string for the interface catalogs without translating it here."""
    return message


# The tabs' titles in the sample's nav (mkdocs.yml), translated per language at run
# time (localize_nav); marked so that message extraction puts them in the catalogs.
TAB_TITLES = (N_("Showcase"), N_("Crafts"), N_("Regions"), N_("Training"), N_("About"))
# The palette toggles' names in the sample's mkdocs.yml (each page's header reads them out),
# translated in configure_language.
PALETTE_TOGGLES = (N_("Switch to dark mode"), N_("Switch to light mode"))

# Files MkDocs writes that Karigar owns or turns off.
SKIPPED_OUTPUTS = frozenset({"sitemap.xml", "sitemap.xml.gz", "404.html"})
_HTML_LANG = re.compile(r'<html\b[^>]*?\blang="[^"]*"')


@dataclass(frozen=True)
class FallbackNotice:
    """The notice over a page shown in the default language: its text and the language that text is in."""

    text: str
    lang: str
    dir: str = "ltr"


@dataclass
class BuildSession:
    """What a Karigar build lends the plugin for one MkDocs run (one language), and what it gets back.

    ``languages`` are the site's, default first; ``lang`` is this run's (empty:
    the default).  The callables come from the catalog's routes, so MkDocs'
    pages sit where the route table claimed them.
    """

    base_path: str
    languages: tuple[str, ...]
    training_box: Callable[[str], str | None]  # content src path -> box HTML, None if not a resource
    # (content src path, title, description, canonical URL, languages it is translated into) -> the
    # page's sharing tags and structured data (HTML for its head)
    page_head: Callable[[str, str, str, str, Collection[str]], str] | None = None
    lang: str = ""
    language_names: Mapping[str, str] = field(default_factory=dict)  # code -> the language's own name
    direction: str = ""  # of this run's language; empty leaves it to Material
    default_direction: str = "ltr"  # of the default language (its text shown as a fallback)
    content_url: Callable[[str, str], tuple[str, str]] | None = None  # (src in content/, lang) -> (url, output)
    localize: Callable[[str, str], str] | None = None  # (default-language site URL, lang) -> URL in lang
    absolute: Callable[[str], str] = str  # site URL -> URL with the site's origin
    translate: Callable[[str], str] = str  # interface text (tab titles) in this run's language
    notice: FallbackNotice | None = None
    frames: dict[tuple[str, str], Frame] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)  # outputs of this run's pages (filled by the plugin)
    copies: list[str] = field(default_factory=list)  # those that show the default language's page (not canonical)
    icons: str = ""  # the frame's icon sprite (ICON_SPRITE), made from the theme's icons by configure_language
    search_url: str = ""  # this run's language's search page: the header's search box sends there

    @property
    def run_lang(self) -> str:
        return self.lang or self.languages[0]

    @property
    def is_default(self) -> bool:
        return self.run_lang == self.languages[0]

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1


@dataclass(frozen=True)
class StagedSite:
    """MkDocs' output in staging: relative path -> file, to go through the write funnel."""

    root: Path
    files: tuple[str, ...]
    copies: tuple[str, ...] = ()  # pages shown in the default language, canonical there: in no sitemap


# -- languages ------------------------------------------------------------------

def configure_language(config: Any, session: BuildSession) -> None:
    """Make this MkDocs run speak the session's language (Material's translation and direction)."""
    theme = config.theme
    lang = session.run_lang
    if any(os.path.isfile(os.path.join(d, "partials", "languages", f"{lang}.html")) for d in theme.dirs):
        theme["language"] = lang
    else:  # Material has no translation for it: keep its interface, still set the direction
        logging.getLogger("mkdocs").warning("Material has no interface translation for %r", lang)
    if session.direction:
        theme["direction"] = session.direction
    for option in theme.get("palette") or ():
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if isinstance(toggle, dict) and isinstance(toggle.get("name"), str):
            toggle["name"] = session.translate(toggle["name"])
    if not session.is_default:
        _list_no_theme_files(theme)
    if session.search_url:
        config.extra["karigar_search"] = {
            "url": session.search_url, "label": session.translate("Search"),
            "placeholder": session.translate("Search"), "button": session.translate("Search"),
        }
    names = _frame_icon_names(theme, multilingual=session.multilingual, search=bool(session.search_url))
    session.icons, viewboxes = icon_sprite(names, theme.dirs)
    config.extra["karigar_icons"] = {
        "href": session.base_path + ICON_SPRITE, "viewboxes": viewboxes,
        "ids": {name: _symbol_id(name) for name in viewboxes},
    }
    if session.multilingual:
        # Material's header shows its language selector (our partial) when this is set;
        # entries become the page's hreflang links (see page_alternates).
        config.extra["alternate"] = [{"lang": lang, "link": session.base_path}]
        if not session.is_default and session.localize is not None:
            config.extra["homepage"] = session.localize(session.base_path, lang)


def _frame_icon_names(theme: Any, *, multilingual: bool, search: bool = False) -> list[str]:
    """The icons the catalog frame shows, by Material's names (its defaults where the theme sets none)."""
    icons = theme.get("icon") or {}
    names = [] if theme.get("logo") else [icons.get("logo") or "material/library"]
    names.append(icons.get("menu") or "material/menu")
    for option in theme.get("palette") or ():
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if isinstance(toggle, dict) and isinstance(toggle.get("icon"), str):
            names.append(toggle["icon"])
    if multilingual:
        names.append(icons.get("alternate") or "material/translate")
    if search:
        names.append("material/magnify")
    return list(dict.fromkeys(names))


_SVG = re.compile(r"<svg\b([^>]*)>(.*)</svg>\s*$", re.S)
_VIEWBOX = re.compile(r'\bviewBox="([^"<>&]*)"')


def _symbol_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)


def icon_sprite(names: list[str], dirs: list[str]) -> tuple[str, dict[str, str]]:
    """One SVG file holding each named icon as a ``<symbol>``, and the view box of each icon it holds.

    Icons are read where the theme's templates find them (``.icons/<name>.svg``
    in the theme's folders, the custom folder first), so the sprite draws
    exactly what Material would have inlined.  An icon not found, or without a
    view box, is left out: the frame then includes it inline.
    """
    symbols: list[str] = []
    viewboxes: dict[str, str] = {}
    for name in names:
        for folder in dirs:
            path = os.path.join(folder, ".icons", f"{name}.svg")
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    svg = _SVG.search(handle.read())
                box = _VIEWBOX.search(svg.group(1)) if svg else None
                if svg and box:
                    viewboxes[name] = box.group(1)
                    symbols.append(f'<symbol id="{_symbol_id(name)}" viewBox="{box.group(1)}">{svg.group(2)}</symbol>')
                break
    sprite = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n" if symbols else ""
    return sprite, viewboxes


def _list_no_theme_files(theme: Any) -> None:
    """Spare a non-default run the listing of Material's ~14,000 theme files (half of its time).

    MkDocs lists them to publish the static ones; only the default run
    publishes those (:func:`localize_files` drops them from the other runs),
    and nothing else asks the environment for its list of templates.
    """
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.list_templates = lambda extensions=None, filter_func=None: []  # type: ignore[method-assign]
        return env

    theme.get_env = get_env


def with_root_direction(html: str, direction: str) -> str:
    """``<html lang=..>`` with ``dir`` too: Material sets it on ``<body>`` only."""
    if not direction:
        return html
    match = _HTML_LANG.search(html, 0, 2000)
    if match is None or " dir=" in match.group(0):
        return html
    return f'{html[:match.end()]} dir="{direction}"{html[match.end():]}'


def switcher(session: BuildSession, href_of: Callable[[str], str]) -> list[dict[str, Any]]:
    """The language switcher's options (``karigar_languages`` in ``theme/partials/alternate.html``)."""
    return [
        {"lang": code, "name": session.language_names.get(code, code), "href": href_of(code),
         "current": code == session.run_lang}
        for code in session.languages
    ]


def page_alternates(session: BuildSession, src_uri: str, translated: set[str]) -> list[dict[str, str]]:
    """Material's ``extra.alternate`` for one page: hreflang links to real translations and x-default."""
    assert session.content_url is not None
    out = []
    for code in session.languages:
        if code == session.languages[0] or code in translated:
            out.append({"lang": code, "link": session.absolute(session.content_url(src_uri, code)[0])})
    out.append({"lang": "x-default", "link": out[0]["link"]})
    return out


def fallback_content(html: str, *, session: BuildSession, before: str = "", title: str = "") -> str:
    """A page's default-language text inside a page of another language, after the notice and ``before``.

    The text is marked with its language so screen readers and fonts switch.
    ``title``, the default-language page's own title, becomes the heading
    (marked too) when the text has none: Material would add it unmarked.
    """
    default = session.languages[0]
    heading = ""
    if title and "<h1" not in html:
        heading = f'<h1 lang="{escape(default)}" dir="{escape(session.default_direction)}">{escape(title)}</h1>\n'
    notice = ""
    if session.notice is not None:
        n = session.notice
        notice = (f'<div class="admonition note karigar-untranslated" role="note" lang="{escape(n.lang)}" '
                  f'dir="{escape(n.dir)}"><p>{escape(n.text)}</p></div>\n')
    wrapper = f'<div class="karigar-fallback" lang="{escape(default)}" dir="{escape(session.default_direction)}">'
    return f"{heading}{notice}{before}{wrapper}\n{html}\n</div>"


# -- files and navigation -------------------------------------------------------

def _split_translation(src_uri: str, languages: tuple[str, ...]) -> tuple[str, str]:
    """``training/x.ur.md`` -> (``training/x.md``, ``ur``); ("", "") when not a translation."""
    stem, dot, ext = src_uri.rpartition(".")
    base, dot2, code = stem.rpartition(".")
    if dot and dot2 and code in languages and "/" not in code:
        return f"{base}.{ext}", code
    return "", ""


def localize_files(files: Any, config: Any, session: BuildSession) -> tuple[Any, dict[str, set[str]], set[str]]:
    """This run's files: translations in place of their pages, at this language's URLs.

    Returns the files, the languages each page is translated into, and the
    pages this run shows in the default language (fallbacks).  A run for
    another language than the default drops Material's and the theme's
    static files: the default run publishes them once for every language.
    """
    from mkdocs.structure.files import File

    translations: dict[str, dict[str, File]] = {}
    for file in list(files):
        if not file.is_documentation_page():
            continue
        page, code = _split_translation(file.src_uri, session.languages)
        if code:
            translations.setdefault(page, {})[code] = file
            files.remove(file)
    translated = {page: set(by_lang) for page, by_lang in translations.items()}
    fallbacks: set[str] = set()
    if session.is_default:
        return files, translated, fallbacks
    assert session.content_url is not None
    docs = os.path.abspath(config.docs_dir)
    lang = session.run_lang
    for file in list(files):
        if not file.is_documentation_page():
            if not (file.abs_src_path or "").startswith(docs + os.sep):
                files.remove(file)  # a theme file: shared with the default run's output
            continue
        # Same src_uri, so nav entries and links between pages find this language's page.
        moved = File(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls,
                     dest_uri=session.content_url(file.src_uri, lang)[1])
        translation = translations.get(file.src_uri, {}).get(lang)
        if translation is not None:
            moved.abs_src_path = translation.abs_src_path
        else:
            fallbacks.add(file.src_uri)
        files.remove(file)
        files.append(moved)
        session.pages.append(moved.dest_uri)
    return files, translated, fallbacks


def tab_links(nav: Any) -> dict[str, Any]:
    """The nav items that are the catalog's tabs, by tab name (before :func:`localize_nav`)."""
    links: dict[str, Any] = {}
    for item in getattr(nav, "items", []):
        url = getattr(item, "url", None)
        for tab, tab_url in TAB_URLS.items():
            if tab_url is not None and url == tab_url:
                links[tab] = item
    return links


def localize_nav(nav: Any, session: BuildSession) -> None:
    """Tab titles in this run's language; links to catalog pages at this language's URLs."""
    from mkdocs.structure.nav import Link

    localize = None if session.is_default else session.localize

    def visit(items: Any) -> None:
        for item in items:
            if getattr(item, "title", None):
                item.title = session.translate(item.title)
            if localize is not None and isinstance(item, Link) and item.url.startswith(session.base_path):
                item.url = localize(item.url, session.run_lang)
            visit(getattr(item, "children", None) or [])

    visit(nav.items)


def mark_active_tab(tabs: Mapping[str, Any], tab: str | None) -> None:
    """Make one catalog tab (a nav link) active; MkDocs never marks links active itself."""
    for name, link in tabs.items():
        link.active = name == tab


class _CompiledTemplates(jinja2.BytecodeCache):
    """Material's templates compiled once per process, not once per MkDocs run.

    Each run (one per language, and again on every ``karigar serve`` change)
    gets a fresh environment from MkDocs; compiling Material's templates
    anew was most of a run's time.  Jinja checks each entry against its
    template's source, and entries are kept apart per kind of environment
    (its options decide the compiled code).
    """

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], bytes] = {}

    @staticmethod
    def _kind(env: jinja2.Environment) -> str:
        return repr((sorted(env.extensions), env.autoescape, env.trim_blocks, env.lstrip_blocks,
                     env.keep_trailing_newline, env.undefined, env.finalize))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get((self._kind(bucket.environment), bucket.key))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[(self._kind(bucket.environment), bucket.key)] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def share_compiled_templates(env: Any) -> None:
    """Let this run's Material environment reuse templates an earlier run compiled."""
    env.bytecode_cache = _COMPILED


def render_frames(env: Any, config: Any, nav: Any, files: Any, *, session: BuildSession,
                  tabs: Mapping[str, Any]) -> dict[tuple[str, str], Frame]:
    """One frame per tab in this run's language, rendered by Material's own templates."""
    from mkdocs.commands.build import get_context

    frames: dict[tuple[str, str], Frame] = {}
    template = env.get_template(FRAME_TEMPLATE)
    for tab in TAB_URLS:
        mark_active_tab(tabs, tab)
        # page=None makes MkDocs' `url` filter join paths to base_url: absolute
        # URLs that work at any depth of the catalog.
        context: dict[str, Any] = dict(
            get_context(nav, files, config, page=None, base_url=session.base_path.rstrip("/") or "/"))
        context["karigar_tab"] = tab
        if session.multilingual:
            context["karigar_languages"] = switcher(session, link_slot)
        html = compact_whitespace(_drop_unused(template.render(context)))
        frames[(session.run_lang, tab)] = Frame.from_template_output(with_root_direction(html, session.direction))
    mark_active_tab(tabs, None)
    return frames


# Elements of Material's base.html that no block of the frame reaches and that a catalog page
# does not use: the search toggle (no search), empty skip and announcement boxes (the frame has
# its own skip link), the dialog that only Material's script fills, and that script's markers.
# Each is removed only as Material renders it (empty), never when it holds something;
# `for="__search"` anywhere keeps the toggle.
_UNUSED = (
    (re.compile(r'<input class="md-toggle" data-md-toggle="search"[^>]*>'), 'for="__search"'),
    (re.compile(r'<div data-md-component="(?:skip|announce)">\s*</div>'), ""),
    (re.compile(r'<div class="md-dialog" data-md-component="dialog">\s*<div class="md-dialog__inner md-typeset">'
                r"</div>\s*</div>"), ""),
    # Markers Material's script finds its parts by (its stylesheets never select them).
    (re.compile(r' data-md-component="(?:container|main)"'), ""),
)


def _drop_unused(html: str) -> str:
    for pattern, kept_if in _UNUSED:
        if not kept_if or kept_if not in html:
            html = pattern.sub("", html)
    return html


# -- running MkDocs --------------------------------------------------------------

def _build(config_file: Path, site_dir: Path, session: BuildSession) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        plugin = config.plugins["karigar"]
        plugin.session = session  # type: ignore[attr-defined]
        build(config)
    except MkDocsException as exc:
        raise MkDocsFailed(str(exc)) from exc
    except SystemExit as exc:  # MkDocs aborts some errors this way
        raise MkDocsFailed(f"MkDocs stopped ({exc})") from exc


def language_area(staging: Path, lang: str) -> Path:
    """Where a non-default language's run writes, beside (not inside) ``staging``: MkDocs cleans its own."""
    return staging.with_name(f"{staging.name}.{lang}")


def run_mkdocs(config_file: Path, staging: Path, session: BuildSession) -> StagedSite:
    """Build ``content/`` with MkDocs into ``staging``; returns the files it wrote.

    The default language's run fills ``staging`` (and must come first: MkDocs
    cleans it).  Another language's run builds in its own area and its pages
    are then moved into ``staging`` under that language's folder.
    """
    if session.is_default:
        _build(config_file, staging, session)
        if session.icons:  # shared by every language's frames, like Material's assets
            sprite = staging / ICON_SPRITE
            sprite.parent.mkdir(parents=True, exist_ok=True)
            sprite.write_text(session.icons, "utf-8")
        files = sorted(
            path.relative_to(staging).as_posix()
            for path in staging.rglob("*")
            if path.is_file()
        )
        return StagedSite(staging, tuple(f for f in files if f not in SKIPPED_OUTPUTS))
    area = language_area(staging, session.run_lang)
    shutil.rmtree(area, ignore_errors=True)
    _build(config_file, area, session)
    for rel in session.pages:
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(area / rel, target)
    shutil.rmtree(area, ignore_errors=True)
    return StagedSite(staging, tuple(sorted(session.pages)), tuple(sorted(session.copies)))
