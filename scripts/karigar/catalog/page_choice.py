"""Which pages of a listing a quick build plans: those whose content changed, and no other.

A listing page's signature (render/listing_pages.py) covers its number, what
its pager shows (:func:`~karigar.catalog.paging.pagination_extent`), the
totals on page 1, and the entries and district links on it.  A quick build
plans a page only when one of those can differ from the last build's:

- :class:`ShowsEntries` (an edit that moves no entry): the pages that show
  one of the edited entries; every list is as it was.
- :class:`GrownLists` (a new artisan, :mod:`karigar.catalog.growth`): in each
  list that gained entries, the pages whose entries, pager or totals differ
  from the old list's paging, the new pages, and the district links whose
  counts grew; the pages a list no longer has are :attr:`GrownLists.dropped`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from karigar.catalog.graph import DistrictGroup
from karigar.catalog.paging import Paging, listing_keys, page_starts, pagination_extent
from karigar.catalog.skeleton import LazyEntries, LazyItems

__all__ = ["ShowsEntries", "GrownLists"]


@dataclass
class ShowsEntries:
    """The listing pages that show one of the entries numbered ``numbers`` (no index of crafts or
    marketplaces: an edit that moves no entry changes no count)."""

    numbers: frozenset[int]
    indexes: bool = False
    # Where in a listing's lists (by identity) the edited entries are: found once per listing, not once
    # per language and page, since every language's pages list the same entries.  Scanning a list is
    # linear in it (300,000 products at the target size): this was most of a quick plan's time.
    _places: dict[tuple[int, ...], tuple[Sequence[Sequence[object]], tuple[tuple[int, ...], ...]]] = field(
        default_factory=dict, repr=False, compare=False)

    def _where(self, lists: Sequence[Sequence[object]]) -> tuple[tuple[int, ...], ...]:
        """Per list, the indexes of the items that show an edited entry."""
        key = tuple(id(items) for items in lists)
        known = self._places.get(key)
        if known is None or any(a is not b for a, b in zip(known[0], lists)):
            known = self._places[key] = (tuple(lists), tuple(self._items_showing(items) for items in lists))
        return known[1]  # the lists are kept with it: while they live, their ids are theirs

    def _items_showing(self, items: Sequence[object]) -> tuple[int, ...]:
        if not isinstance(items, (LazyEntries, LazyItems)) or not items:
            return ()  # not lazy: a listing of districts or crafts, which an edit leaves alone
        flat = items.numbers_in(0, len(items))
        if self.numbers.isdisjoint(flat):
            return ()
        width = len(flat) // len(items)  # an item's numbers: an entry, or a product with its artisan
        return tuple(sorted({i // width for i, n in enumerate(flat) if n in self.numbers}))

    def touches(self, lists: Sequence[Sequence[object]]) -> bool:
        """Whether the listing may show an edited entry at all (before its pages are cut)."""
        return any(self._where(lists))

    def wants(self, lists: Sequence[Sequence[object]], paging: Paging, number: int) -> bool:
        for which, places in enumerate(self._where(lists)):
            if places:
                start, stop = paging.bounds(which, number)
                if bisect.bisect_left(places, start) < bisect.bisect_left(places, stop):
                    return True
        return False

    def dropped(self, lists: Sequence[Sequence[object]], paging: Paging) -> range:
        return range(0)


@dataclass
class _Before:
    """One grown list: its keys now and before, and the old list's page starts."""

    now: list[str]
    then: list[str]
    starts: tuple[int, ...]


@dataclass
class GrownLists:
    """The listing pages that changed when entries were added to some lists (see the module's text).

    Plans every index page too (their counts change).  ``per_page`` is the
    settings' (the old paging is worked out again from the old keys).
    """

    per_page: int
    indexes: bool = True
    _known: dict[int, tuple[Sequence[object], _Before | None]] = field(default_factory=dict, repr=False)

    def _before(self, items: Sequence[object]) -> _Before | None:
        known = self._known.get(id(items))
        if known is None or known[0] is not items:
            grown = None
            if isinstance(items, (LazyEntries, LazyItems)) and items.before is not None:
                then = items.keys_before() or []
                grown = _Before(list(listing_keys(items)), then, page_starts(then, self.per_page))
            known = self._known[id(items)] = (items, grown)
        return known[1]

    def touches(self, lists: Sequence[Sequence[object]]) -> bool:
        """Whether any list of the listing grew, or it lists a district that did (before its pages are cut)."""
        return any(self._before(items) is not None for items in lists) or any(
            _grown_group(group) for items in lists if _groups(items) for group in items)

    def _old_pages(self, lists: Sequence[Sequence[object]], paging: Paging) -> int:
        counts = []
        for which, items in enumerate(lists):
            grown = self._before(items)
            counts.append(len(grown.starts) if grown is not None else len(paging.starts[which]))
        return max(1, *counts)

    @staticmethod
    def _bounds(starts: tuple[int, ...], length: int, number: int) -> tuple[int, int]:
        if number > len(starts):
            return length, length
        return starts[number - 1], starts[number] if number < len(starts) else length

    def wants(self, lists: Sequence[Sequence[object]], paging: Paging, number: int) -> bool:
        befores = [self._before(items) for items in lists]
        grew = any(b is not None for b in befores)
        if grew:
            old_pages = self._old_pages(lists, paging)
            if number == 1 or number > old_pages:
                return True
            if pagination_extent(number, paging.pages) != pagination_extent(number, old_pages):
                return True
            for which, before in enumerate(befores):
                if before is None:
                    continue
                start, stop = paging.bounds(which, number)
                old_start, old_stop = self._bounds(before.starts, len(before.then), number)
                if before.now[start:stop] != before.then[old_start:old_stop]:
                    return True
        # A district's link names its number of artisans: a page listing a grown district changed.
        return any(_grown_group(group) for which, items in enumerate(lists) if _groups(items)
                   for group in items[slice(*paging.bounds(which, number))])

    def dropped(self, lists: Sequence[Sequence[object]], paging: Paging) -> range:
        """The numbers of the pages the listing had and no longer has."""
        if not any(self._before(items) is not None for items in lists):
            return range(0)
        return range(paging.pages + 1, self._old_pages(lists, paging) + 1)


def _groups(items: Iterable[object]) -> bool:
    return isinstance(items, (list, tuple)) and bool(items) and isinstance(items[0], DistrictGroup)


def _grown_group(group: object) -> bool:
    return isinstance(group, DistrictGroup) and getattr(group.artisans, "before", None) is not None
