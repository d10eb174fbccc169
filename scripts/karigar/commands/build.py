"""`karigar build`: check everything, then write the site through the funnel."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path
from typing import TextIO

from karigar.commands.common import print_diagnostics, read_settings, summary
from karigar.config import Settings
from karigar.incremental.entries import engine_fingerprint
from karigar.incremental.uptodate import clock_valid_until, forget_stamp, input_key, read_stamp, write_stamp
from karigar.pipeline import build_site, default_jobs
from karigar.write.funnel import DiskWriter
from karigar.write.shard import Shard

__all__ = ["run_build"]


def run_build(*, config_file: Path, site_dir: Path | None, now: dt.datetime, quiet: bool,
              out: TextIO, err: TextIO, shard: Shard | None = None) -> int:
    settings = read_settings(config_file, err=err)
    if settings is None:
        return 1
    if site_dir is not None:
        settings = dataclasses.replace(settings, site_dir=site_dir.resolve())
    if shard is not None and shard.count > 1:
        return _run_shard(settings, shard, now=now, quiet=quiet, out=out, err=err)
    writer = DiskWriter(settings.site_dir, settings.cache_dir / "state")
    started = time.perf_counter()
    key = input_key(settings, engine_fingerprint(), processes=default_jobs())
    stamp = read_stamp(settings, key=key, now=now, state_file=writer.state_file, marker=writer.marker)
    if stamp is not None:
        # Nothing the build reads has changed since the last build: same output, nothing to do.
        print_diagnostics([d for d in stamp.diagnostics if d.is_error or not quiet], err=err, warnings_per_code=3)
        if not quiet:
            print(f"built {settings.relative(settings.site_dir)}/: {stamp.files} files, 0 rendered, 0 written, "
                  f"0 removed ({summary(list(stamp.diagnostics))}); no input changed since the last build\n"
                  f"stages: up-to-date check {time.perf_counter() - started:.2f}s", file=out)
        return 0
    forget_stamp(settings)
    result = build_site(settings, now=now, writer=writer)
    diagnostics = result.check.diagnostics
    if result.ok and result.check.catalog is not None and result.report is not None:
        write_stamp(settings, key=key, built_at=now, valid_until=clock_valid_until(result.check.catalog),
                    state_file=writer.state_file, files=result.report.total, diagnostics=diagnostics)
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


def _run_shard(settings: Settings, shard: Shard, *, now: dt.datetime, quiet: bool, out: TextIO,
               err: TextIO) -> int:
    """One share of the site into its own folder, with its own published state (no up-to-date stamp:
    a shard's inputs are the whole site's, and each shard runs on its own machine)."""
    writer = DiskWriter(settings.site_dir, settings.cache_dir / f"state-shard-{shard.number}-of-{shard.count}")
    result = build_site(settings, now=now, writer=writer, shard=shard)
    diagnostics = result.check.diagnostics
    print_diagnostics([d for d in diagnostics if d.is_error or not quiet], err=err, warnings_per_code=3)
    if not result.ok or result.report is None:
        print(f"build failed: {summary(diagnostics)}; the site in {settings.site_dir} was not changed", file=err)
        return 1
    if not quiet:
        report = result.report
        print(f"built shard {shard} into {settings.relative(settings.site_dir)}/: {report.total} files, "
              f"{len(report.rendered)} rendered, {len(report.written)} written, {len(report.removed)} removed "
              f"({summary(diagnostics)})\nstages: {result.check.timings.line()}", file=out)
    return 0
