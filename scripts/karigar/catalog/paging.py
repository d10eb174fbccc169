"""Where a listing's pages begin: boundaries chosen by the entries, so an added entry moves one page.

Fixed-size pages (items 1-50 on page 1, 51-100 on page 2...) shift every
later page when one artisan is added: at 50,000 artisans a pull request
that adds one re-renders some 40,000 listing pages in three languages.
Here a page ends after an entry whose *key* (its source path) hashes to a
cut, as content-defined chunking does (rsync, restic): the boundaries are a
pure function of the sorted keys, so a clean build and an incremental one
agree, and an inserted entry changes the page it lands on, while every
other page keeps its entries and its number -- unless the new entry is
itself a cut, or fills a page to its maximum (a few percent of additions),
when the later pages shift as they always did.

Sizes stay near ``per_page``: a page holds at least ``ceil(per_page / 2)``
entries (except a short last page, merged into the one before when it
fits), at most ``2 * per_page``, and ``per_page`` on average; a list of at
most ``per_page`` entries is one page.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from karigar.catalog.graph import Catalog, DistrictGroup

__all__ = ["page_starts", "listing_keys", "Paging", "paging_of", "pagination_extent"]


@runtime_checkable
class KeyedList(Protocol):
    """A lazy catalog list (:mod:`karigar.catalog.skeleton`) gives its entries' keys without loading them."""

    def source_keys(self) -> Iterable[str]: ...


def listing_keys(items: Sequence[object]) -> Iterable[str]:
    """The key of each entry of a listing: an artisan's or a product's source path, a district's place."""
    if isinstance(items, KeyedList):
        return items.source_keys()
    return (_key(item) for item in items)


def _key(item: object) -> str:
    if isinstance(item, tuple):  # a product with its artisan: the product is the entry
        item = item[1]
    if isinstance(item, DistrictGroup):
        return f"{item.country}/{item.slug}"
    source = getattr(item, "source", None)
    if isinstance(source, str):
        return source
    raise TypeError(f"a listing entry without a key: {item!r}")


def _is_cut(key: str, one_in: int) -> bool:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % one_in == 0


def page_starts(keys: Iterable[str], per_page: int) -> tuple[int, ...]:
    """The index in the list at which each page begins (``(0,)`` for an empty list)."""
    keys = list(keys)
    if len(keys) <= per_page:
        return (0,)
    least, most = math.ceil(per_page / 2), 2 * per_page
    # After ``least`` entries a page ends at an entry with chance 1 / one_in: on average
    # least - 1 + one_in == per_page entries a page.
    one_in = per_page - least + 1
    starts = [0]
    for index, key in enumerate(keys):
        size = index + 1 - starts[-1]
        if index + 1 < len(keys) and (size >= most or (size >= least and _is_cut(key, one_in))):
            starts.append(index + 1)
    if len(starts) > 1 and len(keys) - starts[-1] < least and len(keys) - starts[-2] <= most:
        starts.pop()  # a short last page joins the one before
    return tuple(starts)


@dataclass(frozen=True, slots=True)
class Paging:
    """The pages of a listing of one or more lists paged side by side (page n shows the n-th page of each)."""

    starts: tuple[tuple[int, ...], ...]  # per list
    lengths: tuple[int, ...]

    @property
    def pages(self) -> int:
        return max(1, *(len(starts) for starts in self.starts))

    def bounds(self, which: int, number: int) -> tuple[int, int]:
        """Items ``start`` to ``stop`` of list ``which`` are on page ``number`` (empty past its last page)."""
        starts, length = self.starts[which], self.lengths[which]
        if number > len(starts):
            return length, length
        stop = starts[number] if number < len(starts) else length
        return starts[number - 1], stop


def paging_of(catalog: Catalog, per_page: int, *lists: Sequence[object]) -> Paging:
    """The paging of ``lists``, worked out once a build: claims, plans and every language share it."""
    starts = []
    for items in lists:
        known = catalog.page_memo.get((id(items), per_page))
        if known is None or known[0] is not items:
            known = catalog.page_memo[(id(items), per_page)] = (items, page_starts(listing_keys(items), per_page))
        starts.append(known[1])
    return Paging(tuple(starts), tuple(len(items) for items in lists))


def pagination_extent(page: int, pages: int) -> int:
    """What a page's pager shows of the listing's page count: all of it on page 1 ("Page 1 of 120",
    a link to the last page); on a later page only whether its window of neighbours (three each
    side, and Next) reaches the end.  So an entry added far away leaves a later page's bytes alone
    (the paging itself moves one page, see karigar.catalog.paging)."""
    return pages if page == 1 else min(pages, page + 4)
