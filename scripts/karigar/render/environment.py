"""The catalog's Jinja2 environment: escaping on, undefined names fatal, gettext installed.

The loader records every template it is asked for (found or not), so a
build knows which templates each output was made from.

There is one environment per site language, and every catalog page goes
through one, so what can be decided once per language is decided when a
template is compiled, not when a page is rendered: an interface string
without placeholders (``{{ _("Description") }}``) is translated then, and
compiled in as text (:class:`ConstantTranslations`), and the indentation of
template lines, which only made pages bigger, is dropped from the source
(:class:`UnindentedSource`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2.lexer import Token, TokenStream

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from karigar.frame import rewrite_outside
from karigar.render.locale import UiLocale

__all__ = ["RecordingLoader", "make_environment", "templates_fingerprint", "ConstantTranslations",
           "UnindentedSource", "lang_attrs"]


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

    An artisan's card appears on each of its product pages ("Made by"), on
    the artisans index and on its district's and crafts' listings; rendering
    it once per worker instead of once per page saves most of a product
    page's template calls.  The cache is bounded and per process (an artisan's
    product pages follow each other, so they find its card even after the
    cache was emptied).
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


class ConstantTranslations(jinja2.ext.Extension):
    """``_("text")`` with no placeholders becomes the translated text, once, when the template compiles.

    A product page asked gettext for the same ten strings on every render;
    the environment belongs to one language, so its compiled templates can
    hold the translations themselves.  The value is exactly what the i18n
    extension's new-style ``_`` returns (``Markup(translation) % {}``: a
    translation is trusted markup, ``%%`` becomes ``%``), marked safe, so the
    page's bytes do not change.  Calls with placeholders, ``ngettext`` and
    ``{% trans %}`` blocks are left to gettext.  Message extraction reads the
    template files, where every call is still written as it was.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translate: Callable[[str], str] | None = getattr(self.environment, "karigar_translate", None)
        tokens = list(stream)
        at = 0
        while at < len(tokens):
            window = tokens[at:at + 4]
            if (translate is not None and len(window) == 4
                    and [t.type for t in window] == ["name", "lparen", "string", "rparen"]
                    and window[0].value == "_" and (at == 0 or tokens[at - 1].type != "dot")):
                text = str(Markup(translate(window[2].value)) % {})
                line = window[0].lineno
                # (The optimizer folds a constant piped through `safe` into the template's text.)
                yield from (Token(line, "lparen", "("), Token(line, "string", text), Token(line, "pipe", "|"),
                            Token(line, "name", "safe"), Token(line, "rparen", ")"))
                at += 4
                continue
            yield tokens[at]
            at += 1


# A line's indentation (spaces and tabs after a line break); raw text blocks are kept as written.
_INDENT = re.compile(r"\n[ \t]+")
_KEEP_AS_WRITTEN = re.compile(r"<(pre|textarea)\b.*?</\1>|\{% *raw *%\}.*?\{% *endraw *%\}"
                              r"|\{%-? *trans\b.*?\{%-? *endtrans *-?%\}", re.S)


class UnindentedSource(jinja2.ext.Extension):
    """The templates' sources without their lines' indentation.

    The templates indent their HTML to be read; in the pages that indentation
    was about a tenth of a listing's bytes (each of 50 cards' lines).  A
    line break stays, so text never runs together and the page renders the
    same; ``<pre>``, ``<textarea>``, ``{% raw %}`` and ``{% trans %}`` blocks
    (whose text is a message id) are left as written.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return rewrite_outside(_KEEP_AS_WRITTEN, source, lambda text: _INDENT.sub("\n", text))


# The attributes of each language code, made once (pages ask for them ~15 times each).
_LANG_ATTRS: dict[str, Markup] = {"": Markup("")}


def lang_attrs(code: str) -> Markup:
    """`` lang=".." dir=".."`` for an element whose text is in another language than its page.

    A fallback (an English story on an Urdu page) must say so, or screen
    readers read it with the wrong voice and the page's Nastaliq font and
    right-to-left direction are applied to Latin text.
    """
    found = _LANG_ATTRS.get(code)
    if found is None:
        found = Markup(' lang="%s" dir="%s"') % (code, text_direction(code))
        if len(_LANG_ATTRS) < 256:  # language codes of content: a few, but they come from files
            _LANG_ATTRS[code] = found
    return found


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
        extensions=["jinja2.ext.i18n", UnindentedSource, ConstantTranslations],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change during a build; checking their mtime costs a stat per render.
        auto_reload=False,
    )
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.extend(karigar_translate=ui.gettext)  # for ConstantTranslations, when a template compiles
    env.globals["cached"] = FragmentCache(env)
    # `{{ code|lang_attrs }}`: a filter is called directly by the compiled template; a global function goes
    # through the context's call machinery (pages call it about a dozen times each).  The global stays
    # for templates written before.
    env.filters["lang_attrs"] = lang_attrs
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
