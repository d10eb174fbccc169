#!/usr/bin/env python3
"""Benchmark: build demo catalogs and print a table (not a test; figures go in the notes).

For each size it measures a cold build, a rebuild with nothing changed, a rebuild
after editing one product and after adding one artisan, with peak memory, files
and bytes written and the per-stage timings `karigar build` prints. With
`--hugo`, the shared reference catalog (../shared/bench/gen.py) is also built by
Hugo and by Karigar, and the ratio is reported.

    python scripts/bench/bench.py --quick          # 1,000 artisans
    python scripts/bench/bench.py                  # 1,000, 10,000 and 50,000
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KARIGAR = [sys.executable, "-m", "karigar"]
NOW = "2026-11-25T09:00:00+00:00"


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    files: int
    rendered: int
    written: int
    stages: str


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def build(site: Path) -> Run:
    """One `karigar build` in a fresh process (so its peak memory is its own)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [*KARIGAR, "build", "--now", NOW, "-f", str(site / "mkdocs.yml")],
        capture_output=True, text=True, cwd=site,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {site}:\n{proc.stderr[-3000:]}")
    built = re.search(r"built .*?: (\d+) files, (\d+) rendered, (\d+) written", proc.stdout)
    stages = re.search(r"stages: (.*)", proc.stdout)
    # ru_maxrss of children is the largest child so far: measured per size in a fresh
    # benchmark process it is the peak of the biggest build.
    return Run(seconds, _children_peak_mb(), int(built.group(1)) if built else 0,
               int(built.group(2)) if built else 0, int(built.group(3)) if built else 0,
               stages.group(1) if stages else "")


def edit_one_product(site: Path) -> None:
    product = next((site / "artisans").glob("*/*/*/products/*.md"))
    text = product.read_text("utf-8")
    product.write_text(text.replace("\n---\n", "\n---\n\nEdited for the benchmark.\n", 1), "utf-8")


def add_one_artisan(site: Path) -> None:
    source = next((site / "artisans").glob("*/*/*/index.md")).parent
    target = source.with_name(source.name + "-bench")
    shutil.copytree(source, target)


def reset_mtimes(site: Path) -> None:
    """What a fresh clone does: every file gets a new mtime (contents unchanged)."""
    later = time.time() + 60
    for folder in ("artisans", "content", "theme"):
        for path in (site / folder).rglob("*"):
            if path.is_file():
                os.utime(path, (later, later))


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c",
                    "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


def fresh_clone_rows(site: Path, work: Path) -> list[tuple[str, Run]]:
    """What Netlify does for every build: a fresh `git clone` (new mtimes and inodes), the cache and
    site/ restored, then a build with nothing changed and one with one product edited (uncommitted)."""
    if shutil.which("git") is None:
        return []
    (site / ".gitignore").write_text(".karigar-cache/\nsite/\n", "utf-8")
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "catalog")
    clone = work / f"{site.name}-clone"
    shutil.rmtree(clone, ignore_errors=True)
    _git(work, "clone", "-q", str(site), str(clone))
    for folder in (".karigar-cache", "site"):
        shutil.copytree(site / folder, clone / folder)
    rows = [("fresh git clone + cache, no change", build(clone))]
    edit_one_product(clone)
    rows.append(("fresh git clone + cache, one product edited", build(clone)))
    shutil.rmtree(clone)
    return rows


def site_root(work: Path, languages: list[str] | None, untranslated: str | None) -> Path:
    """The repository's site, or a copy of its settings with other languages (for 1 vs 3 languages)."""
    if languages is None and untranslated is None:
        return REPO
    root = work / f"root-{'-'.join(languages or ['repo'])}-{untranslated or 'render'}"
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("theme", "content", "artisans/_registry"):
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    if languages is not None:
        config = re.sub(r"(\n\s+)languages: \[[^\]]*\]", rf"\1languages: [{', '.join(languages)}]", config, count=1)
    if untranslated is not None:
        config = re.sub(r"(\n(\s+)languages: \[[^\]]*\])", rf"\1\n\2untranslated: {untranslated}", config, count=1)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    return root


def bench_size(artisans: int, work: Path, root: Path = REPO) -> list[tuple[str, Run]]:
    site = work / f"demo-{artisans}"
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([*KARIGAR, "demo", "-f", str(root / "mkdocs.yml"), "--artisans", str(artisans), str(site)],
                   check=True, capture_output=True)
    rows = [("cold", build(site)), ("no change", build(site))]
    rows += fresh_clone_rows(site, work)
    reset_mtimes(site)
    rows.append(("no change, fresh mtimes", build(site)))
    edit_one_product(site)
    rows.append(("one product edited", build(site)))
    add_one_artisan(site)
    rows.append(("one artisan added", build(site)))
    return rows


def bench_hugo(artisans: int, work: Path) -> str:
    hugo = shutil.which("hugo")
    gen = REPO.parent / "shared" / "bench" / "gen.py"
    if hugo is None or not gen.is_file():
        return "hugo or ../shared/bench/gen.py not available: ratio not measured"
    karigar_site, hugo_site = work / f"ref-karigar-{artisans}", work / f"ref-hugo-{artisans}"
    for folder in (karigar_site, hugo_site):
        shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, str(gen), "--artisans", str(artisans), "--format", "karigar", "--out",
                    str(karigar_site)], check=True, capture_output=True)
    subprocess.run([sys.executable, str(gen), "--artisans", str(artisans), "--format", "hugo-karigar", "--out",
                    str(hugo_site)], check=True, capture_output=True)
    # Hugo builds the reference catalog in one language: so does Karigar, whatever the repository's.
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"(\n\s+)languages: \[[^\]]*\]", r"\1languages: [en]", config, count=1)
    (karigar_site / "mkdocs.yml").write_text(config, "utf-8")
    for folder in ("theme", "content"):
        shutil.copytree(REPO / folder, karigar_site / folder)
    (karigar_site / "artisans" / "_registry").mkdir(parents=True, exist_ok=True)
    for name in ("crafts", "marketplaces", "programs"):
        shutil.copy(REPO / "artisans" / "_registry" / f"{name}.yml", karigar_site / "artisans" / "_registry")
    start = time.perf_counter()
    subprocess.run([hugo, "-s", str(hugo_site), "-d", str(work / "hugo-out"), "--quiet"], check=True)
    hugo_seconds = time.perf_counter() - start
    karigar = build(karigar_site)
    return (f"reference catalog, {artisans} artisans: Hugo {hugo_seconds:.1f} s, Karigar {karigar.seconds:.1f} s "
            f"(ratio {karigar.seconds / hugo_seconds:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 artisans only")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--hugo", action="store_true", help="also build the shared reference catalog with Hugo")
    parser.add_argument("--work", type=Path, default=Path("/tmp/karigar-bench"))
    parser.add_argument("--languages", nargs="+", default=None,
                        help="site languages for the demo (default: the repository's mkdocs.yml)")
    parser.add_argument("--untranslated", choices=("render", "omit"), default=None,
                        help="the `untranslated` setting for the demo (default: the repository's)")
    args = parser.parse_args()
    sizes = args.sizes or ([1000] if args.quick else [1000, 10_000, 50_000])
    args.work.mkdir(parents=True, exist_ok=True)
    print("| artisans | run | seconds | peak RSS MB | files | rendered | written | stages |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    root = site_root(args.work, args.languages, args.untranslated)
    for size in sizes:
        for name, run in bench_size(size, args.work, root):
            print(f"| {size:,} | {name} | {run.seconds:.1f} | {run.peak_rss_mb:.0f} | {run.files:,} | "
                  f"{run.rendered:,} | {run.written:,} | {run.stages} |", flush=True)
        if args.hugo:
            print(bench_hugo(size, args.work), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
