"""Screenshots of what a buyer sees on a phone, for the README (docs/screenshots/).

Home, a product and a craft listing, in English and Urdu, at 390 x 844 CSS
pixels (a common phone), the screen's first view only, taken in Debian's
Chromium with Playwright from a built site, then reduced to a 64-colour
palette so each PNG stays small enough to commit.

Usage (after ``make build``, or with ``--site`` pointing at another build)::

    .venv/bin/python scripts/tools/screenshots.py [--site site] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CHROME = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTH, HEIGHT = 390, 844
COLOURS = 64

# name -> the page in the default language (the sample's Urdu translations cover these).
PAGES = {
    "home": "/",
    "product": "/artisans/pk/thatta/shazia-bibi/ralli-quilt-triangles/",
    "craft": "/crafts/ralli-quilting/",
}
LANGUAGES = ("en", "ur")

# The first screen is what is shot: wait for its photos, lazy ones included, to be drawn.
FIRST_SCREEN_DRAWN = """() => [...document.images]
    .filter(img => img.getBoundingClientRect().top < innerHeight)
    .every(img => img.complete && img.naturalWidth > 0)"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".woff2": "font/woff2", ".webp": "image/webp", ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def shoot(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROME, args=CHROME_ARGS, headless=True)
            page = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1).new_page()
            for lang in LANGUAGES:
                for name, path in PAGES.items():
                    url = base + (path if lang == LANGUAGES[0] else f"/{lang}{path}")
                    response = page.goto(url, wait_until="load")
                    if response is None or response.status != 200:
                        raise SystemExit(f"{url}: {response.status if response else 'no answer'}")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.wait_for_function(FIRST_SCREEN_DRAWN)
                    target = out / f"{name}-{lang}.png"
                    page.screenshot(path=str(target))
                    Image.open(target).convert("RGB").quantize(COLOURS).save(target, optimize=True)
                    written.append(target)
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"no built site in {args.site}: run `make build` first", file=sys.stderr)
        return 1
    for path in shoot(args.site, args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
