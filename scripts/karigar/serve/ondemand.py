"""The served site as a mapping that renders pages only when they are asked for.

A 50,000-artisan catalog has some 350,000 outputs; rendering them all before
the first page (or after every save) takes minutes.  :class:`OnDemandSite`
holds the *plan* instead -- output path -> :class:`~karigar.render.pages.Job`,
which is cheap to make -- plus MkDocs' staged files and the published photos
(sanitized files from the photo cache, never the sources, which keep their
metadata), both read from disk when requested.  It is a read-only ``Mapping[str, bytes]``,
so :func:`karigar.serve.respond.respond` serves it exactly like a dict of
built files.

Rendered bytes go to a :class:`PageCache` shared by successive plans and keyed
by ``(output, signature)``: after an edit, a page whose signature did not
change is served from the cache, while a changed one misses and is rendered
again.  Old keys simply age out of the bounded cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from karigar.errors import PageFailed
from karigar.render.pages import Job
from karigar.write.shard import SEARCH_BUNDLES

__all__ = ["PageCache", "OnDemandSite", "PageFailed", "FileFinder", "DEFAULT_CACHE_PAGES"]

# About 100 MB of typical pages: enough for every page a person browses in a
# session, small enough that a long session never grows the process unbounded.
DEFAULT_CACHE_PAGES = 2000
# Finds the file to serve for one output (a photo in the photo cache); may raise.
FileFinder = Callable[[], Path]


class PageCache:
    """A thread-safe LRU of rendered pages, keyed by (output path, signature).

    ``renders`` counts calls to ``Job.render`` and ``hits`` counts answers
    from the cache (both for tests and the terminal's summary).  ``on_error``
    hears about every page whose rendering raised (the server prints the
    traceback; the browser gets a short error page).
    """

    def __init__(self, capacity: int = DEFAULT_CACHE_PAGES, *,
                 on_error: Callable[[str, BaseException], None] | None = None) -> None:
        if capacity < 1:
            raise ValueError("the page cache needs room for at least one page")
        self.capacity = capacity
        self.on_error = on_error
        self.renders = 0
        self.hits = 0
        self._pages: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pages)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._pages

    def page(self, job: Job) -> bytes:
        """The bytes of ``job``: from the cache if its signature was rendered before, else rendered now.

        Raises :class:`PageFailed` when rendering raises.
        """
        key = (job.output, job.signature)
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
                self.hits += 1
                return found
            self.renders += 1
        # Rendered outside the lock: a slow page must not hold up the stylesheet
        # or photo requests of other HTTP threads.  Two threads asking for the
        # same new page at once both render it; the result is the same bytes.
        try:
            data = job.render()
        except Exception as exc:  # noqa: BLE001 - one broken page must not break the server
            if self.on_error is not None:
                self.on_error(job.output, exc)
            raise PageFailed(job.output, exc) from exc
        with self._lock:
            self._pages[key] = data
            self._pages.move_to_end(key)
            while len(self._pages) > self.capacity:
                self._pages.popitem(last=False)
        return data


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        # Deleted (or being replaced) since the plan was made: as good as missing.
        raise KeyError(str(path)) from exc


class OnDemandSite(Mapping[str, bytes]):
    """Output path -> bytes, rendered or read at the moment a key is looked up.

    ``jobs`` are the planned catalog outputs; ``staged_root``/``staged`` are
    MkDocs' files in the staging folder; ``photos`` makes the published
    photos' output -> :data:`FileFinder` mapping, called at most once and
    only when a key is neither a job nor a staged file (most requests never
    need it, and on a big site with photos it has millions of keys).
    ``search_root`` is the last ``karigar build``'s site folder: the search
    bundles are served from it as they are (indexing a big catalog takes
    minutes, more than a save may), so the dev server searches what that
    build indexed.  Membership tests never render.
    """

    def __init__(self, jobs: Mapping[str, Job], cache: PageCache, *, staged_root: Path | None = None,
                 staged: frozenset[str] = frozenset(),
                 photos: Callable[[], Mapping[str, FileFinder]] = dict, search_root: Path | None = None) -> None:
        self.jobs = jobs
        self.cache = cache
        self.staged_root = staged_root
        self.staged = staged
        self.search_root = search_root
        self._make_photos = photos
        self._photos: Mapping[str, FileFinder] | None = None
        self._photos_lock = threading.Lock()

    @property
    def photos(self) -> Mapping[str, FileFinder]:
        """Published photo outputs -> how to find the file to serve (made on first use)."""
        with self._photos_lock:
            if self._photos is None:
                self._photos = self._make_photos()
            return self._photos

    def __getitem__(self, key: str) -> bytes:
        job = self.jobs.get(key)
        if job is not None:
            return self.cache.page(job)
        if key in self.staged and self.staged_root is not None:
            return _read(self.staged_root / key)
        if self._searched(key):
            return _read(self.search_root / key)  # type: ignore[operator]
        finder = self.photos.get(key)
        if finder is None:
            raise KeyError(key)
        try:
            path = finder()
        except Exception as exc:  # noqa: BLE001 - e.g. a cached photo that cannot be made again
            if self.cache.on_error is not None:
                self.cache.on_error(key, exc)
            raise PageFailed(key, exc) from exc
        return _read(path)

    def __contains__(self, key: object) -> bool:
        # Overridden: Mapping's default would call __getitem__, i.e. render.
        if not isinstance(key, str):
            return False
        return key in self.jobs or key in self.staged or self._searched(key) or key in self.photos

    def _searched(self, key: str) -> bool:
        return (self.search_root is not None and key.startswith(SEARCH_BUNDLES) and ".." not in key.split("/")
                and (self.search_root / key).is_file())

    def __iter__(self) -> Iterator[str]:
        yield from self.jobs
        yield from (key for key in sorted(self.staged) if key not in self.jobs)
        yield from (key for key in self.photos if key not in self.jobs and key not in self.staged)

    def __len__(self) -> int:
        return sum(1 for _ in self)
