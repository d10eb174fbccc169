"""The volunteers' guide (content/volunteers/): it stays true to the engine it describes.

Its tables say what each diagnostic code asks of a volunteer.  The codes are
found in the engine's source (every place a diagnostic is made with a literal
code), so a code another change adds fails this test until the guide, in
English, in Urdu and in Hindi, says what it asks; a code the guide names that
the engine no longer makes fails it too.  The pages themselves pass the checks
every content/ page passes (no raw HTML, no unsafe link) and are reachable
from the About page in all three languages.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from karigar.pipeline import check_site
from tests.conftest import NOW, REPO, settings_for
from tests.realsite import copy_sample

ENGINE = REPO / "scripts" / "karigar"
GUIDE = "content/volunteers/index.md"
GUIDE_UR = "content/volunteers/index.ur.md"
GUIDE_HI = "content/volunteers/index.hi.md"
TRANSLATIONS = (GUIDE_UR, GUIDE_HI)
_CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_HYPHENATED = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
# The guide's section of codes, up to the next `## ` heading, and the first cell of each table row.
_ERRORS_SECTION = re.compile(r"^## (What an error message asks of you|غلطی کا پیغام آپ سے کیا چاہتا ہے"
                             r"|त्रुटि संदेश आपसे क्या चाहता है)\n(.*?)(?=^## )",
                             re.MULTILINE | re.DOTALL)
_FIRST_CELL = re.compile(r"^\| *([^|]*?) *\|", re.MULTILINE)


def _strings(node: ast.AST) -> Iterator[str]:
    """The literal strings a code argument may be: `"x"`, `a or "x"`, `"x" if c else "y"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _strings(value)
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _is_message(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " " in node.value
    return isinstance(node, ast.Name) and ("message" in node.id or "reason" in node.id)


def _codes_in(tree: ast.AST) -> Iterator[str]:
    """Codes given where the engine makes its diagnostics.

    ``sink.error(code, ...)``/``warning``, ``SomethingError(code, ...)``,
    ``Diagnostic(severity, code, ...)``, ``code=``/``*_code=`` arguments (the
    schema's), a registry's unknown-key code, ``code = ...`` assignments, and
    a hyphenated code just before its message in a tuple (the Markdown
    checker's problems and ``slug_problem``'s answer).
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (name in ("error", "warning") or name.endswith("Error")) and node.args:
                yield from _strings(node.args[0])
            if name == "Diagnostic" and len(node.args) >= 2:
                yield from _strings(node.args[1])
            if name == "RegistrySpec" and node.args:
                yield from _strings(node.args[-1])
            for keyword in node.keywords:
                if keyword.arg and (keyword.arg == "code" or keyword.arg.endswith("_code")):
                    yield from _strings(keyword.value)
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and "code" in t.id.lower() for t in node.targets):
                yield from _strings(node.value)
        elif isinstance(node, ast.Tuple):
            for item, after in zip(node.elts, node.elts[1:]):
                if _is_message(after):
                    yield from (s for s in _strings(item) if _HYPHENATED.match(s))


def engine_codes() -> set[str]:
    """Every diagnostic code the engine's source makes with a literal."""
    codes: set[str] = set()
    for path in sorted(ENGINE.rglob("*.py")):
        codes.update(c for c in _codes_in(ast.parse(path.read_text("utf-8"))) if _CODE.match(c))
    return codes


def guide_codes(path: str) -> set[str]:
    """The codes the guide's tables of error messages explain (their first column)."""
    section = _ERRORS_SECTION.search((REPO / path).read_text("utf-8"))
    assert section is not None, f"{path} has no section on error messages"
    cells = [cell for cell in _FIRST_CELL.findall(section.group(2)) if not set(cell) <= set("-: ")]
    return {code for cell in cells for code in re.findall(r"`([^`]+)`", cell)}


def test_the_extraction_finds_codes_of_every_kind() -> None:
    """The source scan is what the guide is held to: it must see each way a code is written."""
    codes = engine_codes()
    assert {"private-data", "consent-missing", "unknown-craft", "md-raw-html", "slug-reserved", "photo-metadata",
            "photo-too-large", "yaml-syntax", "allowed-number-identity", "mkdocs"} <= codes
    assert not codes & {"cotton", "person", "image", "text/html"}  # plain values are not codes


@pytest.mark.parametrize("page", [GUIDE, *TRANSLATIONS])
def test_the_guide_says_what_every_code_of_the_engine_asks(page: str) -> None:
    engine, guide = engine_codes(), guide_codes(page)
    assert sorted(engine - guide) == [], f"codes the engine reports that {page} does not explain"
    assert sorted(guide - engine) == [], f"codes {page} explains that the engine no longer reports"


@pytest.mark.parametrize("translation", TRANSLATIONS)
def test_every_language_explains_the_same_codes(translation: str) -> None:
    assert guide_codes(GUIDE) == guide_codes(translation)


def test_the_guide_passes_the_content_checks_and_is_linked_from_about(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "site", districts=("pk/thatta",))
    result = check_site(settings_for(site / "mkdocs.yml", site_dir=site / "site", cache_dir=site / ".cache"),
                        now=NOW, jobs=1)
    assert {GUIDE, *TRANSLATIONS} <= {page.path for page in result.loaded.pages}
    assert [d for d in result.diagnostics if d.location.path.startswith("content/volunteers/")] == []
    for about in ("content/about.md", "content/about.ur.md", "content/about.hi.md"):
        assert "](volunteers/index.md)" in (REPO / about).read_text("utf-8"), about
