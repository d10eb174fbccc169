"""The look: the page frame (header, tabs, palette, footer) around the catalog's content.

The engine only knows this small interface.  The Material adapter
(:mod:`karigar.material`) renders frames from MkDocs Material once per
language and tab; :class:`PlainLook` is a minimal HTML5 frame for unit tests
and for tools that need no theme.  Moving the look to another theme means
writing another :class:`Frame` producer, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Protocol

__all__ = ["Frame", "Look", "FramedLook", "PlainLook", "TITLE_SLOT", "HEAD_SLOT", "BODY_SLOT"]

# Slots are cut out of the rendered frame once; content is concatenated between
# the pieces, never substituted, so no content can inject a slot marker.
TITLE_SLOT = "@@KARIGAR-TITLE@@"
HEAD_SLOT = "<!--@@KARIGAR-HEAD@@-->"
BODY_SLOT = "<!--@@KARIGAR-BODY@@-->"


@dataclass(frozen=True, slots=True)
class Frame:
    """A page frame cut into the pieces around the title, extra head and body."""

    before_title: str
    before_head: str
    before_body: str
    after_body: str

    @classmethod
    def from_template_output(cls, html: str) -> "Frame":
        for slot in (TITLE_SLOT, HEAD_SLOT, BODY_SLOT):
            if html.count(slot) != 1:
                raise ValueError(f"the frame template must contain {slot} exactly once")
        a, rest = html.split(TITLE_SLOT)
        b, rest = rest.split(HEAD_SLOT)
        c, d = rest.split(BODY_SLOT)
        return cls(a, b, c, d)

    def wrap(self, *, title: str, head: str, body: str) -> str:
        return "".join((self.before_title, escape(title, quote=False), self.before_head, head,
                        self.before_body, body, self.after_body))


class Look(Protocol):
    def wrap(self, *, lang: str, tab: str, title: str, head: str, body: str) -> str: ...


@dataclass(frozen=True)
class FramedLook:
    """Frames keyed by (language, tab), as a theme adapter produced them."""

    frames: dict[tuple[str, str], Frame]
    site_name: str

    def wrap(self, *, lang: str, tab: str, title: str, head: str, body: str) -> str:
        frame = self.frames.get((lang, tab)) or self.frames[(lang, "showcase")]
        return frame.wrap(title=f"{title} - {self.site_name}" if title != self.site_name else title,
                          head=head, body=body)


@dataclass(frozen=True)
class PlainLook:
    """A bare, valid HTML5 frame: for tests of the catalog stage without MkDocs."""

    site_name: str = "Karigar"

    def wrap(self, *, lang: str, tab: str, title: str, head: str, body: str) -> str:
        full = f"{title} - {self.site_name}" if title != self.site_name else title
        return (
            f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{escape(full, quote=False)}</title>\n{head}</head>\n<body>\n"
            f'<header><a href="/">{escape(self.site_name)}</a></header>\n'
            f'<main data-tab="{escape(tab)}"><article>\n{body}</article></main>\n</body>\n</html>\n'
        )
