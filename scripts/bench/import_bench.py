#!/usr/bin/env python3
"""Benchmark: `karigar import` of a generated roster into a site (not a test; figures go in the notes).

Writes a CSV roster of ``--rows`` new artisans spread over the first
``--districts`` Pakistani districts of the site's districts registry, with the
sample mapping's columns (tests/fixtures/import/mapping.yml), imports it once
and prints the wall time of the whole command and of each site check it runs:
the check before the import (the whole catalog: its names and registries; warm
when the site's `.karigar-cache/` is current) and the check after it (the
districts written to). Then it imports the same roster again, which must write
nothing. The site is changed: run it on a copy or a demo (`git checkout -- .`
and `git clean -fd artisans` undo it).

    karigar demo --artisans 50000 /tmp/demo50k && karigar build -f /tmp/demo50k/mkdocs.yml
    python scripts/bench/import_bench.py /tmp/demo50k/mkdocs.yml --rows 500 --districts 5
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

import karigar.commands.import_roster as command
from karigar.config import load_settings
from karigar.diagnostics import DiagnosticSink

REPO = Path(__file__).resolve().parents[2]
MAPPING = REPO / "tests" / "fixtures" / "import" / "mapping.yml"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
HEADERS = ["Name", "Name (Urdu)", "Name (Hindi)", "Name (Roman)", "Type", "Members", "Craft", "District", "Province",
           "Languages", "Since", "Consent date", "Recorded by", "Phone", "CNIC"]


def pakistani_districts(config: Path, count: int) -> list[tuple[str, str]]:
    """(name, province) of the registry's first ``count`` districts in Pakistan."""
    settings = load_settings(config, sink=DiagnosticSink())
    if settings is None:
        raise SystemExit(f"{config}: not a site's settings (run `karigar check` there)")
    registry = yaml.safe_load((settings.catalog_dir / "_registry" / "districts.yml").read_text("utf-8"))
    found = []
    for key, entry in registry.items():
        if key.startswith("pk/"):
            name = entry["name"]["en"] if isinstance(entry["name"], dict) else entry["name"]
            found.append((name, entry["province"]))
    return found[:count]


def write_roster(path: Path, rows: int, districts: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for k in range(rows):
            district, province = districts[k % len(districts)]
            writer.writerow([f"Bench Importee {k:05d}", "", "", "", "Individual", "", "Ajrak", district, province,
                             "Urdu", "", "15/01/2026", "bench-volunteer", "", ""])


def timed_import(config: Path, roster: Path) -> tuple[int, float, list[tuple[str, float]], str]:
    checks: list[tuple[str, float]] = []
    whole = command.check_site

    def timed_check(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = whole(*args, **kwargs)
        scope = kwargs.get("scope")
        what = "whole catalog" if scope is None else f"{len(scope.districts)} district(s) + {len(scope.artisans)} namesake(s)"
        checks.append((what, time.perf_counter() - start))
        return result

    command.check_site = timed_check  # type: ignore[assignment]
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        code = command.run_import(config_file=config, roster=roster, mapping=MAPPING, dry_run=False, now=NOW,
                                  out=out, err=err)
    finally:
        command.check_site = whole  # type: ignore[assignment]
    last = out.getvalue().strip().splitlines()[-1] if out.getvalue().strip() else ""
    return code, time.perf_counter() - start, checks, last + ("\n" + err.getvalue()[:2000] if code else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path, help="the site's mkdocs.yml")
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--districts", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        write_roster(roster, args.rows, pakistani_districts(args.config, args.districts))
        for run in ("first import", "same roster again"):
            code, seconds, checks, said = timed_import(args.config, roster)
            parts = ", ".join(f"check of the {what} {s:.1f} s" for what, s in checks)
            print(f"{run}: exit {code}, {seconds:.1f} s ({parts}); {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
