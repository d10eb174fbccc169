"""`karigar build`: the pipeline's build into the site folder, and what it says about it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.pipeline import UpToDate, build_to_disk
from karigar.write.shard import Shard

__all__ = ["run_build"]


def run_build(*, config_file: Path, site_dir: Path | None, now: dt.datetime, quiet: bool,
              out: TextIO, err: TextIO, shard: Shard | None = None) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    if site_dir is not None:
        settings = dataclasses.replace(settings, site_dir=site_dir.resolve())
    result = build_to_disk(settings, now=now, shard=shard)
    where = settings.relative(settings.site_dir)
    if isinstance(result, UpToDate):
        diagnostics = list(result.stamp.diagnostics)
        print_diagnostics([d for d in diagnostics if d.is_error or not quiet], err=err, warnings_per_code=3)
        if not quiet:
            print(f"built {where}/: {result.stamp.files} files, 0 rendered, 0 written, 0 removed "
                  f"({summary(diagnostics)}); no input changed since the last build\n"
                  f"stages: {result.timings.line()}", file=out)
        return 0
    diagnostics = result.check.diagnostics
    print_diagnostics([d for d in diagnostics if d.is_error or not quiet], err=err, warnings_per_code=3)
    if not result.ok or result.report is None:
        print(f"build failed: {summary(diagnostics)}; the site in {settings.site_dir} was not changed", file=err)
        return 1
    if not quiet:
        report = result.report
        what = f"shard {shard} into {where}/" if shard is not None and shard.count > 1 else f"{where}/"
        entries = f"{result.quick} {'entry' if result.quick == 1 else 'entries'}"
        quick = "" if result.quick is None else (
            f"; quick build: {entries} added in {result.added} new artisan folder{'s' * (result.added != 1)}"
            if result.added else f"; quick build: {entries} changed, none moved")
        print(f"built {what}: {report.total} files, {len(report.rendered)} rendered, {len(report.written)} written, "
              f"{len(report.removed)} removed ({summary(diagnostics)}){quick}\nstages: {result.check.timings.line()}",
              file=out)
    return 0
