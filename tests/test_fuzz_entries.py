"""Property: any mutation of valid entries gives located diagnostics, never a traceback or a partial site."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karigar.diagnostics import format_text
from karigar.pipeline import build_site
from karigar.write.funnel import DiskWriter
from tests.conftest import NOW, REPO, settings_for, write_site

ARTISAN = (REPO / "artisans/pk/thatta/shazia-bibi/index.md").read_text("utf-8")
PRODUCT = next((REPO / "artisans/pk/thatta/shazia-bibi/products").glob("*.md")).read_text("utf-8")
LOCATED = re.compile(r"^[^\s:]+(?::\d+:\d+)?: (error|warning): ")

NASTY = st.sampled_from([
    "", ":", ": x", "- ", "[", "{", "&a", "*a", "!!python/object:os.system", "\t", "\x00", "\ufeff", "\u202e",
    "<script>alert(1)</script>", "javascript:alert(1)", "0300-1234567", "a@b.co", "2024-13-01", "yes",
    "\n---\n", "'''", '"', "{{7*7}}", "@@KARIGAR-TITLE@@", "99999999999999999999", "-1", "ur", "products",
])


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not lines:
            lines = [""]
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "replace-value", "truncate", "chars"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, draw(NASTY))
        elif action == "replace-value" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.one_of(NASTY, st.text(max_size=20)))}"
        elif action == "truncate":
            lines = lines[:index]
        else:
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:at] + draw(st.text(max_size=5)) + line[at:]
    return "\n".join(lines)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site built once: each example starts from a copy of it."""
    base = tmp_path_factory.mktemp("fuzz-base")
    root = write_site(base, {f"{FOLDER}/index.md": ARTISAN, f"{FOLDER}/products/a.md": PRODUCT})
    for photo in (REPO / FOLDER / "photos").glob("*"):
        (root / FOLDER / "photos").mkdir(parents=True, exist_ok=True)
        shutil.copy(photo, root / FOLDER / "photos" / photo.name)
    config = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".cache")
    first = build_site(config, now=NOW, writer=DiskWriter(root / "site", root / ".cache/state"),
                       run_mkdocs=False, jobs=1)
    assert first.ok, [format_text(d) for d in first.check.diagnostics if d.is_error]
    return root


FOLDER = "artisans/pk/thatta/shazia-bibi"


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(artisan=mutated(ARTISAN), product=mutated(PRODUCT))
def test_mutated_entries_give_located_diagnostics_and_never_a_partial_site(published: Path, tmp_path: Path,
                                                                          artisan: str, product: str) -> None:
    root = tmp_path / "example"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(published, root)
    out, cache = root / "site", root / ".cache"
    before = tree(out)
    (root / FOLDER / "index.md").write_text(artisan, "utf-8")
    (root / FOLDER / "products/a.md").write_text(product, "utf-8")
    config = settings_for(root / "mkdocs.yml", site_dir=out, cache_dir=cache)
    result = build_site(config, now=NOW, writer=DiskWriter(out, cache / "state"), run_mkdocs=False, jobs=1)
    for diagnostic in result.check.diagnostics:
        assert LOCATED.match(format_text(diagnostic)), format_text(diagnostic)
    if not result.ok:
        assert any(d.is_error for d in result.check.diagnostics)
        assert tree(out) == before  # a failed build never touches the published site
