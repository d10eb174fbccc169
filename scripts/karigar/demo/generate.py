"""The synthetic catalog behind ``karigar demo``: artisans and products on disk.

Artisan ``i`` is a pure function of ``(seed, i)``: it draws from its own
``random.Random(f"{seed}:{i}")`` (photos from a second stream, so turning
``--photos`` on changes nothing else), so a catalog of 1,000 artisans is a
prefix of one of 10,000 and two runs with the same arguments write
byte-identical trees.  Front matter is formatted as text and written with
bare ``os.open``/``os.write``: at 50,000 artisans (about 350,000 files)
anything per file beyond that shows up in the total.
"""

from __future__ import annotations

import dataclasses
import datetime
import multiprocessing
import os
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from karigar.demo.artisan import ArtisanFiles, ArtisanMaker
from karigar.demo.places import DISTRICTS, LOCAL_SCRIPT, PK_SHARE, District
from karigar.demo.translations import translation_files
from karigar.demo.yamltext import localized, q, text_lines
from karigar.model.fields import slugify

__all__ = ["DemoStats", "generate_catalog"]

_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
_LAST_DATE = datetime.date(2026, 6, 30)
# Below this many artisans a pool's start-up costs more than it saves.
_PARALLEL_FROM = 2000
_MAX_WORKERS = 8
_CHUNK = 2500
_BY_COUNTRY: dict[str, tuple[District, ...]] = {
    country: tuple(d for d in DISTRICTS if d.country == country) for country in ("pk", "in")
}
_CUM_WEIGHTS: dict[str, tuple[int, ...]] = {
    country: tuple(accumulate(d.weight for d in rows)) for country, rows in _BY_COUNTRY.items()
}
_BY_KEY: dict[str, District] = {f"{d.country}/{slugify(d.name)}": d for d in DISTRICTS}


@dataclass(frozen=True)
class DemoStats:
    """What one run wrote; ``listings`` counts product listings, ``files`` every file."""

    artisans: int
    drafts: int
    products: int
    listings: int
    files: int
    bytes: int
    districts: int


class _Writer:
    """Writes files under the artisans folder and counts them; creates each folder once."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.files = 0
        self.bytes = 0
        self._made: set[str] = set()

    def folder(self, relative: str) -> str:
        path = os.path.join(self.root, relative)
        if path not in self._made:
            os.makedirs(path, exist_ok=True)
            self._made.add(path)
        return path

    @staticmethod
    def subfolder(parent: str, name: str) -> str:
        # An artisan's folders are used once each (slugs are unique): a bare
        # mkdir is cheaper than makedirs' checks, and they need no remembering.
        # They exist already only when a run writes over an earlier tree.
        path = os.path.join(parent, name)
        try:
            os.mkdir(path)
        except FileExistsError:
            pass
        return path

    def write(self, path: str, data: bytes) -> None:
        # os.open/os.write skip the buffered file object: a third less time per
        # file, which is most of a run at 350,000 files.
        fd = os.open(path, _WRITE_FLAGS, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        self.files += 1
        self.bytes += len(data)


def _write_artisan(writer: _Writer, files: ArtisanFiles, translations: list[tuple[str, str]]) -> None:
    district_dir = writer.folder(f"{files.country}/{files.district_slug}")
    base = writer.subfolder(district_dir, files.slug)
    writer.write(os.path.join(base, "index.md"), files.index.encode())
    products_dir = writer.subfolder(base, "products")
    for slug, text in files.products:
        writer.write(os.path.join(products_dir, f"{slug}.md"), text.encode())
    for relative, text in translations:
        writer.write(os.path.join(base, relative), text.encode())
    if files.photos:
        photos_dir = writer.subfolder(base, "photos")
        for name, data in files.photos:
            writer.write(os.path.join(photos_dir, name), data)


def _districts_yml(used: list[str], languages: Sequence[str]) -> str:
    lines = [
        "# Districts of the demo catalog: localized names shown on the site and the",
        "# province every artisan of the district folder agrees with.",
    ]
    for key in used:
        district = _BY_KEY[key]
        lang = LOCAL_SCRIPT[district.country]
        name = localized(district.name, lang, district.local, languages)
        lines += [f"{key}:", *text_lines("name", name, "  "), f"  province: {q(district.province)}"]
    if not used:
        lines.append("{}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Job:
    """A contiguous range of artisan indexes and the run's settings (picklable for workers)."""

    start: int
    stop: int
    root: str
    seed: int
    photos: bool
    crafts: tuple[str, ...]
    programs: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class _Partial:
    """What one job wrote; ``districts`` holds the ``<cc>/<district>`` keys it used."""

    drafts: int
    products: int
    listings: int
    files: int
    bytes: int
    districts: frozenset[str]


def _run_job(job: _Job) -> _Partial:
    """Write artisans ``job.start`` to ``job.stop - 1``; runs in-process or in a worker."""
    maker = ArtisanMaker.build(
        seed=job.seed,
        photos=job.photos,
        crafts=job.crafts,
        programs=job.programs,
        languages=job.languages,
        end_date=_LAST_DATE,
    )
    writer = _Writer(Path(job.root))
    used: set[str] = set()
    drafts = products = listings = 0
    for i in range(job.start, job.stop):
        rng = random.Random(f"{job.seed}:{i}")
        country = "pk" if rng.random() < PK_SHARE else "in"
        district = rng.choices(_BY_COUNTRY[country], cum_weights=_CUM_WEIGHTS[country])[0]
        files = maker.make(rng, i, district)
        translations = translation_files(job.seed, files.country, files.slug, [s for s, _ in files.products],
                                         job.languages)
        _write_artisan(writer, files, translations)
        used.add(f"{country}/{files.district_slug}")
        drafts += files.draft
        products += len(files.products)
        listings += files.listings
    return _Partial(drafts, products, listings, writer.files, writer.bytes, frozenset(used))


def _jobs(artisans: int, workers: int, base: _Job) -> list[_Job]:
    # Several chunks per worker even out uneven chunks; the output does not
    # depend on the split, since every artisan depends only on its index.
    size = max(1, min(_CHUNK, -(-artisans // (workers * 4))))
    return [
        dataclasses.replace(base, start=start, stop=min(artisans, start + size))
        for start in range(0, artisans, size)
    ]


def generate_catalog(
    artisans_dir: Path,
    *,
    artisans: int,
    seed: int = 42,
    photos: bool = False,
    crafts: Sequence[str],
    programs: Sequence[str],
    languages: Sequence[str] | None = None,
    workers: int = 0,
) -> DemoStats:
    """Write a synthetic catalog of ``artisans`` artisans under ``artisans_dir``.

    ``crafts`` and ``programs`` are the registry keys artisans may use.
    Writes ``<cc>/<district>/<artisan>/index.md``, ``products/*.md``, with
    ``photos`` tiny JPEGs under ``photos/``, and ``_registry/districts.yml``
    for the districts used.  Existing files are overwritten, others kept.
    Some names are localized (``{en: ..., ur: ...}``) where ``languages``
    (the site's, default first; None: en, ur, hi) has both keys; nothing
    else depends on them.
    ``workers`` processes share the work (0: one per core for large
    catalogs, none for small ones); the tree is the same for any number.
    """
    if artisans < 0:
        raise ValueError(f"artisans must be >= 0, got {artisans}")
    if not crafts:
        raise ValueError("at least one craft key is needed")
    if workers <= 0:
        workers = min(os.cpu_count() or 1, _MAX_WORKERS) if artisans >= _PARALLEL_FROM else 1
    site_languages = ("en", *LOCAL_SCRIPT.values()) if languages is None else tuple(languages)
    base = _Job(
        start=0,
        stop=0,
        root=str(artisans_dir),
        seed=seed,
        photos=photos,
        crafts=tuple(crafts),
        programs=tuple(programs),
        languages=site_languages,
    )
    jobs = _jobs(artisans, workers, base)
    if workers == 1 or len(jobs) <= 1:
        partials = [_run_job(job) for job in jobs]
    else:
        # fork where there is one: workers need nothing but their job, and unlike
        # spawn it works from a script without a `__main__` guard. The demo
        # command is single-threaded, so forking holds no other thread's locks.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            partials = list(pool.map(_run_job, jobs))
    used = sorted(set().union(*(p.districts for p in partials)))
    writer = _Writer(artisans_dir)
    registry = writer.folder("_registry")
    writer.write(
        os.path.join(registry, "districts.yml"), _districts_yml(used, site_languages).encode()
    )
    return DemoStats(
        artisans=artisans,
        drafts=sum(p.drafts for p in partials),
        products=sum(p.products for p in partials),
        listings=sum(p.listings for p in partials),
        files=sum(p.files for p in partials) + writer.files,
        bytes=sum(p.bytes for p in partials) + writer.bytes,
        districts=len(used),
    )
