"""Rows compared with each other and with the catalog: duplicates, earlier imports, districts, slugs.

* A person is the same normalized name in the same district.  Private
  columns only help: two rows whose private column holds different values
  are two people; a ``same_person`` column (a CNIC) with one value in two
  rows is one person whatever the spelling of the names.  Their values are
  compared here and never written or printed.
* A row whose person is already in the catalog with the same fields (``added``
  aside: it is the day of that import) was imported before: it is skipped with
  a note, so running the same roster again changes nothing.  The same person
  with other fields is an error: an entry is never overwritten.
* Slugs are unique across the catalog: a taken one gets the district as a
  suffix, then a number (``ali-khan``, ``ali-khan-thatta``, ``ali-khan-thatta-2``),
  in row order, so the same roster and catalog always give the same slugs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from karigar.importer.rows import RowEntry, name_key, slug_base
from karigar.load.nodes import Map, Node, Scalar, Seq
from karigar.model import schema
from karigar.model.types import Artisan, Registries

__all__ = ["Existing", "CatalogPeople", "find_duplicates", "earlier_import", "check_districts", "assign_slugs",
           "plain"]

_NUMBER_NOISE = re.compile(r"[\s\-_./()+]")
PersonKey = tuple[str, str, str]  # (country, district slug, normalized name)


@dataclass(frozen=True)
class Existing:
    """An artisan of the catalog, as the comparisons need it."""

    source: str  # site-relative path of its index.md
    country: str
    district_slug: str
    district: str
    province: str
    names: tuple[str, ...]


def _keys(country: str, district_slug: str, names: Iterable[str]) -> set[PersonKey]:
    return {(country, district_slug, key) for key in map(name_key, names) if key}


class CatalogPeople:
    """The catalog's artisans by person key and by district folder."""

    def __init__(self, artisans: Sequence[Artisan]) -> None:
        self.by_key: dict[PersonKey, list[Existing]] = {}
        self.by_folder: dict[tuple[str, str], Existing] = {}
        for artisan in sorted(artisans, key=lambda a: a.source):
            existing = Existing(artisan.source, artisan.country, artisan.district_slug, artisan.district.default,
                                artisan.province.default, tuple(text for _, text in artisan.name.values))
            self.by_folder.setdefault((artisan.country, artisan.district_slug), existing)
            for key in _keys(artisan.country, artisan.district_slug, existing.names):
                self.by_key.setdefault(key, []).append(existing)

    def same_person(self, entry: RowEntry) -> list[Existing]:
        found: dict[str, Existing] = {}
        for key in sorted(_keys(entry.country, entry.district_slug, entry.names)):
            for existing in self.by_key.get(key, ()):
                found.setdefault(existing.source, existing)
        return list(found.values())


def _number(value: str) -> str:
    """A private value as compared: spaces, dashes and case do not matter (0300-1234567 = 03001234567)."""
    return _NUMBER_NOISE.sub("", value).casefold()


def _two_people(a: RowEntry, b: RowEntry) -> bool:
    return any(x and y and _number(x) != _number(y) for x, y in zip(a.private, b.private))


def find_duplicates(entries: Sequence[RowEntry], same_person_headers: Sequence[str]) -> None:
    """Report each row that repeats an earlier row's person (at its name cell); the first one stays."""
    first_by_key: dict[PersonKey, list[RowEntry]] = {}
    first_by_id: dict[tuple[int, str], RowEntry] = {}
    for entry in entries:
        if entry.name_origin is None or not entry.names:
            continue
        match, why = None, "the same name in the same district"
        for index, value in enumerate(entry.same_person):
            earlier = first_by_id.get((index, _number(value))) if value else None
            if earlier is not None:
                match, why = earlier, f"the same {same_person_headers[index]}"
                break
        if match is None:
            for key in sorted(_keys(entry.country, entry.district_slug, entry.names)):
                match = next((e for e in first_by_key.get(key, ()) if not _two_people(entry, e)), None)
                if match is not None:
                    break
        if match is not None:
            entry.error("import-duplicate", f"this row is the same person as row {match.row} ({why}): a person "
                        "is imported once; this row is not imported", entry.name_origin,
                        "delete one of the two rows; if they are two people, tell them apart in a private column "
                        "(`private.columns` of the mapping)")
            continue
        for key in _keys(entry.country, entry.district_slug, entry.names):
            first_by_key.setdefault(key, []).append(entry)
        for index, value in enumerate(entry.same_person):
            if value:
                first_by_id.setdefault((index, _number(value)), entry)


def plain(node: Node | None) -> object:
    """A YAML node as plain values, for comparing what two files say (not how they say it)."""
    if isinstance(node, Map):
        return {key: plain(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, Seq):
        return [plain(item) for item in node.items]
    if isinstance(node, Scalar):
        return node.value
    return None


def earlier_import(row_front: Map, existing_front: Map | None) -> list[str]:
    """The fields (``added`` aside) in which an existing entry differs from the row; [] when none.

    Fields added to the entry since (a photo, a story, a badge) are not differences.
    """
    if existing_front is None:
        return ["(unreadable front matter)"]
    differ = []
    for key, (_, value) in row_front.entries.items():
        if key != "added" and plain(existing_front.get(key)) != plain(value):
            differ.append(key)
    return differ


def check_districts(entries: Sequence[RowEntry], people: CatalogPeople, registries: Registries) -> None:
    """Rows of one district folder agree with each other and with the catalog's artisans there.

    A district the registry lists was checked against it by the validator; this
    is the rule ``karigar check`` applies to the others.
    """
    reference: dict[tuple[str, str], tuple[str, str, str]] = {}  # folder -> (district, province, where)
    for entry in entries:
        folder = (entry.country, entry.district_slug)
        if f"{folder[0]}/{folder[1]}" in registries.districts:
            continue
        existing = people.by_folder.get(folder)
        ref = reference.setdefault(folder, (existing.district, existing.province, existing.source) if existing
                                   else (entry.district, entry.province, f"row {entry.row}"))
        if (entry.district, entry.province) == ref[:2]:
            continue
        origin = entry.district_origin if entry.district != ref[0] else entry.province_origin
        if origin is None:
            continue
        entry.error("district-disagree", f"district `{entry.district}`, province `{entry.province}` differs from "
                    f"`{ref[0]}`, `{ref[1]}` of {ref[2]}: all artisans of one district folder must agree", origin,
                    "write the district and province the same way in every row, or list the district in "
                    "artisans/_registry/districts.yml")


def assign_slugs(entries: Sequence[RowEntry], taken: set[str], reserved: frozenset[str]) -> dict[int, tuple[str, str]]:
    """Row -> (slug, note) for each entry, in row order; a row whose name gives no slug gets an error instead."""
    slugs: dict[int, tuple[str, str]] = {}
    for entry in entries:
        base = slug_base(entry.slug_source)
        if not base:
            if entry.name_origin is not None:
                entry.error("import-slug", "the name gives no letters or digits to make its folder name (slug) "
                            "from", entry.name_origin, "map a `romanized_name` column that spells the name "
                            "in Latin letters")
            continue
        slug, note = base, ""
        if slug in taken or slug in reserved:
            suffix = entry.district_slug
            stem = base[: schema.SLUG_MAX - len(suffix) - 1].rstrip("-")
            slug = f"{stem}-{suffix}"
            number = 2
            while slug in taken or slug in reserved:
                tail = f"{suffix}-{number}"
                slug = f"{base[: schema.SLUG_MAX - len(tail) - 1].rstrip('-')}-{tail}"
                number += 1
            note = f"the slug `{base}` is taken (slugs are unique across the catalog): this row gets `{slug}`"
        taken.add(slug)
        slugs[entry.row] = (slug, note)
    return slugs
