"""Reading cards off built pages as a reader meets them: title link, photo, price, artisan, buy link, counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["Card", "Page", "all_pages", "leading_number", "read", "total_line"]


def read(site: Path, url: str) -> str:
    return (site / url.strip("/") / "index.html").read_text("utf-8")


class Card:
    """A card as a reader meets it: its heading link, photo, price, artisan and buy link."""

    def __init__(self, kind: str, section: str) -> None:
        self.kind = kind  # "product", "craft", "artisan", "training"
        self.section = section  # the class of the page section it is in: "kg-showcase", "kg-products"...
        self.title = ""
        self.url = ""
        self.heading = ""
        self.img: dict[str, str] = {}
        self.price = ""
        self.artisan = ""
        self.buy_url = ""
        self.buy_text = ""
        self.counts = ""


class Page(HTMLParser):
    """The cards of a page, by section (``kg-showcase``, ``kg-products``...), in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cards: list[Card] = []
        self.sections: list[str] = []
        self.h1 = ""
        self._stack: list[tuple[str, str]] = []  # (tag, the part of a card it is)
        self._card: Card | None = None
        self._section = ""
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        part = ""
        if tag == "section":
            self._section = next((c for c in classes if c != "kg-section"), "")
            self.sections.append(self._section)
        if tag == "article" and "kg-card" in classes:
            self._card = Card(next(c for c in classes if c.startswith("kg-card--"))[len("kg-card--"):], self._section)
            self.cards.append(self._card)
        card = self._card
        if card is not None:
            if re.fullmatch(r"h[1-6]", tag):
                card.heading = tag
            if tag == "a" and self._inside("h"):
                card.url, part = a["href"], "title"
            elif tag == "img":
                card.img = a
            elif "kg-card__price" in classes:
                part = "price"
            elif "kg-card__counts" in classes:
                part = "counts"
            elif tag == "a" and self._inside("by"):
                part = "artisan"
            elif "kg-card__by" in classes:
                part = "by"
            elif tag == "a" and "kg-card__buy-link" in classes:
                card.buy_url, part = a["href"], "buy"
            elif "kg-visually-hidden" in classes and self._inside("price"):
                part = "hidden"
        elif tag == "h1":
            part = "h1"
        if tag not in ("img", "source", "br"):
            self._stack.append((tag, part))

    def _inside(self, part: str) -> bool:
        return any(p == part or (part == "h" and re.fullmatch(r"h[1-6]", t) is not None) for t, p in self._stack)

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            t, _ = self._stack.pop()
            if t == tag:
                break
        if tag == "article":
            self._card = None

    def handle_data(self, data: str) -> None:
        card = self._card
        parts = [p for _, p in self._stack]
        if card is None:
            if "h1" in parts:
                self.h1 += data
            return
        if "title" in parts:
            card.title += data
        if "buy" in parts:
            card.buy_text += data
        if "price" in parts and "hidden" not in parts:
            card.price += data
        if "artisan" in parts:
            card.artisan += data
        if "counts" in parts:
            card.counts += data

    def products(self, section: str | None = None) -> list[Card]:
        return [c for c in self.cards if c.kind == "product"
                and (section is None or c.section == section)]


def all_pages(site: Path, url: str) -> list[Page]:
    """Page 1 of a listing and every page after it, following its numbering (``page/<n>/``)."""
    pages = [Page(read(site, url))]
    n = 2
    while (site / url.strip("/") / "page" / str(n) / "index.html").is_file():
        pages.append(Page(read(site, f"{url}page/{n}/")))
        n += 1
    return pages


def leading_number(text: str) -> int:
    found = re.match(r"\s*(\d+)", text)
    assert found, text
    return int(found[1])


def total_line(html: str) -> str:
    found = re.search(r'<p class="kg-total">(.*?)</p>', html, re.DOTALL)
    return found[1].strip() if found else ""
