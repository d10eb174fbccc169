"""The import, decided before anything is written: which rows become which files, and every problem.

Each row's text is validated by :func:`karigar.model.validate.validate_artisan`,
the function ``karigar check`` runs on every ``index.md``, and each problem it
reports on a line of that text is moved to the cell the line came from.  Then
the cross-row rules (:mod:`.matching`).  A row with any error is not imported;
the others are, whatever the errors of the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from karigar.config import Settings
from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.importer.entry_files import artisan_folders, write_new
from karigar.importer.mapping import ImportMapping
from karigar.importer.matching import (
    CatalogPeople, assign_slugs, check_districts, earlier_import, find_duplicates,
)
from karigar.importer.roster import Roster
from karigar.importer.rows import RowEntry, row_entry
from karigar.load.entries import RawEntry
from karigar.load.frontmatter import decode_source, split_front_matter
from karigar.load.nodes import Map
from karigar.model.context import ValidationSettings
from karigar.model.types import Artisan, Registries
from karigar.model.validate import validate_artisan

__all__ = ["PlannedEntry", "ImportPlan", "plan_import", "write_plan"]

# The folder name a row is validated under before its slug is chosen: any valid slug will do, since
# problems with the slug itself are the importer's to report.
_PLACEHOLDER_SLUG = "imported-row"
# The same for a district that gives no folder name (empty, or in a script without Latin letters):
# the row already has its error, at the district's cell.
_PLACEHOLDER_DISTRICT = "no-district"
# Problems with a word a registry or a list of choices does not know: the mapping's `values` can translate it.
_WORD_CODES = frozenset({"unknown-craft", "unknown-program", "enum", "language-tag"})


@dataclass(frozen=True)
class PlannedEntry:
    row: int
    path: Path  # the index.md to create
    rel: str  # site-relative, for messages
    text: str
    note: str = ""  # why the slug is not the name's own


@dataclass
class ImportPlan:
    rows: int
    entries: list[PlannedEntry] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, the entry imported earlier)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed_rows: list[int] = field(default_factory=list)  # rows not imported for their errors


def _front(text: str, path: str, sink: DiagnosticSink) -> tuple[Map | None, str, int]:
    source = decode_source(text.encode("utf-8"), path=path, sink=sink)
    if source is None:
        return None, "", 1
    doc = split_front_matter(source, sink=sink)
    return (doc.front if isinstance(doc.front, Map) else None), doc.body, doc.body_line


def _validate(entry: RowEntry, *, catalog: str, registries: Registries, settings: ValidationSettings) -> Map | None:
    """Validate the row's text as ``karigar check`` validates an ``index.md``; problems go to its cells."""
    district = entry.district_slug or _PLACEHOLDER_DISTRICT
    path = f"{catalog}/{entry.country}/{district}/{_PLACEHOLDER_SLUG}/index.md"
    sink = DiagnosticSink()
    front, body, body_line = _front(entry.text, path, sink)
    raw = RawEntry("artisan", path, "", front, body, body_line, country=entry.country, district=district,
                   artisan=_PLACEHOLDER_SLUG)
    validate_artisan(raw, registries=registries, photos={}, settings=settings, sink=sink)
    for problem in sink.sorted():
        line = problem.location.line
        if line in entry.quiet_lines:
            continue
        origin = entry.origins[line - 1] if 1 < line <= len(entry.origins) else None
        if origin is None:  # about the whole file: its folder names come from these cells
            origin = (entry.country_origin if problem.code == "country" else
                      entry.district_origin if "district" in problem.message else None) or entry.name_origin
        if origin is None:
            continue
        hint = problem.hint
        if problem.code in _WORD_CODES and not origin.constant:
            key = entry.lines[line - 1].split(":", 1)[0].strip()
            mapped = f"translate the spreadsheet's word into a known one under `values.{key}` of the mapping"
            hint = f"{hint}; or {mapped}" if hint else mapped
        report = entry.problems.error if problem.is_error else entry.problems.warning
        report(problem.code, f"{problem.message} ({origin.label})", origin.location, hint)
    return front


def _existing_front(settings: Settings, source: str) -> Map | None:
    try:
        text = (settings.root / source).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return _front(text, source, DiagnosticSink())[0]


def plan_import(roster: Roster, mapping: ImportMapping, *, settings: Settings, validation: ValidationSettings,
                registries: Registries, catalog_artisans: Sequence[Artisan], added: dt.date) -> ImportPlan:
    """What importing ``roster`` would write, skip and report, given the catalog's valid artisans."""
    catalog = settings.relative(settings.catalog_dir)
    entries = [row_entry(row, roster, mapping, languages=settings.languages, registries=registries, added=added)
               for row in roster.rows]
    fronts = {entry.row: _validate(entry, catalog=catalog, registries=registries, settings=validation)
              for entry in entries}
    headers = [roster.headers[col - 1] for col in mapping.same_person]
    find_duplicates(entries, headers)
    people = CatalogPeople(catalog_artisans)
    plan = ImportPlan(rows=len(entries))
    fresh: list[RowEntry] = []
    for entry in entries:
        front = fronts[entry.row]
        if entry.own_errors or front is None:
            continue
        same = people.same_person(entry)
        earlier = next((e for e in same if not earlier_import(front, _existing_front(settings, e.source))), None)
        if earlier is not None:
            plan.skipped.append((entry.row, earlier.source))
        elif same and entry.name_origin is not None:
            differ = earlier_import(front, _existing_front(settings, same[0].source))
            entry.error("import-exists", f"{same[0].source} has the same name in the same district and differs from "
                        f"this row in {', '.join(f'`{k}`' for k in differ)}: this row is not imported (karigar "
                        "import never overwrites an entry)", entry.name_origin,
                        f"if the row is right, edit {same[0].source} by hand; if they are two people, give this "
                        "one a public name that tells them apart")
        else:
            fresh.append(entry)
    check_districts([e for e in fresh if not e.own_errors], people, registries)
    fresh = [e for e in fresh if not e.own_errors]
    taken = {folder.name for folder in artisan_folders(settings)}
    reserved = settings.reserved_slugs | frozenset(settings.languages)
    slugs = assign_slugs(fresh, taken, reserved)
    for entry in fresh:
        if entry.row not in slugs or entry.own_errors:
            continue
        slug, note = slugs[entry.row]
        path = settings.catalog_dir / entry.country / entry.district_slug / slug / "index.md"
        plan.entries.append(PlannedEntry(entry.row, path, settings.relative(path), entry.text, note))
    sink = DiagnosticSink()
    for entry in entries:
        sink.extend(entry.problems.items)
    plan.diagnostics = sink.sorted()
    plan.failed_rows = [entry.row for entry in entries if entry.own_errors]
    return plan


def write_plan(plan: ImportPlan, settings: Settings) -> tuple[list[str], list[str]]:
    """Create the planned files; (paths written, messages for files that appeared since the plan)."""
    written, refused = [], []
    for planned in plan.entries:
        try:
            write_new(planned.path, planned.text)
        except FileExistsError:
            refused.append(f"{planned.rel} appeared while importing: left as it is; run the import again")
            continue
        written.append(planned.rel)
        # An empty photos/ folder to put portraits in, as `karigar new` makes (Git keeps it by this file).
        keep = planned.path.parent / "photos" / ".gitkeep"
        if not keep.exists():
            write_new(keep, "")
    return written, refused
