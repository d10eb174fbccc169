"""Lighthouse on the built sample site: performance, accessibility, best practices, SEO, LCP, CLS.

A benchmark, not a test: it prints a table and asserts nothing (the goals are
in scripts/bench/README.md).  What it does:

1. installs npm ``lighthouse`` (pinned below; 12.x runs on Node 18.16+) into a
   cache folder, ``.karigar-cache/tools/lighthouse`` unless ``--tools`` says
   otherwise, once (never in the repository: no node_modules to commit);
2. builds the site from ``mkdocs.yml`` into a work folder, with ``site_url``
   set to the local server's own origin, so that the canonical and hreflang
   links Lighthouse's SEO audits follow point at the pages it is served
   (with the real origin they would all be "another domain");
3. serves it as a host would: gzip (level 6) for text, and the project's own
   headers (the build's ``_headers`` with its CSP, and netlify.toml's, merged
   by :mod:`karigar.hosting.netlify_headers`), plus the ``Cache-Control``
   Netlify sends by default;
4. runs Lighthouse with its mobile defaults (a mid-range phone, simulated slow
   4G and a 4x slower CPU) in Debian's Chromium on home, an artisan, a
   product, the crafts index and the training index, in English and Urdu.

On a loaded machine the CPU-bound figures (total blocking time, and through
it the performance score) are worse than a quiet machine's: Lighthouse
multiplies what it measured.

Usage::

    .venv/bin/python scripts/bench/lighthouse.py [--langs en ur] [--tools DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from karigar.commands.common import read_settings  # noqa: E402
from karigar.hosting.netlify_headers import HeaderRule, deploy_header_rules, headers_for  # noqa: E402
from karigar.pipeline import build_site  # noqa: E402
from karigar.write.funnel import DiskWriter  # noqa: E402

LIGHTHOUSE = "lighthouse@12.8.2"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The pages of the sample that the issue names, in the default language's paths.
PAGES = {
    "home": "/",
    "artisan": "/artisans/pk/thatta/shazia-bibi/",
    "product": "/artisans/pk/thatta/shazia-bibi/ralli-quilt-triangles/",
    "crafts": "/crafts/",
    "training": "/training/",
}
for _suffix, _type in ((".woff2", "font/woff2"), (".webp", "image/webp"), (".js", "text/javascript"),
                      (".ics", "text/calendar"), (".svg", "image/svg+xml")):
    mimetypes.add_type(_type, _suffix)
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
# What Netlify sends when no rule sets it: every request revalidates (ETags make that cheap).
NETLIFY_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def install_lighthouse(tools: Path) -> Path:
    """The Lighthouse CLI under ``tools``, installed with npm the first time."""
    cli = tools / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        tools.mkdir(parents=True, exist_ok=True)
        print(f"installing {LIGHTHOUSE} into {tools} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(tools), LIGHTHOUSE], check=True)
    return cli


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of a built site, with the deploy's headers and gzip."""

    root: Path
    rules: list[HeaderRule]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(send_body=True)

    def _answer(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        file = (self.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.root):
            file = self.root / "404.html.missing"
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            file = file / "index.html"
        status = 200
        if not file.is_file():
            status, file = 404, self.root / "404.html"
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "image/svg+xml":
            kind += "; charset=utf-8"
        headers = {"Content-Type": kind, "Cache-Control": NETLIFY_CACHE_CONTROL, "Vary": "Accept-Encoding"}
        headers.update(headers_for(self.rules, path))
        if kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def serve(root: Path, server: http.server.ThreadingHTTPServer) -> None:
    handler = type("SiteHandler", (_Handler,), {"root": root.resolve(),
                                                 "rules": deploy_header_rules(root, ROOT / "netlify.toml")})
    server.RequestHandlerClass = handler
    threading.Thread(target=server.serve_forever, daemon=True).start()


def build(work: Path, origin: str) -> Path:
    """The sample site built into ``work``/site with ``origin`` as its site_url."""
    settings = read_settings(ROOT / "mkdocs.yml", err=sys.stderr)
    if settings is None:
        raise SystemExit("mkdocs.yml does not load")
    settings = dataclasses.replace(settings, site_url=origin + "/", site_dir=work / "site", cache_dir=work / "cache")
    result = build_site(settings, now=dt.datetime.now(dt.UTC),
                        writer=DiskWriter(settings.site_dir, settings.cache_dir / "state"))
    if not result.ok:
        errors = [str(d) for d in result.check.diagnostics if d.is_error]
        raise SystemExit("the build failed:\n" + "\n".join(errors))
    return settings.site_dir


@dataclasses.dataclass(frozen=True)
class Result:
    scores: dict[str, int]  # category -> score out of 100
    lcp: float  # seconds
    cls: float
    below: tuple[str, ...]  # audits under 0.9 that count towards a score: what to look at


# Lighthouse now and then loses the trace of a load on a busy machine (NO_NAVSTART, NO_FCP) and
# says to run it again.
ATTEMPTS = 3


def lighthouse(cli: Path, url: str, report: Path) -> Result:
    """One Lighthouse run with its mobile defaults."""
    command = ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    for attempt in range(1, ATTEMPTS + 1):
        if subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, check=False).returncode == 0:
            break
        if attempt == ATTEMPTS:
            raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")
    data = json.loads(report.read_text("utf-8"))
    audits = data["audits"]
    return Result(
        scores={name: round(100 * (data["categories"][name]["score"] or 0)) for name in CATEGORIES},
        lcp=audits["largest-contentful-paint"]["numericValue"] / 1000,
        cls=audits["cumulative-layout-shift"]["numericValue"],
        below=tuple(sorted(f"{key} {audit['score']}" for key, audit in audits.items()
                           if audit.get("scoreDisplayMode") in ("binary", "numeric")
                           and (audit.get("score") or 0) < 0.9)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langs", nargs="+", default=["en", "ur"])
    parser.add_argument("--tools", type=Path, default=ROOT / ".karigar-cache" / "tools" / "lighthouse")
    parser.add_argument("--keep", type=Path, help="keep the built site and the JSON reports in this folder")
    args = parser.parse_args(argv)

    cli = install_lighthouse(args.tools)
    work = args.keep or Path(tempfile.mkdtemp(prefix="karigar-lighthouse-"))
    work.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        site = build(work, origin)
        serve(site, server)
        rows = []
        for lang in args.langs:
            for name, path in PAGES.items():
                url = origin + (path if lang == "en" else f"/{lang}{path}")
                result = lighthouse(cli, url, work / f"lighthouse-{lang}-{name}.json")
                rows.append((f"{name} ({lang})", result))
                print(f"{name} ({lang}): {result.scores} LCP {result.lcp:.2f} s, CLS {result.cls:.3f}; "
                      f"below 0.9: {', '.join(result.below) or 'none'}", file=sys.stderr)
    finally:
        server.shutdown()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print("| page | performance | accessibility | best practices | SEO | LCP s | CLS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in rows:
        print(f"| {label} | " + " | ".join(str(r.scores[name]) for name in CATEGORIES)
              + f" | {r.lcp:.1f} | {r.cls:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
