#!/usr/bin/env python3
"""Benchmark: what a built site's search costs a reader (not a test; figures go in the notes).

Reads a site ``karigar build`` wrote and reports its search bundles (records, files, bytes, the fullest
folder), then loads its search page in headless Chromium (Debian's /usr/bin/chromium, through
Playwright) and counts the bytes the browser downloads from the bundles for:

* a first query, as Pagefind's API runs it bare: the word's index chunks and the 20 first results'
  fragments (what a reader waits for before results show);
* the same query on the search page, results and facet counts (every bundle's filter chunks);
* a filtered query (the query within one country and one type);
* filters without a query (a craft's products).

Each case starts in a new browser context (no cache).  Timings are not reported: bytes are what a
phone on a slow network pays.

    python scripts/bench/search_bench.py SITE_DIR [--query shawl]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BUNDLES = "search/bundles/"


def bundle_stats(site: Path) -> dict[str, Any]:
    bundles = sorted(p.parent for p in site.glob(BUNDLES + "*/pagefind-entry.json"))
    records, files, size = {}, 0, 0
    fullest = (0, "")
    for bundle in bundles:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        records[bundle.name] = sum(index["page_count"] for index in entry["languages"].values())
        for root, _dirs, names in os.walk(bundle):
            files += len(names)
            size += sum(os.path.getsize(os.path.join(root, name)) for name in names)
            fullest = max(fullest, (len(names), os.path.relpath(root, site)))
    return {"bundles": len(bundles), "records": sum(records.values()), "per_bundle": records,
            "files": files, "bytes": size, "fullest_folder": fullest}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class Counted:
    """Bytes of the responses a page received, by kind (the bundles' by their folder: index, fragment...)."""

    def __init__(self, page: Any) -> None:
        self.bytes: Counter[str] = Counter()
        page.on("response", self._response)

    def _response(self, response: Any) -> None:
        url = response.url.split("?", 1)[0]
        try:
            size = len(response.body())
        except Exception:  # a redirect or an aborted request has no body
            return
        if BUNDLES in url:
            rest = url.split(BUNDLES, 1)[1].split("/", 1)[1]
            kind = rest.split("/", 1)[0] if "/" in rest else rest.rsplit(".", 1)[-1]
            self.bytes["search: " + kind] += size
        else:
            self.bytes["page: " + url.rsplit(".", 1)[-1][:8]] += size

    def search_total(self) -> int:
        return sum(n for kind, n in self.bytes.items() if kind.startswith("search: "))


BARE_QUERY = """async ([bundles, query]) => {
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({ basePath: bundles[0], excerptLength: 0 });
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle);
  await pagefind.init();
  const found = await pagefind.search(query);
  await Promise.all(found.results.slice(0, 20).map((result) => result.data()));
  return found.results.length;
}"""


def measure(site: Path, query: str, craft: str | None) -> list[tuple[str, str, Counter[str], int]]:
    from playwright.sync_api import sync_playwright

    cases = [("search page: query, results and facets", f"/search/?q={query}"),
             ("search page: query within a country and a type", f"/search/?q={query}&country=pk&type=product")]
    if craft:
        cases.append(("search page: a craft's products, no query", f"/search/?craft={craft}&type=product"))
    rows = []
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            counted = Counted(page)
            page.goto(base + "/search/")
            config = json.loads(page.get_attribute("[data-kg-search]", "data-kg-search") or "{}")
            counted.bytes.clear()
            found = page.evaluate(BARE_QUERY, [config["bundles"], query])
            rows.append((f"first query, bare (Pagefind's API, 20 results' data): {query!r}", f"{found:,} results",
                         Counter(counted.bytes), counted.search_total()))
            context.close()
            for name, path in cases:
                context = browser.new_context()
                page = context.new_page()
                counted = Counted(page)
                page.goto(base + path)
                page.wait_for_selector("[data-kg-search][data-kg-state=done]", state="attached", timeout=600_000)
                shown = page.inner_text("[data-kg-status]")
                rows.append((f"{name}: {path}", shown, Counter(counted.bytes), counted.search_total()))
                context.close()
        finally:
            browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="shawl")
    parser.add_argument("--craft", default=None, help="a craft key for the filter-only case (default: the first)")
    args = parser.parse_args()
    stats = bundle_stats(args.site)
    print(f"bundles: {stats['bundles']}, records: {stats['records']:,}, files: {stats['files']:,}, "
          f"bytes: {stats['bytes'] / 1e6:,.1f} MB, fullest folder: {stats['fullest_folder'][0]:,} files "
          f"({stats['fullest_folder'][1]})")
    print("records per bundle: " + ", ".join(f"{k} {v:,}" for k, v in stats["per_bundle"].items()))
    craft = args.craft
    if craft is None:
        crafts = sorted(p.parent.name for p in args.site.glob("crafts/*/index.html"))
        craft = crafts[0] if crafts else None
    for name, note, kinds, total in measure(args.site, args.query, craft):
        detail = ", ".join(f"{kind[8:]} {n / 1024:,.0f} KB" for kind, n in sorted(kinds.items())
                           if kind.startswith("search: "))
        print(f"{name} ({note})\n    bundles' bytes downloaded: {total / 1024:,.0f} KB ({detail})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
