#!/usr/bin/env python3
"""Extract Karigar's interface strings and bring every translation up to date.

    python scripts/tools/messages.py              # re-extract karigar.pot, update every language's .po
    python scripts/tools/messages.py --check      # change nothing; exit 1 if a catalog is out of date
    python scripts/tools/messages.py --add LANG   # also start a catalog for a new language

The strings are found as ``babel.cfg`` (at the repository's root) says: the
catalog's Jinja2 templates and the engine's Python; the tab titles of
``mkdocs.yml``'s ``nav`` are added too (the Material adapter translates them
through the same catalog).  The template goes to
``scripts/karigar/locale/karigar.pot``; each language's
``scripts/karigar/locale/<lang>/LC_MESSAGES/karigar.po`` is then updated with
Babel's ``update`` semantics: new strings arrive untranslated, a string whose
English changed a little keeps its old translation marked fuzzy (for a
translator to check), strings no longer used are dropped.

The files are deterministic: locations carry file names but no line numbers
(an edit elsewhere in a template does not touch the catalogs), and a file whose
strings did not change is left as it is, dates included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, check_and_call_extract_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

__all__ = ["REPO", "LOCALE_DIR", "TEMPLATE", "PLURAL_FORMS", "extract", "plural_forms", "po_path",
           "languages", "render", "updated_catalog", "main"]

REPO = Path(__file__).resolve().parents[2]
MAPPING = REPO / "babel.cfg"
DOMAIN = "karigar"
LOCALE_DIR = REPO / "scripts" / "karigar" / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SITE_CONFIG = REPO / "mkdocs.yml"

# Babel's own table says `(n != 1)` for Hindi, but CLDR's rule is "one: i = 0 or
# n = 1" ("0 कारीगर" takes the singular).  The written forms are the readable
# equivalents of CLDR's rules; tests/test_locale.py checks them against CLDR.
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "ur": "nplurals=2; plural=(n != 1);",
    "hi": "nplurals=2; plural=(n > 1);",
}
# Translator notes in the sources: `{# Translators: ... #}` or `# Translators: ...`.
COMMENT_TAGS = ("Translators:",)
WIDTH = 76


def plural_forms(lang: str) -> str:
    """The gettext Plural-Forms header for ``lang``: the table, else CLDR's rule as Babel writes it."""
    return PLURAL_FORMS.get(lang) or to_gettext(Locale.parse(lang).plural_form)


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The languages that have a catalog, sorted."""
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _version() -> str:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _candidates(method_map: list[tuple[str, str]]) -> Iterator[str]:
    """Files under the fixed folder part of each pattern, so the walk never enters site/ or .venv/."""
    seen: set[str] = set()
    for pattern, _method in method_map:
        fixed = pattern.split("*", 1)[0]
        base = REPO / fixed
        if base.is_file():
            found = [base]
        else:
            folder = base if fixed.endswith("/") or base.is_dir() else base.parent
            found = []
            for root, dirnames, filenames in os.walk(folder):
                # Babel's own rule: folders named `.x` or `_x` (__pycache__) hold no sources.
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
                found.extend(Path(root) / name for name in sorted(filenames))
        for path in found:
            text = path.as_posix()
            if text not in seen:
                seen.add(text)
                yield text


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its nav only: MkDocs' own tags (``!!python/name:``, ``!ENV``) become None."""


_ConfigLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)


def _nav_titles(items: object) -> Iterator[str]:
    """Titles of ``nav`` entries (``- Title: target`` and sections); bare page paths have none."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            for title, target in item.items():
                if isinstance(title, str) and title.strip():
                    yield title
                yield from _nav_titles(target)


def extract() -> Catalog:
    """Every translatable string of the sources, as a template catalog (no dates of its own)."""
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(MAPPING))
    template = Catalog(
        project="Karigar", version=_version(), domain=DOMAIN, msgid_bugs_address="",
        header_comment="# Karigar's interface strings, in English (the source language).\n"
                       "# Written by scripts/tools/messages.py: do not edit by hand.",
        fuzzy=True,
    )
    for filepath in _candidates(method_map):
        for filename, lineno, message, comments, context in check_and_call_extract_file(
            filepath, method_map, options_map, None, DEFAULT_KEYWORDS, COMMENT_TAGS, True, dirpath=str(REPO),
        ):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue  # `_(variable)`: nothing to translate
            template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    if SITE_CONFIG.is_file():
        config = yaml.load(SITE_CONFIG.read_text("utf-8"), Loader=_ConfigLoader)  # noqa: S506 (a safe loader)
        for title in _nav_titles(config.get("nav") if isinstance(config, dict) else None):
            template.add(title, None, [(SITE_CONFIG.name, None)],
                         auto_comments=["A tab of the site's navigation (mkdocs.yml, nav)."])
    return template


def render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True)
    return buffer.getvalue()


def _read(path: Path, lang: str | None = None) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def stable_template(template: Catalog, now: dt.datetime | None = None) -> bytes:
    """The .pot's bytes: the previous file's date when its strings are the same, else ``now``."""
    previous = _read(TEMPLATE)
    if previous is not None:
        template.creation_date = previous.creation_date
        data = render(template)
        if TEMPLATE.read_bytes() == data:
            return data
    template.creation_date = now or dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    return render(template)


def updated_catalog(lang: str, template: Catalog) -> Catalog:
    """The language's catalog merged with ``template`` (a new catalog when it has none yet)."""
    catalog = _read(po_path(lang), lang)
    if catalog is None:
        name = Locale.parse(lang).english_name or lang
        catalog = Catalog(
            locale=lang, domain=DOMAIN, project=template.project, version=template.version,
            msgid_bugs_address="", creation_date=template.creation_date,
            revision_date=template.creation_date, last_translator="Karigar volunteers",
            language_team=name,
            header_comment=f"# {name} ({lang}) translations of Karigar's interface.\n"
                           "# Update with scripts/tools/messages.py, then translate what it adds.",
        )
    # The template's header wins for what it owns (project, version); the
    # translator's own lines (revision date, team) stay as they are.
    catalog.project, catalog.version = template.project, template.version
    catalog.update(template)
    catalog.mime_headers = [("Plural-Forms", plural_forms(lang))]
    return catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalog is out of date")
    parser.add_argument("--add", metavar="LANG", action="append", default=[], help="start a catalog for LANG")
    args = parser.parse_args(argv)

    template = extract()
    outputs = {TEMPLATE: stable_template(template)}
    for lang in sorted(set(languages()) | set(args.add)):
        outputs[po_path(lang)] = render(updated_catalog(lang, template))

    stale = [path for path, data in outputs.items() if not path.is_file() or path.read_bytes() != data]
    for path in stale:
        rel = path.relative_to(REPO).as_posix()
        if args.check:
            print(f"{rel}: out of date (run python scripts/tools/messages.py)", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(outputs[path])
            print(f"wrote {rel}")
    count = sum(1 for m in template if m.id)
    print(f"{count} strings; {len(stale)} file(s) {'out of date' if args.check else 'updated'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
