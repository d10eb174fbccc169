"""Property: any mutation of valid entries gives located diagnostics, never a traceback or a partial site.

Each example mutates the sample's artisan and one of its products (and, in the
run through MkDocs Material and three languages, the artisan's Urdu
translation), builds over a published site, and checks what a volunteer and a
visitor would see: every diagnostic names ``path:line:col``; a build with
errors leaves the published site exactly as it was; a build without errors
publishes a whole site (every page its sitemaps list, the entry's pages in
every language unless it is a draft).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from karigar.diagnostics import format_text
from karigar.pipeline import BuildResult, build_site
from karigar.write.funnel import DiskWriter
from tests.conftest import NOW, REPO, settings_for, write_site
from tests.realsite import LANGUAGES, set_languages, tree

FOLDER = "artisans/pk/thatta/shazia-bibi"
ARTISAN = (REPO / FOLDER / "index.md").read_text("utf-8")
ARTISAN_UR = (REPO / FOLDER / "index.ur.md").read_text("utf-8")
# The first product in name order that is not a translation (`<product>.<lang>.md`): a fixed
# choice, whatever order the file system lists the folder in.
PRODUCT = sorted(p for p in (REPO / FOLDER / "products").glob("*.md") if "." not in p.stem)[0].read_text("utf-8")
ABOUT = "---\ntitle: About\n---\n\nA small site.\n"
ABOUT_UR = "---\ntitle: تعارف\n---\n\nایک چھوٹی سائٹ۔\n"
# `path:line:col: severity: message`: the position is required, not optional.
LOCATED = re.compile(r"^[^\s:]+:[1-9]\d*:[1-9]\d*: (error|warning): ")
SITEMAP_LOC = re.compile(r"<loc>https://karigar\.netlify\.app/([^<]*)</loc>")

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


def publish(base: Path, files: dict[str, str], *, languages: tuple[str, ...], run_mkdocs: bool) -> Path:
    """A small site with the sample's artisan, built once: each example starts from a copy of it."""
    root = write_site(base, files)
    if languages != ("en",):
        set_languages(root, languages)
    shutil.copytree(REPO / FOLDER / "photos", root / FOLDER / "photos")
    config = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".cache")
    first = build_site(config, now=NOW, writer=DiskWriter(root / "site", root / ".cache/state"),
                       run_mkdocs=run_mkdocs, jobs=1)
    assert first.ok, [format_text(d) for d in first.check.diagnostics if d.is_error]
    return root


def build_example(published: Path, tmp_path: Path, files: dict[str, str], *,
                  run_mkdocs: bool) -> tuple[BuildResult, Path, dict[str, str]]:
    """Copy the published site, write the mutated ``files`` and build: the result, site and the site before."""
    root = tmp_path / "example"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(published, root)
    out, cache = root / "site", root / ".cache"
    before = tree(out)
    for rel, text in files.items():
        (root / rel).write_text(text, "utf-8")
    config = settings_for(root / "mkdocs.yml", site_dir=out, cache_dir=cache)
    result = build_site(config, now=NOW, writer=DiskWriter(out, cache / "state"), run_mkdocs=run_mkdocs, jobs=1)
    return result, out, before


def assert_located_and_whole(result: BuildResult, out: Path, before: dict[str, str], *,
                             languages: tuple[str, ...], product_slug: str) -> None:
    """Every diagnostic located; a failed build leaves the site as it was; a good one publishes all of it."""
    for diagnostic in result.check.diagnostics:
        assert LOCATED.match(format_text(diagnostic)), format_text(diagnostic)
    if not result.ok:
        assert any(d.is_error for d in result.check.diagnostics)
        assert tree(out) == before  # a failed build never touches the published site
        return
    # Every page the sitemaps list was written (a visitor following one never gets a 404).
    listed = [loc for sitemap in (out / "sitemaps").rglob("*.xml") for loc in SITEMAP_LOC.findall(sitemap.read_text())]
    assert listed
    missing = [loc for loc in listed if not (out / loc / "index.html").is_file()]
    assert missing == [], missing[:5]
    # The artisan validated (the build has no errors): its pages are in every language, or in
    # none if it is not to be published (a draft, or no recorded consent).
    model = result.check.model
    assert model is not None
    artisan = next(a for a in model.artisans if a.folder == FOLDER)
    product = next((p for p in model.products if p.artisan_slug == artisan.slug and p.slug == product_slug), None)
    prefixes = ["" if lang == languages[0] else f"{lang}/" for lang in languages]
    for prefix in prefixes:
        artisan_page = out / prefix / FOLDER / "index.html"
        assert artisan_page.is_file() == artisan.published, (prefix, artisan.draft, artisan.consent)
        if product is not None:
            shown = artisan.published and not product.draft
            assert (out / prefix / FOLDER / product_slug / "index.html").is_file() == shown, (prefix, product.draft)


# No deadline (a loaded 2-core machine is slow) and derandomized (every run tries the same
# examples, so a failure in CI is a failure on the developer's machine too).
FUZZ = settings(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# -- fast: the plain stand-in frame, English only ----------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish(tmp_path_factory.mktemp("fuzz-base"), {f"{FOLDER}/index.md": ARTISAN,
                                                            f"{FOLDER}/products/a.md": PRODUCT},
                   languages=("en",), run_mkdocs=False)


@settings(FUZZ, max_examples=60)
@given(artisan=mutated(ARTISAN), product=mutated(PRODUCT))
@example(artisan=ARTISAN.replace("featured: true", "featured: false"), product=PRODUCT + "\n{{7*7}}\n")  # builds
@example(artisan=ARTISAN.replace("consent:", "draft: true\nconsent:"), product=PRODUCT)  # builds, publishes nothing
def test_mutated_entries_give_located_diagnostics_and_never_a_partial_site(published: Path, tmp_path: Path,
                                                                          artisan: str, product: str) -> None:
    result, out, before = build_example(published, tmp_path, {f"{FOLDER}/index.md": artisan,
                                                              f"{FOLDER}/products/a.md": product}, run_mkdocs=False)
    assert_located_and_whole(result, out, before, languages=("en",), product_slug="a")


# -- through what ships: Material, MkDocs' pages, en/ur/hi, an Urdu translation -----------

@pytest.fixture(scope="module")
def published_material(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish(tmp_path_factory.mktemp("fuzz-material"), {
        f"{FOLDER}/index.md": ARTISAN, f"{FOLDER}/index.ur.md": ARTISAN_UR, f"{FOLDER}/products/a.md": PRODUCT,
        "content/about.md": ABOUT, "content/about.ur.md": ABOUT_UR,
    }, languages=LANGUAGES, run_mkdocs=True)


MATERIAL_FILES = {f"{FOLDER}/index.md": ARTISAN, f"{FOLDER}/index.ur.md": ARTISAN_UR,
                  f"{FOLDER}/products/a.md": PRODUCT}


@st.composite
def one_file_mutated(draw: st.DrawFn) -> dict[str, str]:
    """One of the three files mutated, the others as published (mutating all three almost
    never builds, and the builds that pass are the ones that run MkDocs)."""
    rel = draw(st.sampled_from(sorted(MATERIAL_FILES)))
    return {rel: draw(mutated(MATERIAL_FILES[rel]))}


# Fewer examples: a build that passes runs MkDocs once per language.  The two explicit
# examples make sure both outcomes are seen on every run, whatever Hypothesis draws.
@settings(FUZZ, max_examples=8)
@given(files=one_file_mutated())
@example(files={f"{FOLDER}/index.ur.md": ARTISAN_UR + "\n{{7*7}} @@KARIGAR-TITLE@@\n"})
@example(files={f"{FOLDER}/index.ur.md": "---\nname: [\n---\n" + ARTISAN_UR})
def test_mutations_built_with_material_in_three_languages_are_located_and_never_partial(
        published_material: Path, tmp_path: Path, files: dict[str, str]) -> None:
    result, out, before = build_example(published_material, tmp_path, files, run_mkdocs=True)
    assert_located_and_whole(result, out, before, languages=LANGUAGES, product_slug="a")
    if result.ok:  # MkDocs' own pages were built again, in every language, beside the catalog
        for prefix in ("", "ur/", "hi/"):
            assert (out / prefix / "about/index.html").is_file(), prefix
        assert (out / "_headers").is_file()
