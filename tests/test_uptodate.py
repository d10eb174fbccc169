"""The up-to-date stamp: a build with nothing changed is decided from file stats alone,
and the stamp never hides a change (content, clock, another build, a killed build)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from karigar.cli import main
from tests.test_incremental import entries

WEBINAR = """---
title: Pricing for export
kind: webinar
provider: Karigar volunteers
url: https://example.org/karigar-sample/pricing
starts: 2026-11-27T15:00:00+05:00
duration_minutes: 60
languages: [en]
---

How to price a quilt for buyers abroad.
"""
BEFORE_EVENT = "2026-11-25T10:30:00+00:00"  # after midnight in UTC+14, the latest zone
AFTER_EVENT = "2026-11-28T09:00:00+00:00"  # the webinar ended the day before
UP_TO_DATE = "no input changed since the last build"


from tests.realsite import tree  # noqa: E402  (search bundles compared by their records)


@pytest.fixture
def root(make_site) -> Path:  # type: ignore[no-untyped-def]
    return make_site({**entries(), "content/training/pricing.md": WEBINAR})


def build(root: Path, capsys: pytest.CaptureFixture[str], now: str = BEFORE_EVENT) -> str:
    code = main(["build", "-f", str(root / "mkdocs.yml"), "--now", now])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out + err


def test_a_build_with_nothing_changed_is_decided_without_loading_anything(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = build(root, capsys)
    assert UP_TO_DATE not in first
    before = tree(root / "site")
    mtimes = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()}
    second = build(root, capsys)
    assert UP_TO_DATE in second
    assert "0 rendered, 0 written, 0 removed" in second
    assert "load+validate" not in second  # the catalog was not even loaded
    assert tree(root / "site") == before
    assert {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()} == mtimes


def test_an_edit_of_the_same_size_is_never_hidden_by_the_stamp(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    build(root, capsys)
    product = root / "artisans/pk/thatta/artisan-1/products/quilt-0.md"
    text = product.read_text("utf-8")
    product.write_text(text.replace("Quilt number 0.", "Quilt number 9."), "utf-8")
    assert len(product.read_bytes()) == len(text.encode())
    out = build(root, capsys)
    assert UP_TO_DATE not in out
    page = root / "site/artisans/pk/thatta/artisan-1/quilt-0/index.html"
    assert "Quilt number 9." in page.read_text("utf-8")
    assert UP_TO_DATE in build(root, capsys)  # and the new state is stamped again


def test_a_touched_file_falls_back_to_content_hashes_and_writes_nothing(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    build(root, capsys)
    before = tree(root / "site")
    index = root / "artisans/pk/thatta/artisan-0/index.md"
    st = index.stat()
    os.utime(index, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # what a fresh clone does to mtimes
    out = build(root, capsys)
    assert UP_TO_DATE not in out
    assert " 0 written, 0 removed" in out
    assert tree(root / "site") == before


def test_the_clock_passing_an_event_or_going_back_invalidates_the_stamp(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    build(root, capsys, BEFORE_EVENT)
    training = (root / "site/training/index.html").read_text("utf-8")
    assert UP_TO_DATE in build(root, capsys, "2026-11-25T12:00:00+00:00")  # same day, before the event
    after = build(root, capsys, AFTER_EVENT)
    assert UP_TO_DATE not in after
    assert (root / "site/training/index.html").read_text("utf-8") != training  # no longer upcoming
    assert UP_TO_DATE not in build(root, capsys, BEFORE_EVENT)  # an earlier clock is not trusted either
    assert (root / "site/training/index.html").read_text("utf-8") == training


def test_another_build_a_killed_build_or_a_deleted_site_invalidate_the_stamp(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    build(root, capsys)
    before = tree(root / "site")
    marker = root / ".karigar-cache/state/building"
    marker.write_text("4242")  # a build died while writing
    assert UP_TO_DATE not in build(root, capsys)
    assert not marker.exists()
    assert tree(root / "site") == before
    shutil.rmtree(root / "site")  # `make clean` or a fresh checkout
    out = build(root, capsys)
    assert UP_TO_DATE not in out
    assert tree(root / "site") == before


def test_warnings_are_reported_again_by_an_up_to_date_build(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    index = root / "artisans/pk/thatta/artisan-0/index.md"
    index.write_text(index.read_text("utf-8").replace("name: Artisan 0", "name: {en: Artisan 0, xx: Z}"), "utf-8")
    first = build(root, capsys)
    second = build(root, capsys)
    assert UP_TO_DATE in second
    warning_lines = [line for line in first.splitlines() if ": warning:" in line]
    assert warning_lines and all(line in second for line in warning_lines)


def test_the_parallel_stat_walk_gives_the_serial_key_and_sees_a_change_deep_in_a_district(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from karigar.incremental import uptodate
    from tests.conftest import settings_for

    for district in ("badin", "sanghar", "tharparkar"):
        folder = root / f"artisans/pk/{district}/someone"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(f"{district}\n", "utf-8")
    monkeypatch.setattr(uptodate, "PARALLEL_UNITS", 1)  # fork walkers even for this small tree
    settings = settings_for(root / "mkdocs.yml")
    serial = uptodate.input_key(settings, "engine", processes=1)
    assert uptodate.input_key(settings, "engine", processes=2) == serial
    deep = root / "artisans/pk/sanghar/someone/index.md"
    st = deep.stat()
    os.utime(deep, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # one nanosecond is a change
    assert uptodate.input_key(settings, "engine", processes=2) != serial
    assert uptodate.input_key(settings, "engine", processes=1) == uptodate.input_key(settings, "engine", processes=2)
