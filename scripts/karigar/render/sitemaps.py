"""Sitemaps, split by construction: no file over the protocol's 50,000 URLs or 50 MB, no folder over the cap.

``/sitemap.xml`` is a sitemap index pointing at ``/sitemaps/.../sitemap-<n>.xml``
files.  Each holds at most ``min(50,000, folder_cap)`` URLs and at most
52,428,800 bytes (URLs may be up to 2,047 characters, so 50,000 long ones
would not fit); when there are more sitemap files than the folder cap allows,
they are spread over numbered sub-folders, so any catalog size fits the host's
limits.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from xml.sax.saxutils import escape

from karigar.render.jobs import Job

__all__ = ["sitemap_jobs", "PROTOCOL_LIMIT", "PROTOCOL_MAX_BYTES"]

PROTOCOL_LIMIT = 50_000  # URLs per sitemap file and sitemaps per index (sitemaps.org)
PROTOCOL_MAX_BYTES = 52_428_800  # bytes per sitemap file, uncompressed: "50MB (52,428,800 bytes)" (sitemaps.org)
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _page_url(site_root: str, output: str) -> str | None:
    if output == "index.html":
        return site_root + "/"
    if output.endswith("/index.html"):
        return f"{site_root}/{output[: -len('index.html')]}"
    return None


def _sitemap_path(number: int, files: int, cap: int) -> str:
    if files <= cap:
        return f"sitemaps/sitemap-{number}.xml"
    return f"sitemaps/{number // cap}/sitemap-{number}.xml"


def _url_entry(url: str) -> str:
    return f"<url><loc>{escape(url)}</loc></url>\n"


def _urlset(site_root: str, pages: list[str]) -> bytes:
    """One sitemap of ``pages`` (output paths: their URLs are made here, when it is written)."""
    body = "".join(_url_entry(_page_url(site_root, page) or "") for page in pages)
    return f"{_HEAD}<urlset {_NS}>\n{body}</urlset>\n".encode("utf-8")


def _cuts(urls: list[str], per_file: int) -> list[tuple[int, int]]:
    """Where ``urls``, in order, are cut into files of at most ``per_file`` URLs and the protocol's bytes."""
    room = PROTOCOL_MAX_BYTES - len(_urlset("", []))  # what the entries may take beside the wrapper
    cuts: list[tuple[int, int]] = []
    start = size = 0
    for number, url in enumerate(urls):
        entry = len(_url_entry(url).encode("utf-8"))
        if number > start and (number - start == per_file or size + entry > room):
            cuts.append((start, number))
            start, size = number, 0
        size += entry
    cuts.append((start, len(urls)))  # at least one sitemap, if empty: the index always points somewhere
    return cuts


def sitemap_jobs(outputs: Iterable[str], *, site_url: str, folder_cap: int) -> list[Job]:
    """Jobs for the sitemap index and its sitemaps, from every published page's output path.

    The sitemaps' jobs keep the output paths (which the pages' own jobs hold
    anyway), not the URLs: a million URLs held from planning to writing cost
    about 130 MB at 50,000 artisans in three languages.
    """
    site_root = site_url.rstrip("/")
    pairs = sorted((url, output) for output in outputs if (url := _page_url(site_root, output)))
    urls = [url for url, _output in pairs]
    pages = [output for _url, output in pairs]
    del pairs
    per_file = max(1, min(PROTOCOL_LIMIT, folder_cap))
    cuts = _cuts(urls, per_file)
    jobs = []
    locations = []
    for number, (start, end) in enumerate(cuts, start=1):
        path = _sitemap_path(number, len(cuts), folder_cap)
        locations.append(f"{site_root}/{path}")
        signature = hashlib.blake2b("\n".join(urls[start:end]).encode(), digest_size=16).hexdigest()
        jobs.append(Job(path, signature, functools.partial(_urlset, site_root, pages[start:end])))
    index_body = "".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in locations)
    index = f"{_HEAD}<sitemapindex {_NS}>\n{index_body}</sitemapindex>\n".encode("utf-8")
    jobs.append(Job("sitemap.xml", hashlib.blake2b(index, digest_size=16).hexdigest(), lambda: index))
    return jobs
