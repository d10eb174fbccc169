#!/usr/bin/env python3
"""Benchmark: `karigar check` of the whole catalog against `karigar check --changed-from` of a pull request.

Not a test; figures go in the notes.  A fresh CI runner has no cache, so every
run starts without `.karigar-cache/`.  For the size given it generates a demo
catalog with `karigar demo` and commits it (as `bench.py` does: Git ids and
the pull request's diff need a repository), then measures, each in a fresh
process: the full check; and the fast check of pull requests committed on a
branch: one product edited in a typical district, one in the largest
district (read whole), and an artisan added to the largest district under
the folder name of an artisan elsewhere (a catalog-wide slug clash, which the
check must report).  Each row: wall seconds, the peak RSS of the largest
process (wait4), the peak PSS of the process tree, and what the check printed.

    python scripts/bench/check_bench.py --artisans 50000 --work /tmp/check-bench
    python scripts/bench/check_bench.py --artisans 50000 --work /tmp/check-bench --reuse   # keep its demo
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import KARIGAR, NOW, REPO, Finished, commit_site, run_measured

BRANCH = "pull-request"


def git(site: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args], cwd=site,
                          check=True, capture_output=True, text=True).stdout


def districts_by_size(site: Path) -> list[Path]:
    """District folders, the fullest last."""
    folders = [d for d in (site / "artisans").glob("*/*") if d.is_dir() and not d.parent.name.startswith("_")]
    return sorted(folders, key=lambda d: (sum(1 for _ in d.iterdir()), d.name))


def edit_a_product(district: Path) -> str:
    product = sorted(p for p in district.glob("*/products/*.md") if "." not in p.stem)[0]
    text = product.read_text("utf-8")
    product.write_text(text.replace("\n---\n", "\n---\n\nEdited in a pull request.\n", 1), "utf-8")
    return f"one product edited in {district.parent.name}/{district.name}"


def add_a_namesake(district: Path, elsewhere: Path) -> str:
    """A copy of an artisan of ``elsewhere`` added to ``district`` under the same folder name (a slug clash)."""
    source = sorted(p for p in elsewhere.iterdir() if p.is_dir())[0]
    target = district / source.name
    shutil.copytree(source, target)
    index = target / "index.md"
    text = index.read_text("utf-8")
    first = next(p for p in district.iterdir() if p.is_dir() and p != target) / "index.md"
    # Its location as the district's own artisans write it, so that the clash is the one error.
    theirs = first.read_text("utf-8").split("location:\n", 1)[1].split("\n", 2)[:2]
    mine = text.split("location:\n", 1)[1].split("\n", 2)[:2]
    index.write_text(text.replace("\n".join(mine), "\n".join(theirs), 1), "utf-8")
    return f"an artisan added to {district.parent.name}/{district.name}, named like one in {elsewhere.name}"


def check(site: Path, *args: str) -> Finished:
    shutil.rmtree(site / ".karigar-cache", ignore_errors=True)  # a fresh runner has no cache
    return run_measured([*KARIGAR, "check", "--now", NOW, "-f", str(site / "mkdocs.yml"), "--format", "github",
                         *args], cwd=site)


def outcome(done: Finished) -> str:
    codes = Counter(line.split("title=", 1)[1].split("::", 1)[0]
                    for line in done.stdout.splitlines() if line.startswith("::error"))
    last = [line for line in done.stderr.splitlines() if line.startswith(("ok:", "check failed", "note:"))]
    errors = ", ".join(f"{n} {code}" for code, n in sorted(codes.items()))
    return "; ".join(last) + (f" [{errors}]" if errors else "")


def pull_request(site: Path, change: str, make: list[str]) -> tuple[str, Finished]:
    """Commit a change on a branch, check it against main, then drop the branch."""
    git(site, "checkout", "-q", "-b", BRANCH)
    try:
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", change)
        return change, check(site, "--changed-from", "main", *make)
    finally:
        git(site, "checkout", "-q", "-f", "main")
        git(site, "clean", "-qfd", "artisans")
        git(site, "branch", "-q", "-D", BRANCH)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--artisans", type=int, default=50_000)
    parser.add_argument("--work", type=Path, required=True, help="where the demo site goes (a few GB at 50,000)")
    parser.add_argument("--reuse", action="store_true", help="use the committed demo an earlier run left in --work")
    args = parser.parse_args()
    site = args.work / f"demo-{args.artisans}"
    if not (args.reuse and (site / ".git").is_dir()):
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([*KARIGAR, "demo", "-f", str(REPO / "mkdocs.yml"), "--artisans", str(args.artisans), str(site)],
                       check=True, capture_output=True)
        commit_site(site)
    if git(site, "branch", "--show-current").strip() != "main":
        raise SystemExit(f"{site}: expected the demo on branch main")
    districts = districts_by_size(site)
    typical, largest = districts[len(districts) // 2], districts[-1]
    rows = [("whole catalog (karigar check)", check(site))]
    rows.append(pull_request(site, edit_a_product(typical), []))
    rows.append(pull_request(site, edit_a_product(largest), []))
    rows.append(pull_request(site, add_a_namesake(largest, typical), []))
    print(f"| {args.artisans:,} artisans, no cache | seconds | peak RSS (MB) | peak PSS, all processes (MB) | result |")
    print("|---|---:|---:|---:|---|")
    for label, done in rows:
        print(f"| {label} | {done.seconds:.1f} | {done.peak_rss_mb:.0f} | {done.peak_pss_mb:.0f} | {outcome(done)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
