"""`karigar import ROSTER.xlsx|ROSTER.csv --map mapping.yml [--dry-run]`: a roster into artisan entries.

Every problem is printed at its cell (``ROSTER.xlsx:ROW:COL: error: ...``),
all in one run; rows without errors are imported, the others are not.  What
was written is then checked by the site's checks (:func:`check_site`), the one
authority, reading the districts written to whole and every artisan folder
elsewhere named like one of theirs, as ``karigar check --changed-from`` reads
a pull request's districts: the second check costs the roster's districts,
not the catalog.  Exit codes: 0 every row imported (or imported before), 1 a
row or the mapping had errors, 2 usage errors (argparse).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.config import Settings
from karigar.diagnostics import DiagnosticSink
from karigar.importer.mapping import read_mapping, resolve_mapping
from karigar.importer.plan import ImportPlan, plan_import, write_plan
from karigar.importer.roster import read_roster
from karigar.load.scope import WalkScope, artisan_folders, districts_with_namesakes
from karigar.pipeline import check_site, validation_settings

__all__ = ["run_import"]


def _report(plan: ImportPlan, written: int, roster: str, dry_run: bool, out: TextIO) -> None:
    failed = len(plan.failed_rows)
    verb = "would import" if dry_run else "imported"
    print(f"{roster}: {plan.rows} row(s): {verb} {written}, {len(plan.skipped)} imported before (skipped), "
          f"{failed} not imported (errors above)", file=out)


def _written_scope(settings: Settings, written: list[str]) -> WalkScope:
    """What the check after an import reads: the districts written to, as a pull request's are read."""
    catalog = settings.relative(settings.catalog_dir) + "/"
    districts: set[tuple[str, str]] = set()
    for path in written:  # artisans/<country>/<district>/<artisan>/index.md
        country, district = path.removeprefix(catalog).split("/")[:2]
        districts.add((country, district))
    return districts_with_namesakes(artisan_folders(settings.catalog_dir), districts)


def run_import(*, config_file: Path, roster: Path, mapping: Path, dry_run: bool, now: dt.datetime,
               out: TextIO, err: TextIO) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    sink = DiagnosticSink()
    spec = read_mapping(mapping, shown_as=str(mapping), languages=settings.languages, sink=sink)
    table = read_roster(roster, shown_as=str(roster), sink=sink, sheet=spec.sheet if spec else None,
                        sheet_at=spec.sheet_at if spec else None, header_row=spec.header_row if spec else 1)
    resolved = resolve_mapping(spec, table, settings.languages, sink) if spec and table else None
    if table is None or resolved is None or sink.has_errors:
        print_diagnostics(sink.sorted(), err=err)
        print("nothing was imported: fix the mapping or the roster first", file=err)
        return 1
    before = check_site(settings, now=now)
    registry = settings.relative(settings.catalog_dir / "_registry") + "/"
    broken = [d for d in before.diagnostics if d.is_error and d.location.path.startswith(registry)]
    if broken or before.model is None:
        print_diagnostics(broken, err=err)
        print("nothing was imported: the registries have errors (run `karigar check`)", file=err)
        return 1
    plan = plan_import(table, resolved, settings=settings, validation=validation_settings(settings, now),
                       registries=before.model.registries, catalog_artisans=before.model.artisans,
                       added=now.date())
    print_diagnostics([*sink.sorted(), *plan.diagnostics], err=err)
    for row, source in plan.skipped:
        print(f"row {row}: imported before as {source}: skipped", file=out)
    for planned in plan.entries:
        if planned.note:
            print(f"row {planned.row}: {planned.note}", file=out)
    if dry_run:
        for planned in plan.entries:
            print(f"row {planned.row}: would write {planned.rel}", file=out)
        _report(plan, len(plan.entries), str(roster), True, out)
        print("dry run: nothing was written", file=out)
        return 1 if plan.failed_rows else 0
    written, refused = write_plan(plan, settings)
    for message in refused:
        print(f"error: {message}", file=err)
    _report(plan, len(written), str(roster), False, out)
    code = 1 if plan.failed_rows or refused else 0
    if written:
        after = check_site(settings, now=now, scope=_written_scope(settings, written))
        folders = tuple(path.rsplit("/", 1)[0] + "/" for path in written)
        # Cross-entry problems may sit on another file and name a new one in the message.
        mine = [d for d in after.diagnostics
                if d.location.path.startswith(folders) or any(f in d.message for f in folders)]
        print_diagnostics(mine, err=err)
        if any(d.is_error for d in mine):
            print(f"the imported entries have errors ({summary(mine)}): fix them, then run `karigar check`",
                  file=err)
            code = 1
    return code
