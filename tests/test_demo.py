"""``karigar demo``: the synthetic catalog follows the content contract and is deterministic."""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from karigar.commands.demo import run_demo
from karigar.demo import DemoStats, generate_catalog
from karigar.demo.artisan import slug_suffix
from karigar.demo.places import DISTRICTS, PK_SHARE, district_languages
from karigar.demo.prose import count_words
from PIL import Image

CRAFTS = (
    "ajrak-block-printing blue-pottery ralli-quilting phulkari pashmina-shawls truck-art "
    "wood-carving camel-skin-lamps kutch-embroidery bandhani chikankari balochi-embroidery "
    "khussa-footwear onyx-carving hand-knotted-carpets"
).split()
PROGRAMS = ["smeda", "bisp", "tdap", "amazon-global-selling"]
# libyaml's safe loader where built: the same results, ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DISTRICT_NAME = re.compile(r"^[A-Z][A-Za-z -]+$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESERVED = {"page", "photos", "products", "api", "search", "assets", "feeds", "sitemaps", "admin", "en", "ur", "hi"}
ARTISAN_KEYS = {
    "name",
    "kind",
    "members",
    "crafts",
    "location",
    "photo",
    "since",
    "languages",
    "programs",
    "links",
    "consent",
    "verified",
    "featured",
    "draft",
}
PRODUCT_KEYS = {
    "title",
    "photos",
    "price",
    "materials",
    "dimensions",
    "made_to_order",
    "crafts",
    "listings",
    "draft",
}
# Values written unquoted: numbers, ISO dates and the two YAML 1.2 booleans.
PLAIN_VALUE = re.compile(r"^(-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2}|true|false)$")
LISTING_PATTERNS = {
    "amazon": ("id", re.compile(r"^B0[0-9A-Z]{8}$")),
    "amazon-in": ("id", re.compile(r"^B0[0-9A-Z]{8}$")),
    "etsy": ("id", re.compile(r"^[0-9]{6,12}$")),
    "daraz": (
        "url",
        re.compile(r"^https://www\.daraz\.pk/products/[a-z0-9]+(-[a-z0-9]+)*-i[0-9]+\.html$"),
    ),
    "alibaba": (
        "url",
        re.compile(r"^https://www\.alibaba\.com/product-detail/[A-Za-z0-9-]+_[0-9]+\.html$"),
    ),
}


def contract_slug(text: str) -> str:
    """The contract's slug rule, written independently of the generator."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make(root: Path, n: int, **options: object) -> tuple[Path, DemoStats]:
    artisans_dir = root / "artisans"
    stats = generate_catalog(artisans_dir, artisans=n, crafts=CRAFTS, programs=PROGRAMS, **options)  # type: ignore[arg-type]
    return artisans_dir, stats


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def split(text: str) -> tuple[dict, str, list[str]]:
    """Front matter (parsed), body and the raw front matter lines of a Markdown entry."""
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.load(head, Loader=SAFE_LOADER), body, head.splitlines()


def text_of(value: object) -> str:
    return value["en"] if isinstance(value, dict) else value  # type: ignore[index,return-value]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoStats]:
    return make(tmp_path_factory.mktemp("demo400"), 400)


Entry = tuple[dict, str, list[str]]


@pytest.fixture(scope="module")
def entries(catalog: tuple[Path, DemoStats]) -> dict[Path, Entry]:
    """Every Markdown file of the N=400 catalog, parsed once: path -> (front matter, body, lines)"""
    return {
        path: split(path.read_text(encoding="utf-8")) for path in sorted(catalog[0].rglob("*.md"))
        if not is_translation(path.name)
    }


def is_translation(name: str) -> bool:
    """``index.ur.md``, ``<product>.hi.md``: translation files, not entries."""
    return name.count(".") == 2


def artisan_folders(artisans_dir: Path) -> list[Path]:
    return sorted(p.parent for p in artisans_dir.glob("*/*/*/index.md"))


def test_same_arguments_write_byte_identical_trees(tmp_path: Path) -> None:
    first, _ = make(tmp_path / "a", 30)
    second, _ = make(tmp_path / "b", 30)
    assert tree(first) == tree(second)


def test_smaller_catalog_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    small, _ = make(tmp_path / "small", 10)
    large, _ = make(tmp_path / "large", 30)
    small_files, large_files = tree(small), tree(large)
    registry = "_registry/districts.yml"
    for path, data in small_files.items():
        if path != registry:
            assert large_files[path] == data, path
    small_districts = yaml.safe_load(small_files[registry])
    large_districts = yaml.safe_load(large_files[registry])
    assert small_districts.items() <= large_districts.items()


def test_worker_processes_write_the_same_tree(tmp_path: Path) -> None:
    one, _ = make(tmp_path / "one", 30, workers=1)
    two, _ = make(tmp_path / "two", 30, workers=2)
    assert tree(one) == tree(two)


def test_another_seed_writes_another_catalog(tmp_path: Path) -> None:
    a, _ = make(tmp_path / "a", 10, seed=1)
    b, _ = make(tmp_path / "b", 10, seed=2)
    assert tree(a) != tree(b)


def profiles(entries: dict[Path, Entry]) -> dict[Path, Entry]:
    """The artisans' index.md entries, keyed by artisan folder."""
    return {path.parent: entry for path, entry in entries.items() if path.name == "index.md"}


def product_entries(entries: dict[Path, Entry]) -> dict[Path, Entry]:
    return {path: entry for path, entry in entries.items() if path.parent.name == "products"}


def test_stats_count_what_was_written(
    catalog: tuple[Path, DemoStats], entries: dict[Path, Entry]
) -> None:
    artisans_dir, stats = catalog
    files = [p for p in artisans_dir.rglob("*") if p.is_file()]
    products = product_entries(entries)
    assert stats.artisans == len(profiles(entries)) == 400
    assert stats.files == len(files)
    assert stats.bytes == sum(p.stat().st_size for p in files)
    assert stats.products == len(products)
    assert stats.listings == sum(len(data["listings"]) for data, _, _ in products.values())
    districts = yaml.safe_load(
        (artisans_dir / "_registry" / "districts.yml").read_text(encoding="utf-8")
    )
    assert stats.districts == len(districts)


def assert_quoted_or_plain(lines: list[str]) -> None:
    for value in [line.split(": ", 1)[1] for line in lines if ": " in line]:
        assert value.startswith(('"', "[")) or PLAIN_VALUE.match(value), value


def test_front_matter_is_valid_and_complete(entries: dict[Path, Entry]) -> None:
    start, end = datetime.date(2023, 1, 1), datetime.date(2026, 6, 30)
    for folder, (data, _, lines) in profiles(entries).items():
        assert set(data) <= ARTISAN_KEYS
        assert text_of(data["name"])
        assert data["crafts"] and set(data["crafts"]) <= set(CRAFTS)
        assert set(data["location"]) == {"district", "province"}
        assert data.get("kind", "person") in {"person", "family", "cooperative"}
        if data.get("kind", "person") != "person":
            assert isinstance(data["members"], int) and data["members"] >= 1
        assert set(data.get("programs", [])) <= set(PROGRAMS)
        assert all(SLUG.match(tag.lower()) for tag in data["languages"])
        assert len(set(data["languages"])) == len(data["languages"])
        if not data.get("draft"):
            assert "consent" in data
        if "consent" in data:
            assert start <= data["consent"]["given"] <= end
            assert data["consent"]["recorded_by"]
        if "verified" in data:
            assert data["consent"]["given"] <= data["verified"]["date"] <= end
        assert_quoted_or_plain(lines)
        products = [entries[p] for p in sorted((folder / "products").glob("*.md")) if not is_translation(p.name)]
        assert 1 <= len(products) <= 12
        for product, _, product_lines in products:
            assert set(product) <= PRODUCT_KEYS
            assert product["title"] and product["listings"]
            assert product["price"]["amount"] > 0
            assert product["price"]["currency"] in {"PKR", "INR", "USD"}
            assert set(product.get("crafts", [])) <= set(data["crafts"])
            assert_quoted_or_plain(product_lines)


def test_slugs_follow_the_contract(entries: dict[Path, Entry]) -> None:
    folders = list(profiles(entries))
    names = [folder.name for folder in folders]
    assert len(set(names)) == len(names), "artisan slugs must be unique across the catalog"
    slugs = names + [f.parent.name for f in folders] + [p.stem for p in product_entries(entries)]
    for slug in slugs:
        assert SLUG.match(slug) and len(slug) <= 80 and slug not in RESERVED, slug
    assert {f.parent.parent.name for f in folders} <= {"pk", "in"}


def test_slug_suffixes_never_repeat() -> None:
    codes = [slug_suffix(i) for i in range(36**4 - 5000, 36**4 + 5000)] + [
        slug_suffix(i) for i in range(60_000)
    ]
    assert len(set(codes)) == len(codes)


def test_district_folders_agree_with_entries_and_registry(
    catalog: tuple[Path, DemoStats], entries: dict[Path, Entry]
) -> None:
    registry = yaml.safe_load(
        (catalog[0] / "_registry" / "districts.yml").read_text(encoding="utf-8")
    )
    seen: dict[str, tuple[str, str]] = {}
    for folder, (data, _, _) in profiles(entries).items():
        location = data["location"]
        assert folder.parent.name == contract_slug(location["district"])
        key = f"{folder.parent.parent.name}/{folder.parent.name}"
        pair = (location["district"], location["province"])
        assert seen.setdefault(key, pair) == pair, key
    assert set(registry) == set(seen)
    for key, (district, province) in seen.items():
        entry = registry[key]
        assert entry["name"]["en"] == district and entry["province"] == province
        assert ("ur" if key.startswith("pk/") else "hi") in entry["name"]
    assert seen and min(DISTRICT_NAME.match(d) is not None for d, _ in seen.values())


def test_listings_match_marketplace_patterns(
    catalog: tuple[Path, DemoStats], entries: dict[Path, Entry]
) -> None:
    asins: list[str] = []
    used: Counter[str] = Counter()
    for path, (data, _, _) in product_entries(entries).items():
        country = path.relative_to(catalog[0]).parts[0]
        listings = data["listings"]
        assert 1 <= len(listings) <= 3
        assert len({item["marketplace"] for item in listings}) == len(listings)
        for item in listings:
            market = item["marketplace"]
            key, pattern = LISTING_PATTERNS[market]
            assert set(item) == {"marketplace", key} and pattern.match(item[key]), item
            assert not (market == "daraz" and country != "pk")
            assert not (market == "amazon-in" and country != "in")
            if market.startswith("amazon"):
                asins.append(item["id"])
            used[market] += 1
    assert len(set(asins)) == len(asins)
    assert set(used) == set(LISTING_PATTERNS)


def test_bodies_stay_within_the_simple_markdown_subset(entries: dict[Path, Entry]) -> None:
    for path, (_, body, _) in entries.items():
        assert "<" not in body and "](" not in body and "@" not in body, path
        assert not re.search(r"\d", body), path
        for line in body.splitlines():
            if line.startswith("#"):
                assert re.match(r"^#{2,4} \S", line), line
        lo, hi = (60, 200) if path.name == "index.md" else (30, 120)
        assert lo <= count_words(body) <= hi, (path, count_words(body))


def test_catalog_mix_is_realistic(
    catalog: tuple[Path, DemoStats], entries: dict[Path, Entry]
) -> None:
    stats = catalog[1]
    people = profiles(entries)
    data = [entry[0] for entry in people.values()]
    drafts = [e for e in data if e.get("draft")]
    assert stats.drafts == len(drafts) and 1 <= len(drafts) <= 12
    countries = Counter(folder.parent.parent.name for folder in people)
    assert 0.5 <= countries["pk"] / 400 <= 0.7
    kinds = Counter(e.get("kind", "person") for e in data)
    assert 0.6 <= kinds["person"] / 400 <= 0.8 and kinds["family"] and kinds["cooperative"]
    assert any(isinstance(e["name"], dict) for e in data)
    assert 0.3 <= sum("verified" in e for e in data) / 400 <= 0.5
    assert 4 <= stats.products / 400 <= 8


def test_district_table_is_real_and_spread() -> None:
    assert len(DISTRICTS) >= 60
    assert (
        len({(d.country, d.name) for d in DISTRICTS})
        == len({d.name for d in DISTRICTS})
        == len(DISTRICTS)
    )
    totals = Counter[str]()
    for d in DISTRICTS:
        totals[d.country] += d.weight
        assert district_languages(d)
        assert contract_slug(d.name) not in RESERVED
    biggest = max(
        (PK_SHARE if d.country == "pk" else 1 - PK_SHARE) * d.weight / totals[d.country]
        for d in DISTRICTS
    )
    assert biggest * 50_000 < 5_000


def test_unknown_and_few_crafts_still_work(tmp_path: Path) -> None:
    crafts = ["truck-art", "glass-blowing"]
    stats = generate_catalog(tmp_path / "artisans", artisans=20, crafts=crafts, programs=[])
    for path in (tmp_path / "artisans").glob("*/*/*/index.md"):
        data = split(path.read_text(encoding="utf-8"))[0]
        assert set(data["crafts"]) <= set(crafts) and "programs" not in data
    assert stats.artisans == 20


def test_photos_are_tiny_jpegs_that_entries_reference(tmp_path: Path) -> None:
    with_photos, _ = make(tmp_path / "photos", 15, photos=True)
    without, _ = make(tmp_path / "plain", 15)
    referenced: set[Path] = set()
    for folder in artisan_folders(with_photos):
        data = split((folder / "index.md").read_text(encoding="utf-8"))[0]
        images = [data["photo"]] if "photo" in data else []
        for path in (folder / "products").glob("*.md"):
            if is_translation(path.name):
                continue
            images += split(path.read_text(encoding="utf-8"))[0].get("photos", [])
        for image in images:
            assert image["alt"] and image["src"].startswith("photos/")
            referenced.add(folder / image["src"])
    on_disk = set(with_photos.glob("*/*/*/photos/*"))
    assert referenced and referenced == on_disk
    for path in on_disk:
        data = path.read_bytes()
        assert len(data) < 4096
        assert Image.open(io.BytesIO(data)).format == "JPEG"
    # Photos come from their own random stream: the rest of the catalog is unchanged.
    plain = tree(without)
    for path, data in tree(with_photos).items():
        if path.endswith(".md") and not is_translation(path.rsplit("/", 1)[-1]):
            assert split(data.decode())[1] == split(plain[path].decode())[1]


def test_localized_names_use_only_the_given_languages(tmp_path: Path) -> None:
    english, _ = make(tmp_path / "en", 40, languages=["en"])
    urdu, _ = make(tmp_path / "ur", 40, languages=["en", "ur"])
    every, _ = make(tmp_path / "all", 40)
    plain, with_urdu, with_all = tree(english), tree(urdu), tree(every)
    # Languages add translation files into those languages, and nothing else.
    assert plain.keys() == {p for p in with_urdu if not is_translation(p.rsplit("/", 1)[-1])}
    assert {p.rsplit(".", 2)[1] for p in with_urdu if is_translation(p.rsplit("/", 1)[-1])} == {"ur"}
    assert {p.rsplit(".", 2)[1] for p in with_all if is_translation(p.rsplit("/", 1)[-1])} == {"ur", "hi"}
    assert plain.keys() == {p for p in with_all if not is_translation(p.rsplit("/", 1)[-1])}
    scripts: Counter[str] = Counter()
    for path in plain:
        if path.endswith("districts.yml"):
            continue
        if not path.endswith("index.md"):
            # Names are the only thing the languages change.
            assert plain[path] == with_urdu[path] == with_all[path], path
            continue
        assert isinstance(split(plain[path].decode())[0]["name"], str)
        assert set(text_of_languages(with_urdu[path])) <= {"en", "ur"}
        scripts.update(text_of_languages(with_all[path]))
    assert scripts["ur"] and scripts["hi"]
    # The districts registry follows the same rule.
    registry = "_registry/districts.yml"
    assert all(isinstance(e["name"], str) for e in yaml.safe_load(plain[registry]).values())
    assert {"en", "ur", "hi"} == {
        lang for e in yaml.safe_load(with_all[registry]).values() for lang in e["name"]
    }


def text_of_languages(data: bytes) -> list[str]:
    name = split(data.decode())[0]["name"]
    return list(name) if isinstance(name, dict) else []


def make_site(root: Path) -> Path:
    registry = root / "artisans" / "_registry"
    registry.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\ntheme:\n  name: material\n  custom_dir: theme\n"
        "plugins:\n  - karigar:\n      languages: [en, ur]\n"
    )
    (root / "theme").mkdir()
    (root / "theme" / "main.html").write_text("{% extends 'base.html' %}\n")
    (root / "content").mkdir()
    (root / "content" / "about.md").write_text("# About\n")
    (registry / "crafts.yml").write_text(
        'ralli-quilting:\n  name: "Ralli quilting"\n  description: "Quilts"\n'
        'blue-pottery:\n  name: "Blue pottery"\n  description: "Pots"\n'
    )
    (registry / "programs.yml").write_text(
        'smeda:\n  name: "SMEDA"\n  url: "https://smeda.org"\n  description: "x"\n'
    )
    (registry / "marketplaces.yml").write_text('etsy:\n  name: "Etsy"\n  hosts: ["www.etsy.com"]\n')
    (registry / "districts.yml").write_text("{}\n")
    return root


def demo(site: Path, dest: Path, *, artisans: int = 12, force: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = run_demo(
        site_root=site, dest=dest, artisans=artisans, seed=7, photos=False, force=force, out=out
    )
    return code, out.getvalue()


def test_run_demo_copies_the_site_and_uses_its_registry(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    dest = tmp_path / "demo"
    code, printed = demo(site, dest)
    assert code == 0
    assert "12 artisans" in printed and printed.count("\n") == 1 and " s\n" in printed
    for name in ("mkdocs.yml", "theme/main.html", "content/about.md"):
        assert (dest / name).read_bytes() == (site / name).read_bytes()
    for name in ("crafts", "programs", "marketplaces"):
        assert (dest / f"artisans/_registry/{name}.yml").read_bytes() == (
            site / f"artisans/_registry/{name}.yml"
        ).read_bytes()
    assert (dest / "artisans/_registry/districts.yml").read_text() != "{}\n"
    for path in dest.glob("artisans/*/*/*/index.md"):
        data = split(path.read_text(encoding="utf-8"))[0]
        assert set(data["crafts"]) <= {"ralli-quilting", "blue-pottery"}
        assert set(data.get("programs", [])) <= {"smeda"}


def test_run_demo_refuses_a_non_empty_destination_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    dest = tmp_path / "demo"
    stale = dest / "artisans" / "pk" / "old" / "gone" / "index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("---\n---\n")
    assert demo(site, dest) == (2, "")
    assert "--force" in capsys.readouterr().err
    assert stale.exists()
    code, _ = demo(site, dest, force=True)
    assert code == 0 and not stale.exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("zero", "at least 1"),
        ("same", "site itself"),
        ("no-crafts", "crafts.yml"),
        ("no-site", "mkdocs.yml"),
    ],
)
def test_run_demo_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    site = make_site(tmp_path / "site")
    dest = tmp_path / "demo"
    artisans = 0 if case == "zero" else 5
    if case == "same":
        dest = site
    if case == "no-crafts":
        (site / "artisans/_registry/crafts.yml").unlink()
    if case == "no-site":
        (site / "mkdocs.yml").unlink()
    assert demo(site, dest, artisans=artisans) == (2, "")
    assert message in capsys.readouterr().err
    assert not (tmp_path / "demo").exists()


def test_run_demo_reports_a_broken_site_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    (site / "mkdocs.yml").write_text("site_name: Test\n")
    assert demo(site, tmp_path / "demo") == (1, "")
    assert "karigar" in capsys.readouterr().err
    assert not (tmp_path / "demo").exists()
