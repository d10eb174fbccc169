#!/usr/bin/env python3
"""Benchmark: the web editor (/admin/) against a demo catalog.  Not a test; figures go in the notes.

For each size it writes a demo catalog with `karigar demo` and reports:

* the repository's tree entries (files and folders, as GitHub's recursive tree lists them), and where
  GitHub's 100,000-entry cut of that list falls: Sveltia's GitHub backend reads the whole tree in one
  call, so what lies past the cut is invisible to it (see content/maintainers/web-editor.md);
* the generated config.yml's size and its collections, and the entries each collection lists;
* with ``--browser``: Sveltia's own load time in Chromium through its local workflow, the catalog's
  entries copied into the origin-private file system (what a volunteer's folder would be).  Sveltia
  logs "[Loading site data] ... N ms total"; that figure is reported, with the wall time from the click.

    python scripts/bench/editor_bench.py --artisans 1000 5000 --work /tmp/editor-bench --browser
    python scripts/bench/editor_bench.py --artisans 1000 --scope pk/multan --work /tmp/editor-bench --browser
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from karigar.config import load_settings  # noqa: E402
from karigar.diagnostics import DiagnosticSink  # noqa: E402
from karigar.pipeline import check_site  # noqa: E402
from karigar.render.admin import admin_jobs  # noqa: E402
from karigar.render.pages import Signer  # noqa: E402
from tests.conftest import NOW  # noqa: E402

GITHUB_TREE_LIMIT = 100_000


def git_tree_order(root: Path) -> list[str]:
    """Every file and folder under ``root`` (but .git), in the order of a recursive Git tree listing:
    depth first, each folder's entries sorted by name with a folder compared as ``name/``."""
    out: list[str] = []

    def walk(folder: Path, prefix: str) -> None:
        entries = sorted(folder.iterdir(), key=lambda p: p.name + ("/" if p.is_dir() else ""))
        for entry in entries:
            if entry.name in (".git", "node_modules", "package.json"):
                continue
            out.append(prefix + entry.name)
            if entry.is_dir():
                walk(entry, prefix + entry.name + "/")

    walk(root, "")
    return out


def editor_files(site: Path, settings_changes: dict[str, object]) -> dict[str, bytes]:
    """The editor's outputs for ``site`` (config, page, bundle, fonts), made by the engine's own jobs."""
    # The demo site gets the repository's pinned editor, as a site of its own would after `npm ci`.
    shutil.copy(REPO / "package.json", site / "package.json")
    if not (site / "node_modules").exists():
        (site / "node_modules").symlink_to(REPO / "node_modules")
    sink = DiagnosticSink()
    settings = load_settings(site / "mkdocs.yml", sink=sink)
    assert settings is not None, [str(d) for d in sink.items]
    settings = dataclasses.replace(settings, **settings_changes)  # type: ignore[arg-type]
    check = check_site(settings, now=NOW)
    assert check.catalog is not None, [str(d) for d in check.diagnostics if d.is_error][:5]
    return {job.output: job.render() for job in admin_jobs(settings, check.catalog, Signer("", {}))}


def listed(config: str, tree: list[str]) -> dict[str, int]:
    """Entry files each collection's folder and path template match (default-language files)."""
    import yaml

    counts = {}
    for collection in yaml.safe_load(config)["collections"]:
        template = re.escape(collection["path"])
        pattern = re.sub(r"\\\{\\\{[^}]*\\\}\\\}", "[^/.]+", template)  # no language suffix
        matcher = re.compile(f"^{re.escape(collection['folder'])}/{pattern}\\.md$")
        counts[collection["name"]] = sum(1 for path in tree if matcher.match(path))
    return counts


def browser_load(site: Path, admin: dict[str, bytes]) -> tuple[float, str]:
    """Wall seconds from "Work with Local Repository" to the first collection's list, and Sveltia's log line."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO))
    from tests.browser import CHROMIUM_ARGS, serve_folder

    served = site.parent / (site.name + "-served")
    shutil.rmtree(served, ignore_errors=True)
    for path, data in admin.items():
        (served / path).parent.mkdir(parents=True, exist_ok=True)
        (served / path).write_bytes(data)
    files = {".git/HEAD": b"ref: refs/heads/main\n"}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel.startswith(("artisans/", "content/training/")) and path.suffix in (".md", ".yml"):
            files[rel] = path.read_bytes()
    fill = """async (files) => {
      const root = await navigator.storage.getDirectory();
      for (const [path, data] of Object.entries(files)) {
        const parts = path.split('/'); let dir = root;
        for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
        const w = await (await dir.getFileHandle(parts.at(-1), {create: true})).createWritable();
        await w.write(Uint8Array.from(atob(data), c => c.charCodeAt(0))); await w.close();
      }}"""
    logs: list[str] = []
    with serve_folder(served) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: logs.append(m.text))
        page.route("https://**", lambda route: route.abort())
        page.add_init_script("window.showDirectoryPicker = async () => navigator.storage.getDirectory();")
        page.goto(base + "/admin/")
        items = list(files.items())
        for start in range(0, len(items), 2000):
            page.evaluate(fill, {p: base64.b64encode(d).decode() for p, d in items[start:start + 2000]})
        began = time.perf_counter()
        page.get_by_role("button", name="Work with Local Repository").click()
        page.wait_for_function("() => !!document.querySelector('[role=\"grid\"], [role=\"listbox\"], table')",
                               timeout=600_000)
        wall = time.perf_counter() - began
        browser.close()
    ready = next((line for line in logs if "site data is ready" in line), "")
    return wall, ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--artisans", type=int, nargs="+", required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--scope", nargs="*", default=[], help="editor_scope, e.g. pk/multan")
    parser.add_argument("--browser", action="store_true", help="also time the editor's loading in Chromium")
    args = parser.parse_args()
    for count in args.artisans:
        site = args.work / f"demo-{count}"
        if not site.exists():
            subprocess.run([sys.executable, "-m", "karigar", "demo", "--artisans", str(count), str(site)], check=True,
                           cwd=REPO)
        tree = git_tree_order(site)
        cut = tree[GITHUB_TREE_LIMIT - 1] if len(tree) >= GITHUB_TREE_LIMIT else "(no cut)"
        training = next((i for i, p in enumerate(tree) if p.startswith("content/training/")), -1)
        admin = editor_files(site, {"editor_repo": "karigar/karigar", "editor_scope": tuple(args.scope)})
        config = admin["admin/config.yml"].decode()
        counts = listed(config, tree)
        print(f"{count:,} artisans: {len(tree):,} tree entries; GitHub's cut at entry {GITHUB_TREE_LIMIT:,}: {cut}; "
              f"first training resource at entry {training + 1:,}")
        print(f"  config.yml {len(config.encode()):,} bytes, {len(counts)} collections; entries listed: "
              + ", ".join(f"{name} {n:,}" for name, n in counts.items()) + f" (total {sum(counts.values()):,})")
        if args.browser:
            wall, ready = browser_load(site, admin)
            print(f"  local workflow: {wall:.1f} s from the click to the list; Sveltia: {ready}")


if __name__ == "__main__":
    main()
