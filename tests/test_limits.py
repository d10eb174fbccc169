"""Host limits by construction: generated files split at any size; the build cache survives deploys."""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter

from karigar.render.sitemaps import sitemap_jobs
from tests.conftest import REPO

# The Sitemaps protocol's published limits (sitemaps.org, https://www.sitemaps.org/protocol.html:
# the sections on sitemap files, on sitemap index files and on the <loc> tag), written here as
# the protocol states them rather than taken from the engine, so a wrong engine constant fails.
MAX_URLS_PER_SITEMAP = 50_000  # URLs in one sitemap file
MAX_SITEMAP_BYTES = 52_428_800  # 50 MB, uncompressed, for a sitemap file and for the index file alike
MAX_SITEMAPS_PER_INDEX = 50_000  # sitemaps listed by one index file
MAX_URL_CHARS = 2_047  # a <loc> URL is less than 2,048 characters
NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://example.org/"


def test_sitemaps_stay_split_under_a_small_cap() -> None:
    outputs = [f"artisans/pk/d/a{i}/index.html" for i in range(61)] + ["index.html", "training/calendar.ics"]
    jobs = sitemap_jobs(outputs, site_url="https://example.org/", folder_cap=4, languages=("en",))
    files = {job.output: job.render().decode() for job in jobs}
    index = files.pop("sitemap.xml")
    # The district's 61 pages at most 4 to a file -> 16 sitemaps, spread over numbered folders of at
    # most 4; the home page's own sitemap (the .ics is not a page).
    assert len(files) == 17 and "sitemaps/sitemap-1.xml" in files
    per_folder = Counter(path.rsplit("/", 1)[0] for path in files)
    assert max(per_folder.values()) <= 4
    assert {path.rsplit("/", 2)[0] for path in files if path != "sitemaps/sitemap-1.xml"} == {"sitemaps/artisans/pk/d"}
    urls = [u for body in files.values() for u in re.findall(r"<loc>([^<]+)</loc>", body)]
    assert len(urls) == len(set(urls)) == 62
    assert all(len(re.findall("<url>", body)) <= 4 for body in files.values())
    assert sorted(re.findall(r"<loc>https://example.org/([^<]+)</loc>", index)) == sorted(files)


def rendered_sitemaps(outputs: list[str], *, folder_cap: int = 50_000) -> tuple[bytes, dict[str, bytes]]:
    """The sitemap index and the sitemaps (path -> bytes) the engine makes for ``outputs``."""
    files = {job.output: job.render()
             for job in sitemap_jobs(outputs, site_url=SITE, folder_cap=folder_cap, languages=("en", "ur", "hi"))}
    return files.pop("sitemap.xml"), files


def assert_within_the_protocol(index: bytes, sitemaps: dict[str, bytes], urls: list[str]) -> None:
    """Each file within the protocol's limits, the index listing every sitemap, every URL listed once."""
    assert len(index) <= MAX_SITEMAP_BYTES
    listed = [loc.text for loc in ET.fromstring(index).iter(f"{NAMESPACE}loc")]
    assert len(listed) <= MAX_SITEMAPS_PER_INDEX
    assert sorted(listed) == sorted(SITE + path for path in sitemaps)
    found: list[str] = []
    for path, body in sitemaps.items():
        assert len(body) <= MAX_SITEMAP_BYTES, (path, len(body))
        locs = re.findall(rb"<loc>([^<]*)</loc>", body)
        assert body.count(b"<url>") == len(locs) <= MAX_URLS_PER_SITEMAP, (path, len(locs))
        found += [loc.decode() for loc in locs]
    assert len(found) == len(set(found)) and sorted(found) == sorted(urls)


def test_more_urls_than_one_sitemap_may_hold_are_split_within_the_protocol_limits() -> None:
    # 20,001 artisans of one district in three languages: 60,003 URLs, over one file's 50,000.
    outputs = ["index.html"] + [f"{lang}artisans/pk/lahore/artisan-{i}/index.html"
                                for lang in ("", "ur/", "hi/") for i in range(20_001)]
    index, sitemaps = rendered_sitemaps(outputs)
    assert_within_the_protocol(index, sitemaps, [SITE + o[: -len("index.html")] for o in outputs])
    assert sorted(sitemaps) == ["sitemaps/artisans/pk/lahore/sitemap-1.xml",  # the fewest the limit allows
                                "sitemaps/artisans/pk/lahore/sitemap-2.xml", "sitemaps/sitemap-1.xml"]
    first = ET.fromstring(sitemaps["sitemaps/artisans/pk/lahore/sitemap-1.xml"])
    assert first.tag == f"{NAMESPACE}urlset"  # well-formed XML in the protocol's namespace


def test_each_district_has_its_own_sitemap_and_every_language_is_in_it() -> None:
    outputs = ["index.html", "ur/index.html", "artisans/index.html", "artisans/page/2/index.html",
               "artisans/pk/index.html", "ur/artisans/pk/page/2/index.html", "products/page/3/index.html",
               "crafts/ralli/index.html", "training/calendar.ics"]
    outputs += [f"{lang}artisans/pk/{district}/{slug}index.html" for lang in ("", "ur/", "hi/")
                for district in ("lahore", "multan") for slug in ("", "page/2/", "a-1/", "a-1/quilt/")]
    index, sitemaps = rendered_sitemaps(outputs)
    pages = [SITE + o[: -len("index.html")] for o in outputs if o.endswith(".html")]
    assert_within_the_protocol(index, sitemaps, pages)
    listed = {path: re.findall(r"<loc>https://example.org/([^<]*)</loc>", body.decode())
              for path, body in sitemaps.items()}
    assert listed.keys() == {f"sitemaps/{group}sitemap-1.xml" for group in (
        "artisans/", "artisans/pk/", "artisans/pk/lahore/", "artisans/pk/multan/", "crafts/", "products/", "")}
    assert len(listed["sitemaps/artisans/pk/lahore/sitemap-1.xml"]) == 12  # four pages, three languages
    assert "ur/artisans/pk/lahore/a-1/quilt/" in listed["sitemaps/artisans/pk/lahore/sitemap-1.xml"]
    assert listed["sitemaps/artisans/pk/sitemap-1.xml"] == ["artisans/pk/", "ur/artisans/pk/page/2/"]
    assert listed["sitemaps/sitemap-1.xml"] == ["", "ur/"]


def test_sitemaps_of_the_longest_urls_the_protocol_allows_stay_under_its_byte_limit() -> None:
    # 26,000 URLs of 2,047 characters: far under 50,000 URLs, but over 52,428,800 bytes in one file.
    # (Catalog slugs are short, but content/ pages may sit in deep folders with long names.)
    stem = "guides/content-page-"
    outputs = [f"{stem}{i:06d}-{'x' * (MAX_URL_CHARS - len(SITE) - len(stem) - 8)}/index.html"
               for i in range(26_000)]
    urls = [SITE + o[: -len("index.html")] for o in outputs]
    assert {len(url) for url in urls} == {MAX_URL_CHARS}
    assert sum(len(url) for url in urls) > MAX_SITEMAP_BYTES
    index, sitemaps = rendered_sitemaps(outputs)
    assert_within_the_protocol(index, sitemaps, urls)
    assert sorted(sitemaps) == ["sitemaps/guides/sitemap-1.xml", "sitemaps/guides/sitemap-2.xml"]  # by size alone


def test_netlify_keeps_the_build_cache_and_the_site_between_deploys() -> None:
    config = tomllib.loads((REPO / "netlify.toml").read_text())
    plugins = {p["package"]: p for p in config.get("plugins", [])}
    cache = plugins["netlify-plugin-cache"]
    assert {".karigar-cache", config["build"]["publish"]} <= set(cache["inputs"]["paths"])
    package = json.loads((REPO / "package.json").read_text())
    assert "netlify-plugin-cache" in package["devDependencies"]
