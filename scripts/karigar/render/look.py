"""The look: the page frame (header, tabs, palette, footer) around the catalog's content.

The engine only knows this small interface.  The Material adapter
(:mod:`karigar.material`) renders frames from MkDocs Material once per
language and tab; :class:`PlainLook` is a minimal HTML5 frame for unit tests
and for tools that need no theme.  Moving the look to another theme means
writing another :class:`Frame` producer, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Protocol

__all__ = ["Frame", "Look", "FramedLook", "PlainLook", "TITLE_SLOT", "HEAD_SLOT", "BODY_SLOT", "link_slot"]

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


class Look(Protocol):
    def wrap(self, *, lang: str, tab: str, title: str, head: str, body: str,
             links: Mapping[str, str] | None = None) -> str: ...


@dataclass(frozen=True)
class FramedLook:
    """Frames keyed by (language, tab), as a theme adapter produced them."""

    frames: dict[tuple[str, str], Frame]
    site_name: str

    def wrap(self, *, lang: str, tab: str, title: str, head: str, body: str,
             links: Mapping[str, str] | None = None) -> str:
        frame = self.frames.get((lang, tab)) or self.frames[(lang, "showcase")]
        return frame.wrap(title=f"{title} - {self.site_name}" if title != self.site_name else title,
                          head=head, body=body, links=links)


@dataclass(frozen=True)
class PlainLook:
    """A bare, valid HTML5 frame: for tests of the catalog stage without MkDocs."""

    site_name: str = "Karigar"

    def wrap(self, *, lang: str, tab: str, title: str, head: str, body: str,
             links: Mapping[str, str] | None = None) -> str:
        full = f"{title} - {self.site_name}" if title != self.site_name else title
        # The same page in the other languages, each named by its code (no theme, no names).
        options = []
        for code, url in (links or {}).items():
            current = ' aria-current="page"' if code == lang else ""
            options.append(f'<a href="{escape(url)}" hreflang="{escape(code)}" lang="{escape(code)}"{current}>'
                           f"{escape(code)}</a>")
        switcher = f'<nav aria-label="Language">{" ".join(options)}</nav>' if options else ""
        return (
            f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{escape(full, quote=False)}</title>\n{head}</head>\n<body>\n"
            f'<header><a href="/">{escape(self.site_name)}</a>{switcher}</header>\n'
            f'<main data-tab="{escape(tab)}"><article>\n{body}</article></main>\n</body>\n</html>\n'
        )
