"""What the render stage schedules: jobs (one output each), their signatures, and their outputs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Job", "Output", "Signer"]


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # relative to the site folder, POSIX
    data: bytes


@dataclass(frozen=True, slots=True)
class Job:
    """One output to make: its path, what it was made from (a signature), and how to make it.

    The signature is a hash of the inputs the page shows (entry hashes, page
    numbers, labels) plus the global fingerprint (templates, settings,
    registries, look); equal signatures mean equal bytes, so the page is not
    rendered again.  ``render`` is called only for changed signatures.

    ``prepare``, when set, makes what the page shares with other pages (its
    product cards) in the renderer's caches.  The build calls it in the parent
    process before forking render workers, so that a shared piece is made once
    and inherited by every worker instead of once per worker; it never changes
    what ``render`` returns.
    """

    output: str
    signature: str
    make: Callable[..., bytes]
    # ``make(*args)`` renders: a planned site holds a job per output (a million at the target size),
    # and a shared maker with its arguments costs about 170 bytes less a job than a closure or a partial.
    args: tuple[object, ...] = ()
    prepare: Callable[[], None] | None = None

    def render(self) -> bytes:
        return self.make(*self.args)


class Signer:
    """Hashes of what an output depends on, from content hashes only (no rendering)."""

    def __init__(self, global_fingerprint: str, digests: Mapping[str, str], content_fingerprint: str = "") -> None:
        self.base = global_fingerprint
        # What outputs that show no template or interface text depend on (the engine, the settings, the
        # registries): the content API's revisions (karigar.render.api) change with these only.
        self.content_base = content_fingerprint
        self.digests = digests
        # Each entry's part, made once: a product's card is on several listings in each language.
        self._entries: dict[str, str] = {}
        # Entries shown on pages that are neither theirs nor a listing of entries (the home page,
        # the crafts index). A quick build plans only those two kinds of page: an edit of a pinned
        # entry takes the full path.
        self.pinned: set[str] = set()

    def of(self, *parts: object) -> str:
        return _hash(self.base, parts).hexdigest()

    def content_of(self, *parts: object) -> bytes:
        """A hash of ``parts`` under :attr:`content_base` (16 bytes: an id page of the API holds a thousand)."""
        return _hash(self.content_base, parts).digest()

    def entry(self, source: str) -> str:
        # The path counts as well as the bytes: a renamed folder moves the entry's URL.
        part = self._entries.get(source)
        if part is None:
            part = self._entries[source] = f"{source}\x1f{self.digests.get(source, '')}"
        return part

    def planned(self) -> None:
        """Every job is planned: drop the entries' parts (made again if asked; 65 MB at 50,000 artisans)."""
        self._entries = {}

    def pin(self, items: Iterable[object]) -> None:
        """Record the entries of ``items`` (entries, or catalog items of two) as :attr:`pinned`."""
        for item in items:
            for entry in item if isinstance(item, tuple) else (item,):
                source = getattr(entry, "source", None)
                if source:
                    self.pinned.add(source)

    def item(self, item: object) -> object:
        """What a listing item contributes: the hashes of the entries its card shows."""
        if isinstance(item, tuple):
            artisan, product = item
            return (self.entry(artisan.source), self.entry(product.source))
        source = getattr(item, "source", None)
        return self.entry(source) if source else repr(item)


def _hash(base: str, parts: tuple[object, ...]) -> "hashlib.blake2b":
    digest = hashlib.blake2b(base.encode(), digest_size=16)
    for part in parts:
        digest.update(b"\x1f")
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest
