"""The synthetic catalog behind ``karigar demo``: artisans and products on disk.

Artisan ``i`` is a pure function of ``(seed, i)``: it draws from its own
``random.Random(f"{seed}:{i}")`` (photos from a second stream, so turning
``--photos`` on changes nothing else), so a catalog of 1,000 artisans is a
prefix of one of 10,000 and two runs with the same arguments write
byte-identical trees.  Front matter is formatted as text and written with
plain ``open``/``write``: at 50,000 artisans (about 350,000 files) anything
per file beyond that shows up in the total.
"""

from __future__ import annotations

import datetime
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from karigar.demo.artisan import ArtisanFiles, ArtisanMaker
from karigar.demo.places import DISTRICTS, LOCAL_SCRIPT, PK_SHARE, District
from karigar.demo.yamltext import q

__all__ = ["DemoStats", "generate_catalog", "slugify", "RESERVED_SLUGS", "SLUG_RE"]

# Reserved by the contract: route words and the demo site's language codes.
RESERVED_SLUGS = frozenset({"page", "photos", "products", "api", "search", "assets", "en", "ur", "hi"})
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


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


def slugify(text: str) -> str:
    """The contract's slug of ``text``: lower-cased, non-alphanumeric runs to one hyphen, trimmed."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


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

    def new_folder(self, relative: str) -> str:
        # An artisan's own folders are new by construction (unique slugs): a bare
        # mkdir is cheaper than makedirs' checks, and they are not remembered.
        path = os.path.join(self.root, relative)
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


def _write_artisan(writer: _Writer, files: ArtisanFiles) -> None:
    district_dir = writer.folder(f"{files.country}/{files.district_slug}")
    base = writer.new_folder(os.path.join(district_dir, files.slug))
    writer.write(os.path.join(base, "index.md"), files.index.encode())
    products_dir = writer.new_folder(os.path.join(base, "products"))
    for slug, text in files.products:
        writer.write(os.path.join(products_dir, f"{slug}.md"), text.encode())
    if files.photos:
        photos_dir = writer.new_folder(os.path.join(base, "photos"))
        for name, data in files.photos:
            writer.write(os.path.join(photos_dir, name), data)


def _districts_yml(used: dict[str, District]) -> str:
    lines = [
        "# Districts of the demo catalog: localized names shown on the site and the",
        "# province every artisan of the district folder agrees with.",
    ]
    for key in sorted(used):
        district = used[key]
        lines += [
            f"{key}:",
            "  name:",
            f"    en: {q(district.name)}",
            f"    {LOCAL_SCRIPT[district.country]}: {q(district.local)}",
            f"  province: {q(district.province)}",
        ]
    if not used:
        lines.append("{}")
    return "\n".join(lines) + "\n"


def generate_catalog(
    artisans_dir: Path,
    *,
    artisans: int,
    seed: int = 42,
    photos: bool = False,
    crafts: Sequence[str],
    programs: Sequence[str],
) -> DemoStats:
    """Write a synthetic catalog of ``artisans`` artisans under ``artisans_dir``.

    ``crafts`` and ``programs`` are the registry keys artisans may use.
    Writes ``<cc>/<district>/<artisan>/index.md``, ``products/*.md``, with
    ``photos`` tiny JPEGs under ``photos/``, and ``_registry/districts.yml``
    for the districts used.  Existing files are overwritten, others kept.
    """
    if artisans < 0:
        raise ValueError(f"artisans must be >= 0, got {artisans}")
    if not crafts:
        raise ValueError("at least one craft key is needed")
    maker = ArtisanMaker.build(
        seed=seed,
        photos=photos,
        crafts=crafts,
        programs=programs,
        slugify=slugify,
        end_date=datetime.date(2026, 6, 30),
    )
    by_country = {country: [d for d in DISTRICTS if d.country == country] for country in ("pk", "in")}
    cum_weights = {
        country: _cumulative([d.weight for d in rows]) for country, rows in by_country.items()
    }
    writer = _Writer(artisans_dir)
    used: dict[str, District] = {}
    drafts = products = listings = 0
    for i in range(artisans):
        rng = random.Random(f"{seed}:{i}")
        country = "pk" if rng.random() < PK_SHARE else "in"
        district = rng.choices(by_country[country], cum_weights=cum_weights[country])[0]
        files = maker.make(rng, i, district)
        _write_artisan(writer, files)
        used[f"{country}/{files.district_slug}"] = district
        drafts += files.draft
        products += len(files.products)
        listings += files.listings
    registry = writer.folder("_registry")
    writer.write(os.path.join(registry, "districts.yml"), _districts_yml(used).encode())
    return DemoStats(
        artisans=artisans,
        drafts=drafts,
        products=products,
        listings=listings,
        files=writer.files,
        bytes=writer.bytes,
        districts=len(used),
    )


def _cumulative(weights: list[int]) -> list[int]:
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
