"""Allowed numbers (contract v1.1): a maintainer's way past a false alarm of the private-data check.

``artisans/_registry/allowed_numbers.yml`` lists numbers the check may publish,
each for one entry file and with a reason.  What a user notices: ``karigar
check`` on a copy of the sample site stops flagging a design code once it is
allowed for its entry, still flags it anywhere else, never lets an identity
number through, points at every mistake in the list, and builds made with a
warm cache (the full incremental path, a quick build, the dev server) agree
with a clean build after the list or the entry changes.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from karigar.cli import main
from karigar.config import Settings
from karigar.load.scope import WalkScope
from karigar.pipeline import BuildResult, build_to_disk, check_site, entry_cache_file
from karigar.serve import PageCache
from karigar.serve.planner import SitePlanner
from tests.conftest import NOW, settings_for
from tests.realsite import copy_sample, differences, tree

LIST = "artisans/_registry/allowed_numbers.yml"
SHAZIA = "artisans/pk/thatta/shazia-bibi"
CUSHION = f"{SHAZIA}/products/ralli-cushion-cover-pair.md"
BABY_QUILT = f"{SHAZIA}/products/ralli-baby-quilt.md"
TRIANGLES_UR = f"{SHAZIA}/products/ralli-quilt-triangles.ur.md"
RUNNER = "artisans/pk/thatta/khatri-ajrak-family/products/ajrak-table-runner.md"
CODE = "9876543210"  # a design code; also a valid Indian mobile number, so the check flags it
DESCRIPTION_LINE = "Two cushion covers pieced from the same scraps"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "site", districts=("pk/thatta",))


def add_line(root: Path, path: str, after: str, line: str) -> int:
    """Add ``line`` to the body below the paragraph starting with ``after``; its 1-based line number."""
    file = root / path
    lines = file.read_text("utf-8").split("\n")
    at = next(i for i, text in enumerate(lines) if text.startswith(after)) + 1
    lines[at:at] = ["", line]
    file.write_text("\n".join(lines), "utf-8")
    return at + 2


def allow(root: Path, text: str) -> None:
    (root / LIST).write_text(text, "utf-8")


def check(root: Path) -> tuple[int, list[str]]:
    """``karigar check``: its exit code and the diagnostics it prints (hints left out)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "-f", str(root / "mkdocs.yml"), "--now", NOW.isoformat()])
    printed = (out.getvalue() + err.getvalue()).splitlines()
    return code, [line for line in printed if ": error: " in line or ": warning: " in line]


def item(number: str, where: str, reason: str = "the design code of the quilt pattern") -> str:
    return f'- number: "{number}"\n  reason: {reason}\n  where: {where}\n'


def test_a_design_code_is_flagged_then_allowed_for_its_entry_only(site: Path) -> None:
    line = add_line(site, CUSHION, DESCRIPTION_LINE, f"Design code {CODE}.")
    code, printed = check(site)
    assert code != 0
    assert [p for p in printed if "private-data" in p or "phone number" in p] == [
        f"{CUSHION}:{line}:13: error: `description` contains what looks like a phone number (98••••••10); "
        "contact details of artisans must never be published"]

    allow(site, item("98765 43210", CUSHION))  # spaced otherwise: only the digits are compared
    assert check(site) == (0, [])

    runner_line = add_line(site, RUNNER, "A runner cut from", f"Design code {CODE}.")
    code, printed = check(site)
    assert code != 0 and [p.split(": error:")[0] for p in printed] == [f"{RUNNER}:{runner_line}:13"]


def test_digits_in_any_script_match_and_a_translation_is_its_own_file(site: Path) -> None:
    urdu = "".join(chr(0x06F0 + int(d)) for d in CODE)  # Extended Arabic-Indic digits, as Urdu writes them
    line = add_line(site, TRIANGLES_UR, "وہ ہر رلی", f"ڈیزائن کوڈ {urdu}")
    stale = (f"{LIST}:1:11: warning: the allowed number ending in 10 is not flagged in `{CUSHION}`, its "
             "`where`: the entry no longer holds it (or holds it as something else)")
    allow(site, item(CODE, CUSHION))
    code, printed = check(site)
    # Allowed for the cushion cover, which does not hold it: the translation is still flagged, and
    # the allowance is reported as one to remove.
    assert code != 0
    assert [p.split(": error:")[0] for p in printed if ": error:" in p] == [f"{TRIANGLES_UR}:{line}:12"]
    assert [p for p in printed if ": warning:" in p] == [stale]
    allow(site, item(CODE, TRIANGLES_UR))
    assert check(site) == (0, [])


@pytest.mark.parametrize("number, kind", [("12345-1234567-1", "a CNIC"), ("2345 6789 0124", "an Aadhaar"),
                                          ("1234512345671", "a CNIC")])
def test_an_identity_number_can_never_be_allowed(site: Path, number: str, kind: str) -> None:
    line = add_line(site, CUSHION, DESCRIPTION_LINE, f"Batch {number}.")
    allow(site, item(CODE, RUNNER, "unused") + item(number, CUSHION, "a batch number, says the cooperative"))
    code, printed = check(site)
    assert code != 0
    assert f"{LIST}:4:11: error: `number` has the digits of {kind}" in "\n".join(printed)
    # ...and the number stays flagged in the entry.
    assert any(p.startswith(f"{CUSHION}:{line}:7: error: `description` contains what looks like {kind}")
               for p in printed), printed


def test_every_mistake_in_the_list_is_located(site: Path) -> None:
    add_line(site, CUSHION, DESCRIPTION_LINE, f"Design code {CODE}.")
    allow(site, (
        item(CODE, CUSHION)                                               # lines 1-3: fine
        + item("98765-43210", CUSHION)                                    # 4-6: the same digits again
        + f'- number: "{CODE}"\n  where: {CUSHION}\n'                     # 7-8: no reason
        + f'- number: "{CODE}"\n  reasons: typo\n  where: {CUSHION}\n'     # 9-11: a misspelt key
        + item(CODE, f"{SHAZIA}/products/ralli-cushion-cover-par.md")     # 12-14: no such entry
        + item("ayesha@example.com", CUSHION)                             # 15-17: not a number
        + f"- number: {CODE}\n  reason: unquoted\n  where: {CUSHION}\n"   # 18-20: not in quotes
        + item("12345", CUSHION)                                          # 21-23: never flagged
        + item("0300 12x4567", "/" + CUSHION)                             # 24-26: a letter; a leading /
    ))
    code, printed = check(site)
    assert code != 0
    assert printed == [f"{LIST}:{where}: error: {message}" for where, message in [
        ("4:11", f"this number is already allowed for `{CUSHION}` at line 1"),
        ("7:3", "`reason` is missing in `item 3`"),
        ("9:3", "`reason` is missing in `item 4`"),
        ("10:3", "unknown key `reasons` in `item 4` (did you mean `reason`?)"),
        ("14:10", f"`where` is `{SHAZIA}/products/ralli-cushion-cover-par.md`, which is not an artisan, product "
                  f"or translation file of the catalog (did you mean `{CUSHION}`?)"),
        ("15:11", "`number` looks like an e-mail address; only numbers can be allowed: an e-mail address of an "
                  "artisan is never published"),
        ("18:11", f"`item 7.number` must be text, found the integer `{CODE}`"),
        ("21:11", "`number` has 5 digits; the private-data check flags only numbers of 7 digits or more, so it "
                  "needs no allowance"),
        ("24:11", "`number` must be the number only (digits, spaces, hyphens, dots, brackets), found `x`"),
        ("26:10", f"`where` is `/{CUSHION}`, which is not an artisan, product or translation file of the catalog"),
    ]]


def test_the_list_must_be_a_list(site: Path) -> None:
    add_line(site, CUSHION, DESCRIPTION_LINE, f"Design code {CODE}.")
    allow(site, f"{CODE}: {{reason: a design code, where: {CUSHION}}}\n")
    code, printed = check(site)
    assert code != 0 and printed[0] == (f"{LIST}:1:1: error: the allowed numbers must be a list of `- number: ...` "
                                        "items, found a mapping")
    assert printed[1].startswith(f"{CUSHION}:")  # nothing was allowed


# -- builds with a warm cache ---------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Volunteer", "-c", "user.email=volunteer@example.org",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


def build(root: Path) -> BuildResult:
    """``karigar build`` as the command runs it (the up-to-date check, a quick or a full build)."""
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".karigar-cache")
    result = build_to_disk(settings, now=NOW, jobs=1)
    assert isinstance(result, BuildResult), result
    return result


def clean_build(root: Path, dest: Path) -> dict[str, str]:
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns("site", ".karigar-cache"))
    result = build(dest)
    assert result.ok and result.quick is None
    return tree(dest / "site")


def errors(result: BuildResult) -> list[str]:
    return [f"{d.location}: {d.code}" for d in result.check.diagnostics if d.is_error]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_builds_with_a_warm_cache_follow_the_list_and_agree_with_a_clean_build(tmp_path: Path) -> None:
    # As in test_quick_build: a few entries on the home page, so most are not and an edit of them (the
    # baby quilt) may take a quick build.
    site = copy_sample(tmp_path / "site", districts=("pk/thatta", "pk/multan", "in/lucknow"))
    config = site / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("per_page: 50", "per_page: 2")
                      .replace("featured_limit: 12", "featured_limit: 1"), "utf-8")
    line = add_line(site, BABY_QUILT, "A lighter, smaller ralli", f"Design code {CODE}.")
    allow(site, item(CODE, BABY_QUILT))
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "catalog")
    assert build(site).ok

    # An edit of the entry elsewhere: a quick build, which keeps the allowance.
    quilt = site / BABY_QUILT
    quilt.write_text(quilt.read_text("utf-8").replace("every seam is", "each seam is"), "utf-8")
    quick = build(site)
    assert quick.ok and quick.quick == 1
    assert differences(tree(site / "site"), clean_build(site, tmp_path / "clean-1")) == []

    # The allowance removed: the unchanged entry, whose validation is cached, is checked again.
    allow(site, "")
    refused = build(site)
    assert not refused.ok and errors(refused) == [f"{BABY_QUILT}:{line}:13: private-data"]

    # Allowed again, and the same code added to another entry with its own allowance.
    runner_line = add_line(site, RUNNER, "A runner cut from", f"Design code {CODE}.")
    allow(site, item(CODE, BABY_QUILT))
    assert errors(build(site)) == [f"{RUNNER}:{runner_line}:13: private-data"]
    allow(site, item(CODE, BABY_QUILT) + item(CODE, RUNNER))
    assert build(site).ok
    assert differences(tree(site / "site"), clean_build(site, tmp_path / "clean-2")) == []


def index_rows(settings: Settings) -> dict[str, tuple[str, str]]:
    """Each entry file's validation row in the build index: (its context, the checksum of its result)."""
    with contextlib.closing(sqlite3.connect(entry_cache_file(settings))) as db:
        return {path: (context, checksum) for path, context, checksum in db.execute(
            "SELECT path, context, checksum FROM entries")}


def test_the_dev_server_checks_again_only_the_entries_whose_allowances_changed(site: Path) -> None:
    line = add_line(site, CUSHION, DESCRIPTION_LINE, f"Design code {CODE}.")
    allow(site, item(CODE, CUSHION))
    settings = settings_for(site / "mkdocs.yml", site_dir=site / "site", cache_dir=site / ".karigar-cache")
    planner = SitePlanner(PageCache())
    first = planner.plan(settings, now=NOW)
    assert first.site is not None
    assert f"Design code {CODE}.".encode() in first.site[f"{SHAZIA}/ralli-cushion-cover-pair/index.html"]
    before = index_rows(settings)

    allow(site, "")
    refused = planner.plan(settings, now=NOW, changed=[str(site / LIST)])
    assert refused.site is None
    assert [f"{d.location}: {d.code}" for d in refused.diagnostics if d.is_error] == [
        f"{CUSHION}:{line}:13: private-data"]
    # The list is not part of every entry's validation: only the entry it named was checked again.
    after = index_rows(settings)
    assert after.keys() == before.keys() and [p for p in after if after[p] != before[p]] == [CUSHION]

    allow(site, "# Reviewed by the Thatta programme\n" + item(CODE, CUSHION))  # the item moves a line down
    again = planner.plan(settings, now=NOW, changed=[str(site / LIST)])
    assert again.site is not None and again.diagnostics == []
    assert [p for p in index_rows(settings) if index_rows(settings)[p] != after[p]] == [CUSHION]


def test_a_check_of_part_of_the_catalog_does_not_judge_allowances_outside_it(tmp_path: Path) -> None:
    """A pull request's check reads only the folders it changed: an allowance for an entry it did not
    read is neither an unknown entry nor unused there (the full check still judges it)."""
    site = copy_sample(tmp_path / "site", districts=("pk/thatta", "pk/multan"))
    add_line(site, BABY_QUILT, "A lighter, smaller ralli", f"Design code {CODE}.")
    allow(site, item(CODE, BABY_QUILT))
    settings = settings_for(site / "mkdocs.yml", site_dir=site / "site", cache_dir=site / ".karigar-cache")
    part = check_site(settings, now=NOW, jobs=1, scope=WalkScope(frozenset({("pk", "multan")}), frozenset()))
    assert part.ok and part.diagnostics == []
    allow(site, item(CODE, BABY_QUILT) + item(CODE, f"{SHAZIA}/products/no-such-quilt.md"))
    whole = check_site(settings, now=NOW, jobs=1)
    assert [f"{d.location}: {d.code}" for d in whole.diagnostics] == [f"{LIST}:6:10: allowed-number-where"]
