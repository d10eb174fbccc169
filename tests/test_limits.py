"""Host limits by construction: generated files split at any size; the build cache survives deploys."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter

from karigar.render.sitemaps import PROTOCOL_LIMIT, sitemap_jobs
from tests.conftest import REPO


def test_sitemaps_stay_split_under_a_small_cap() -> None:
    outputs = [f"artisans/pk/d/a{i}/index.html" for i in range(61)] + ["index.html", "training/calendar.ics"]
    jobs = sitemap_jobs(outputs, site_url="https://example.org/", folder_cap=4)
    files = {job.output: job.render().decode() for job in jobs}
    index = files.pop("sitemap.xml")
    # 62 pages (the .ics is not a page), at most 4 URLs per file -> 16 sitemaps.
    assert len(files) == 16
    per_folder = Counter(path.rsplit("/", 1)[0] for path in files)
    assert max(per_folder.values()) <= 4
    assert Counter(path.split("/")[1] for path in files if path.count("/") == 2).keys() <= {"0", "1", "2", "3", "4"}
    urls = [u for body in files.values() for u in re.findall(r"<loc>([^<]+)</loc>", body)]
    assert len(urls) == len(set(urls)) == 62
    assert all(len(re.findall("<url>", body)) <= 4 for body in files.values())
    assert sorted(re.findall(r"<loc>https://example.org/([^<]+)</loc>", index)) == sorted(files)


def test_sitemap_files_never_exceed_the_protocol_limit() -> None:
    outputs = [f"p/{i}/index.html" for i in range(PROTOCOL_LIMIT + 10)]
    jobs = sitemap_jobs(outputs, site_url="https://example.org/", folder_cap=50_000)
    assert [job.output for job in jobs] == ["sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml", "sitemap.xml"]


def test_netlify_keeps_the_build_cache_and_the_site_between_deploys() -> None:
    config = tomllib.loads((REPO / "netlify.toml").read_text())
    plugins = {p["package"]: p for p in config.get("plugins", [])}
    cache = plugins["netlify-plugin-cache"]
    assert {".karigar-cache", config["build"]["publish"]} <= set(cache["inputs"]["paths"])
    package = json.loads((REPO / "package.json").read_text())
    assert "netlify-plugin-cache" in package["devDependencies"]
