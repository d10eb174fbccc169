"""`karigar new artisan|product`: valid scaffolds, refusals, prompts and exit codes."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from karigar.cli import build_parser
from karigar.commands.new import run_new, yaml_quote
from karigar.config import Settings, load_settings
from karigar.diagnostics import DiagnosticSink
from karigar.pipeline import check_site

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
ARTISAN = "artisans/pk/thatta/shazia-bibi"


class Terminal(io.StringIO):
    """Answers typed at a terminal, one per line."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Settings and registries of the sample, and one artisan."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "artisans" / "_registry", tmp_path / "artisans" / "_registry")
    shutil.copytree(REPO / ARTISAN, tmp_path / ARTISAN)
    (tmp_path / "content").mkdir()
    return tmp_path / "mkdocs.yml"


def settings_of(config: Path) -> Settings:
    sink = DiagnosticSink()
    settings = load_settings(config, sink=sink)
    assert settings is not None
    return settings


def new(config: Path, *argv: str, stdin: io.StringIO | None = None) -> tuple[int, str, str]:
    args = build_parser().parse_args(["new", argv[0], "-f", str(config), *argv[1:]])
    out, err = io.StringIO(), io.StringIO()
    code = run_new(args, now=NOW, out=out, err=err, stdin=stdin or io.StringIO())
    return code, out.getvalue(), err.getvalue()


def errors_of(config: Path) -> list[str]:
    result = check_site(settings_of(config), now=NOW)
    return [f"{d.location}: {d.message}" for d in result.diagnostics if d.is_error]


ARTISAN_FLAGS = ("artisan", "--name", 'Rukhsana "Rukhi" Bano: #1', "--slug", "rukhsana-bano", "--country", "pk",
                 "--district", "Thatta", "--craft", "ralli-quilting", "--recorded-by", "volunteer-sana-k")


def test_new_artisan_is_valid(site: Path) -> None:
    code, out, err = new(site, *ARTISAN_FLAGS)
    assert code == 0, err
    folder = site.parent / "artisans/pk/thatta/rukhsana-bano"
    assert "created artisans/pk/thatta/rukhsana-bano/index.md" in out
    assert (folder / "photos").is_dir() and [p.name for p in (folder / "photos").iterdir()] == [".gitkeep"]
    text = (folder / "index.md").read_text("utf-8")
    assert 'name: "Rukhsana \\"Rukhi\\" Bano: #1"' in text
    assert 'province: "Sindh"' in text  # taken from the districts registry
    assert f"given: {NOW.date().isoformat()}" in text
    assert errors_of(site) == []
    result = check_site(settings_of(site), now=NOW)
    assert result.model is not None
    made = next(a for a in result.model.artisans if a.slug == "rukhsana-bano")
    assert made.name.default == 'Rukhsana "Rukhi" Bano: #1' and made.crafts == ("ralli-quilting",)


def test_new_artisan_refuses_taken_slugs(site: Path) -> None:
    code, _, err = new(site, *ARTISAN_FLAGS[:3], "--slug", "shazia-bibi", *ARTISAN_FLAGS[5:])
    assert code == 1 and "already used by artisans/pk/thatta/shazia-bibi/" in err
    # Used in another district counts too: slugs are unique across the catalog.
    code, _, err = new(site, "artisan", "--name", "Shazia Bibi", "--country", "pk", "--district", "Lahore",
                       "--province", "Punjab", "--craft", "phulkari", "--recorded-by", "v")
    assert code == 1 and "already used" in err
    assert not (site.parent / "artisans/pk/lahore").exists()


def test_new_artisan_checks_flags(site: Path) -> None:
    code, _, err = new(site, "artisan", "--country", "pk", "--district", "Thatta", "--craft", "ralli-quilting",
                       "--recorded-by", "v")
    assert code == 2 and "missing --name" in err
    code, _, err = new(site, *ARTISAN_FLAGS[:-4], "--craft", "rali-quilting", "--recorded-by", "v")
    assert code == 2 and "did you mean `ralli-quilting`" in err
    code, _, err = new(site, *ARTISAN_FLAGS[:3], "--slug", "photos", *ARTISAN_FLAGS[5:])
    assert code == 2 and "reserved" in err
    code, _, err = new(site, *ARTISAN_FLAGS, "--consent-date", "2030-01-01")
    assert code == 2 and "future" in err
    assert not (site.parent / "artisans/pk/thatta/rukhsana-bano").exists()


def test_new_artisan_prompts_in_a_terminal(site: Path) -> None:
    answers = Terminal("Gul Meena\nPK\nQuetta\n\nbalochi-embroidery, phulkari\nvolunteer-ali\n")
    code, out, err = new(site, "artisan", "--kind", "cooperative", stdin=answers)
    text = (site.parent / "artisans/pk/quetta/gul-meena/index.md").read_text("utf-8")
    assert code == 0, err + out
    assert 'crafts: ["balochi-embroidery", "phulkari"]' in text and 'kind: "cooperative"' in text
    assert "known crafts:" in out
    assert errors_of(site) == []


def test_new_product_is_valid_and_unique(site: Path) -> None:
    flags = ("product", "--artisan", "shazia-bibi", "--title", "Ralli table runner", "--marketplace", "etsy",
             "--listing-id", "1587200199")
    code, out, err = new(site, *flags)
    assert code == 0, err
    assert f"created {ARTISAN}/products/ralli-table-runner.md" in out
    assert errors_of(site) == []
    code, _, err = new(site, *flags)
    assert code == 1 and "already exists" in err


def test_new_product_with_url_and_refusals(site: Path) -> None:
    code, _, err = new(site, "product", "--artisan", "shazia-bibi", "--title", "Quilt", "--marketplace", "daraz",
                       "--listing-url", "https://www.daraz.pk/products/quilt-i512340199.html")
    assert code == 0, err
    assert errors_of(site) == []
    code, _, err = new(site, "product", "--artisan", "shazia-bbi", "--title", "X", "--marketplace", "etsy",
                       "--listing-id", "1")
    assert code == 1 and "did you mean `shazia-bibi`" in err
    code, _, err = new(site, "product", "--artisan", "shazia-bibi", "--title", "Y", "--marketplace", "etsy")
    assert code == 2 and "--listing-id or --listing-url" in err
    code, _, err = new(site, "product", "--artisan", "shazia-bibi", "--title", "Y", "--marketplace", "amazon",
                       "--listing-id", "not-an-asin")
    assert code == 2 and "amazon" in err


def test_yaml_quote() -> None:
    assert yaml_quote('a "b" \\ c\nd\x01') == '"a \\"b\\" \\\\ c\\nd\\x01"'
    assert yaml_quote("no") == '"no"'
