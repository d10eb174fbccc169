"""The look: the page frame (header, tabs, palette, footer) around the catalog's content.

The engine only knows this small interface.  The Material adapter
(:mod:`karigar.material`) renders frames from MkDocs Material once per
language and tab; :class:`PlainLook` is a minimal HTML5 frame for unit tests
and for tools that need no theme.  Moving the look to another theme means
writing another :class:`Frame` producer, nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Protocol

# The frame itself lives below both the render stage and the theme adapter that makes frames
# (karigar.frame), so the adapter never imports this package; its names are re-exported here.
from karigar.frame import BODY_SLOT, HEAD_SLOT, TITLE_SLOT, Frame, link_slot

__all__ = ["Frame", "Look", "FramedLook", "PlainLook", "TITLE_SLOT", "HEAD_SLOT", "BODY_SLOT", "link_slot"]


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
