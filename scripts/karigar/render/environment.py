"""The catalog's Jinja2 environment: escaping on, undefined names fatal, gettext installed.

The loader records every template it is asked for (found or not), so a
build knows which templates each output was made from.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import jinja2

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from karigar.render.locale import UiLocale

__all__ = ["RecordingLoader", "make_environment", "templates_fingerprint"]


class RecordingLoader(jinja2.FileSystemLoader):
    """A file loader that remembers which template names were requested."""

    def __init__(self, searchpath: Path) -> None:
        super().__init__(str(searchpath))
        self.requested: set[str] = set()

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[override]
        self.requested.add(template)
        return super().get_source(environment, template)


class FragmentCache:
    """Memoizes macros of ``macros.html`` by their (hashable, frozen) view-model arguments.

    An artisan's card appears on the artisans index and on its district's
    listing; rendering it once per worker instead of once per listing saves
    most of a listing page's cost.  The cache is bounded and per process.
    (Product cards, on many more pages, have their own cache, made before
    workers fork: karigar.render.cards.)
    """

    def __init__(self, env: jinja2.Environment, *, template: str = "macros.html", size: int = 20_000) -> None:
        self.env = env
        self.template = template
        self.size = size
        self._module: object | None = None
        self._cache: dict[tuple[object, ...], str] = {}

    def __call__(self, name: str, *args: object, **kwargs: object) -> str:
        key = (name, args, tuple(sorted(kwargs.items())))
        found = self._cache.get(key)
        if found is None:
            if self._module is None:
                self._module = self.env.get_template(self.template).module
            found = getattr(self._module, name)(*args, **kwargs)
            if len(self._cache) >= self.size:
                self._cache.clear()
            self._cache[key] = found
        return found


def lang_attrs(code: str) -> Markup:
    """`` lang=".." dir=".."`` for an element whose text is in another language than its page.

    A fallback (an English story on an Urdu page) must say so, or screen
    readers read it with the wrong voice and the page's Nastaliq font and
    right-to-left direction are applied to Latin text.
    """
    if not code:
        return Markup("")
    return Markup(' lang="%s" dir="%s"') % (code, text_direction(code))


@functools.lru_cache(maxsize=64)
def text_direction(code: str) -> str:
    """``rtl`` for scripts written right to left (CLDR's character order), else ``ltr``."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def make_environment(templates_dir: Path, ui: UiLocale) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=RecordingLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change during a build; checking their mtime costs a stat per render.
        auto_reload=False,
    )
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["cached"] = FragmentCache(env)
    env.globals["lang_attrs"] = lang_attrs
    # Inline lists take the language's comma ("، " in Urdu), from CLDR.
    env.globals["list_separator"] = ui.list_separator
    return env


def templates_fingerprint(templates_dir: Path) -> str:
    """One hash over every template file (for incremental builds and caches)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(templates_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
