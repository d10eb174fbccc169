"""`karigar build`: check everything, then write the site through the funnel."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.pipeline import build_site
from karigar.write.funnel import DiskWriter

__all__ = ["run_build"]


def run_build(*, config_file: Path, site_dir: Path | None, now: dt.datetime, quiet: bool,
              out: TextIO, err: TextIO) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    if site_dir is not None:
        settings = dataclasses.replace(settings, site_dir=site_dir.resolve())
    writer = DiskWriter(settings.site_dir, settings.cache_dir / "state")
    result = build_site(settings, now=now, writer=writer)
    diagnostics = result.check.diagnostics
    print_diagnostics([d for d in diagnostics if d.is_error or not quiet], err=err, warnings_per_code=3)
    if not result.ok:
        print(f"build failed: {summary(diagnostics)}; the site in {settings.site_dir} was not changed", file=err)
        return 1
    report = result.report
    assert report is not None
    if not quiet:
        print(
            f"built {settings.relative(settings.site_dir)}/: {report.total} files, {len(report.rendered)} rendered, "
            f"{len(report.written)} written, {len(report.removed)} removed ({summary(diagnostics)})\n"
            f"stages: {result.check.timings.line()}",
            file=out,
        )
    return 0
