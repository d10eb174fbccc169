"""A page frame: a theme's page cut at the slots where the engine puts each page's own parts.

The theme adapter (:mod:`karigar.material`) renders a frame once per language
and tab, compacts it (:func:`compact_whitespace`) and cuts it here; the look
(:mod:`karigar.render.look`) joins each catalog page's title, head, switcher
links and body between the pieces.  Both import this module, and it imports
nothing of Karigar's, so the adapter never imports the render stage that runs
it (imports flow down only).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

__all__ = ["Frame", "TITLE_SLOT", "HEAD_SLOT", "BODY_SLOT", "link_slot", "compact_whitespace", "rewrite_outside"]

# Slots are cut out of the rendered frame once; content is concatenated between
# the pieces, never substituted, so no content can inject a slot marker.
TITLE_SLOT = "@@KARIGAR-TITLE@@"
HEAD_SLOT = "<!--@@KARIGAR-HEAD@@-->"
BODY_SLOT = "<!--@@KARIGAR-BODY@@-->"
_LINK_SLOT = re.compile(r"@@KARIGAR-LINK-([a-z]{2,3})@@")


def link_slot(lang: str) -> str:
    """Where a frame takes the URL of the page in ``lang`` (the language switcher's link).

    A frame serves every page of its language and tab, so the switcher's
    links are the one per-page part of the header: the theme writes this
    marker as each language option's ``href``.
    """
    return f"@@KARIGAR-LINK-{lang}@@"


@dataclass(frozen=True, slots=True)
class Frame:
    """A page frame cut into the pieces around the title, extra head, switcher links and body.

    ``header`` is the frame between the head and body slots, cut at the
    link slot of each language in ``link_langs`` (one piece more than
    languages); a frame without a language switcher has one piece and no
    link languages.
    """

    before_title: str
    before_head: str
    header: tuple[str, ...]
    link_langs: tuple[str, ...]
    after_body: str

    @property
    def before_body(self) -> str:
        """Everything between the head and body slots, switcher links left out (the frame's own text)."""
        return "".join(self.header)

    @property
    def size(self) -> int:
        """The frame's own bytes in UTF-8: what every page it wraps carries besides its own parts."""
        return len((self.before_title + self.before_head + self.before_body + self.after_body).encode("utf-8"))

    @classmethod
    def from_template_output(cls, html: str) -> "Frame":
        for slot in (TITLE_SLOT, HEAD_SLOT, BODY_SLOT):
            if html.count(slot) != 1:
                raise ValueError(f"the frame template must contain {slot} exactly once")
        a, rest = html.split(TITLE_SLOT)
        b, rest = rest.split(HEAD_SLOT)
        c, d = rest.split(BODY_SLOT)
        # re.split with one group alternates pieces and captured languages.
        parts = _LINK_SLOT.split(c)
        langs = tuple(parts[1::2])
        if len(set(langs)) != len(langs) or _LINK_SLOT.search(a + b + d):
            raise ValueError("each language's link slot must appear once, between the head and body slots")
        return cls(a, b, tuple(parts[0::2]), langs, d)

    def wrap(self, *, title: str, head: str, body: str, links: Mapping[str, str] | None = None) -> str:
        """The page: ``links`` maps each language to the URL of this page in it (all are needed)."""
        out = [self.before_title, escape(title, quote=False), self.before_head, head, self.header[0]]
        for lang, piece in zip(self.link_langs, self.header[1:]):
            if links is None or lang not in links:
                raise KeyError(f"the page has no link for language {lang!r} (its meta lacks alternates)")
            out += (escape(links[lang]), piece)
        out += (body, self.after_body)
        return "".join(out)


# A theme's templates indent every nesting level and leave a blank line for each template
# tag (Material's: a quarter of a frame's bytes), sent with every page the frame wraps.
_LINE_BREAK_RUN = re.compile(r"[ \t]*\n\s*")
# Raw text, where white space is content: kept as it is.
_RAW_TEXT = re.compile(r"<(script|style|pre|textarea)\b.*?</\1\s*>", re.S | re.I)
# White space between two tags, with the tags' names (a closing tag's name after its slash).
_BETWEEN_TAGS = re.compile(r"(<\/?([a-zA-Z][a-zA-Z0-9]*)[^<>]*>)\s+(?=<\/?([a-zA-Z][a-zA-Z0-9]*))")
# Elements that are not phrasing content: white space next to one of them never renders (it
# starts or ends a line box, or sits where no text can), so between such a tag and any other
# it is dropped.  Between two phrasing elements (`</a> <a>`) it is a visible space and stays.
_BLOCKS = frozenset("""
html head body title meta link base script style noscript template header footer nav main article section aside
div p ul ol li dl dt dd form fieldset legend table caption thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6 hr
figure figcaption
""".split())


def rewrite_outside(kept: re.Pattern[str], text: str, rewrite: Callable[[str], str]) -> str:
    """``text`` with ``rewrite`` applied to every stretch outside the matches of ``kept``, which stay as written."""
    pieces: list[str] = []
    at = 0
    for span in kept.finditer(text):
        pieces += (rewrite(text[at:span.start()]), span.group(0))
        at = span.end()
    pieces.append(rewrite(text[at:]))
    return "".join(pieces)


def compact_whitespace(html: str) -> str:
    """``html`` with white space that cannot render removed, and other runs of it shortened.

    Between two tags of which one is not phrasing content (``</li>`` and
    ``<li>``, ``<div>`` and ``<a>``), white space is dropped; elsewhere each
    run of white space that holds a line break is cut to one line break.
    Rendering is unchanged, and so are ``<pre>``, ``<textarea>``, ``<script>``
    and ``<style>`` (their text is content: the inline scripts' CSP hashes,
    taken from the frames, still match the same scripts on MkDocs' pages).
    """
    html = rewrite_outside(_RAW_TEXT, html, lambda text: _LINE_BREAK_RUN.sub("\n", text))
    raw_spans = [(raw.start(), raw.end()) for raw in _RAW_TEXT.finditer(html)]
    starts = [start for start, _end in raw_spans]

    def between_tags(match: re.Match[str]) -> str:
        space = match.end(1)
        inside = bisect.bisect_right(starts, space) - 1
        if inside >= 0 and space < raw_spans[inside][1]:
            return match.group(0)  # inside a script's or a <pre>'s text
        if match.group(2).lower() in _BLOCKS or match.group(3).lower() in _BLOCKS:
            return match.group(1)
        return match.group(0)

    return _BETWEEN_TAGS.sub(between_tags, html).strip() + "\n"
