"""Sitemaps, split along the URL tree and by construction within every limit.

``/sitemap.xml`` is a sitemap index pointing at one sitemap per part of the
URL tree (:func:`sitemap_group`): each district (its artisans', products' and
listing pages), each country's and the regions' listing pages, and each
other top-level section, every language together.  Adding an artisan adds
URLs to its district's sitemap only (and to a listing's when the listing
gains a page), so it changes that file and the index, not every later file of
one sorted list.

A group's sitemap sits at ``/sitemaps/<group>/sitemap-<n>.xml``, mirroring
the pages' own folders.  Each file holds at most ``min(50,000, folder_cap)``
URLs and at most 52,428,800 bytes (URLs may be up to 2,047 characters, so
50,000 long ones would not fit); a group with more files than the folder cap
allows spreads them over numbered ``sitemaps-<k>/`` sub-folders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from xml.sax.saxutils import escape

from karigar.catalog.graph import Catalog, DistrictGroup
from karigar.catalog.routes import without_language_folder
from karigar.render.jobs import Job

__all__ = ["sitemap_jobs", "entry_dates", "group_sitemap_jobs", "sitemap_index_job", "sitemap_group", "group_pages_prefixes", "sitemap_file_group",
           "is_page", "robots_job", "PROTOCOL_LIMIT", "PROTOCOL_MAX_BYTES", "SITEMAP_INDEX", "SITEMAPS_FOLDER",
           "ROBOTS"]

PROTOCOL_LIMIT = 50_000  # URLs per sitemap file and sitemaps per index (sitemaps.org)
PROTOCOL_MAX_BYTES = 52_428_800  # bytes per sitemap file, uncompressed: "50MB (52,428,800 bytes)" (sitemaps.org)
SITEMAP_INDEX = "sitemap.xml"
SITEMAPS_FOLDER = "sitemaps/"
ROBOTS = "robots.txt"
# An output path -> the ISO date its sitemap entry gives as <lastmod> ("" for none).
PageDate = Callable[[str], str]
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
# Folders below ``artisans/`` that make a group of their own: a country, then a district.
_ARTISAN_DEPTH = 3
_PAGED = "page"  # the folder of a listing's later pages (a reserved slug: never an entry's)


def is_page(output: str) -> bool:
    """Whether an output is a page a sitemap lists (pretty URLs: an ``index.html``)."""
    return output == "index.html" or output.endswith("/index.html")


def _page_url(site_root: str, output: str) -> str | None:
    if output == "index.html":
        return site_root + "/"
    if output.endswith("/index.html"):
        return f"{site_root}/{output[: -len('index.html')]}"
    return None


def _group_depth(folders: list[str]) -> int:
    """How many leading folders name a group: ``artisans/<country>/<district>``, or one top-level folder."""
    return _ARTISAN_DEPTH if folders[:1] == ["artisans"] else 1


def sitemap_group(output: str, languages: Iterable[str]) -> str:
    """The part of the URL tree whose sitemap lists the page at ``output`` ("" for the home page).

    A district (``artisans/<country>/<district>``, with every page below it),
    a country's or the regions' listing (``artisans/<country>``,
    ``artisans``: their own pages only), or another top-level section with
    every page below it (``crafts``, ``products``, ``training``...).  A
    listing's later pages (``page/<n>/``) belong to the listing.
    """
    folders = without_language_folder(output, languages).split("/")[:-1]
    kept: list[str] = []
    for folder in folders[:_group_depth(folders)]:
        if folder == _PAGED:
            break
        kept.append(folder)
    return "/".join(kept)


def group_pages_prefixes(group: str, languages: Iterable[str]) -> list[tuple[str, bool]]:
    """Where the pages of ``group`` can be, as (path, is a prefix) pairs: a query of the published outputs
    reads these (and keeps the paths :func:`sitemap_group` puts in ``group``)."""
    under = f"{group}/" if group else ""
    folders = group.split("/") if group else []
    # A group as deep as groups go holds every page below it; a shallower one only its own listing.
    leaf = bool(folders) and len(folders) >= _group_depth(folders)
    own = [(under, True)] if leaf else [(f"{under}index.html", False), (f"{under}{_PAGED}/", True)]
    return [(f"{lang_folder}{path}", prefix) for lang_folder in ("", *(f"{lang}/" for lang in languages))
            for path, prefix in own]


def _sitemap_path(group: str, number: int, files: int, cap: int) -> str:
    folder = f"{SITEMAPS_FOLDER}{group}/" if group else SITEMAPS_FOLDER
    if files <= cap:
        return f"{folder}sitemap-{number}.xml"
    return f"{folder}sitemaps-{number // cap}/sitemap-{number}.xml"


def sitemap_file_group(path: str) -> str | None:
    """The group a sitemap file (its output path) lists; None for the index or another file."""
    if not path.startswith(SITEMAPS_FOLDER) or not path.endswith(".xml"):
        return None
    folders = path[len(SITEMAPS_FOLDER):].split("/")[:-1]
    if folders and folders[-1].startswith("sitemaps-"):
        folders.pop()
    return "/".join(folders)


def _no_date(output: str) -> str:
    return ""


def _url_entry(url: str, lastmod: str = "") -> str:
    if lastmod:
        return f"<url><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></url>\n"
    return f"<url><loc>{escape(url)}</loc></url>\n"


def _urlset(site_root: str, pages: list[str], date_of: PageDate = _no_date) -> bytes:
    """One sitemap of ``pages`` (output paths: their URLs and dates are made here, when it is written)."""
    body = "".join(_url_entry(_page_url(site_root, page) or "", date_of(page)) for page in pages)
    return f"{_HEAD}<urlset {_NS}>\n{body}</urlset>\n".encode("utf-8")


def entry_dates(catalog: Catalog, languages: Iterable[str]) -> PageDate:
    """The ``<lastmod>`` of an artisan's or a product's page: the contract's ``added`` date of its entry.

    The contract allows only the content's (or Git's) dates there, never the
    build's clock, so an unchanged catalog gives the same sitemaps.  Listing
    and content pages get none.  An entry is found through its district's
    list, one district at a time (pages come sorted, so a district's pages
    are together): nothing is held for the whole catalog, and a quick build
    loads only the districts whose sitemaps it makes again.
    """
    langs = tuple(languages)
    district: list[object] = [None, {}]  # the last district asked about, and its pages' dates
    groups: dict[tuple[str, str], DistrictGroup] = {}

    def dates_of(country: str, slug: str) -> dict[str, str]:
        if district[0] != (country, slug):
            if not groups:  # made at the first question (a quick build's lists load only what is read)
                groups.update(((g.country, g.slug), g) for country_groups in catalog.countries.values()
                              for g in country_groups)
            found: dict[str, str] = {}
            group = groups.get((country, slug))
            for artisan in group.artisans if group is not None else ():
                if artisan.added is not None:
                    found[artisan.slug] = artisan.added.isoformat()
                for product in catalog.products_of.get(artisan.slug, ()):
                    if product.added is not None:
                        found[f"{artisan.slug}/{product.slug}"] = product.added.isoformat()
            district[:] = [(country, slug), found]
        return district[1]  # type: ignore[return-value]

    def date_of(output: str) -> str:
        parts = without_language_folder(output, langs).split("/")
        if parts[0] != "artisans" or len(parts) not in (5, 6) or parts[-1] != "index.html" or parts[3] == _PAGED:
            return ""
        return dates_of(parts[1], parts[2]).get("/".join(parts[3:-1]), "")

    return date_of


def _cuts(urls: list[str], per_file: int) -> list[tuple[int, int]]:
    """Where ``urls``, in order, are cut into files of at most ``per_file`` URLs and the protocol's bytes."""
    room = PROTOCOL_MAX_BYTES - len(_urlset("", []))  # what the entries may take beside the wrapper
    cuts: list[tuple[int, int]] = []
    start = size = 0
    for number, url in enumerate(urls):
        entry = len(_url_entry(url, "0000-00-00").encode("utf-8"))  # room for a date whether it has one
        if number > start and (number - start == per_file or size + entry > room):
            cuts.append((start, number))
            start, size = number, 0
        size += entry
    cuts.append((start, len(urls)))
    return cuts


def group_sitemap_jobs(groups: Mapping[str, Iterable[str]], *, site_url: str, folder_cap: int,
                       date_of: PageDate = _no_date) -> list[Job]:
    """The sitemap files of each group (group -> the output paths of its pages); a group without pages has none.

    The jobs keep the output paths (which the pages' own jobs hold anyway), not
    the URLs: a million URLs held from planning to writing cost about 130 MB at
    50,000 artisans in three languages.  ``date_of`` gives each page's
    ``<lastmod>`` (:func:`entry_dates`); the dates are signed, not kept.
    """
    site_root = site_url.rstrip("/")
    per_file = max(1, min(PROTOCOL_LIMIT, folder_cap))
    jobs = []
    for group in sorted(groups):
        pairs = sorted((url, output) for output in groups[group] if (url := _page_url(site_root, output)))
        if not pairs:
            continue
        urls = [url for url, _output in pairs]
        pages = [output for _url, output in pairs]
        cuts = _cuts(urls, per_file)
        for number, (start, end) in enumerate(cuts, start=1):
            listed = "\n".join(f"{url} {date_of(page)}" for url, page in zip(urls[start:end], pages[start:end]))
            signature = hashlib.blake2b(listed.encode(), digest_size=16).hexdigest()
            jobs.append(Job(_sitemap_path(group, number, len(cuts), folder_cap), signature,
                            _urlset, (site_root, pages[start:end], date_of)))
    return jobs


def spans_the_site(job: Job) -> bool:
    """Whether ``job`` is a sitemap of pages: it reads the path of every page it lists, wherever those paths
    lie in memory (the parallel render makes these in the build's own process: see ``run_jobs``)."""
    return job.make is _urlset


def sitemap_index_job(sitemaps: Iterable[str], *, site_url: str) -> Job:
    """``/sitemap.xml``: the index of every sitemap file (their output paths)."""
    site_root = site_url.rstrip("/")
    body = "".join(f"<sitemap><loc>{escape(f'{site_root}/{path}')}</loc></sitemap>\n" for path in sorted(sitemaps))
    index = f"{_HEAD}<sitemapindex {_NS}>\n{body}</sitemapindex>\n".encode("utf-8")
    return Job(SITEMAP_INDEX, hashlib.blake2b(index, digest_size=16).hexdigest(), lambda: index)


def sitemap_jobs(outputs: Iterable[str], *, site_url: str, folder_cap: int, languages: Iterable[str],
                 date_of: PageDate = _no_date) -> list[Job]:
    """Jobs for the sitemap index and every group's sitemaps, from every published page's output path."""
    langs = tuple(languages)
    groups: dict[str, list[str]] = {}
    for output in outputs:
        if is_page(output):
            groups.setdefault(sitemap_group(output, langs), []).append(output)
    jobs = group_sitemap_jobs(groups, site_url=site_url, folder_cap=folder_cap, date_of=date_of)
    jobs.append(sitemap_index_job([job.output for job in jobs], site_url=site_url))
    return jobs


def robots_job(*, site_url: str) -> Job:
    """``/robots.txt``: every page may be crawled, and the sitemap index is named (with the site's origin).

    Crawlers read ``robots.txt`` at the root of a host only: a site served
    below a path (``site_url`` with one) still gets the file, and its owner
    names the sitemap index in the host's own file or in Search Console.
    Pages that must stay out of search results say so themselves (the 404
    page's ``noindex``): a ``Disallow`` would keep crawlers from reading that.
    """
    site_root = site_url.rstrip("/")
    lines = ["# Every page may be crawled; the sitemap index lists the site's canonical pages.",
             "User-agent: *", "Allow: /"]
    if site_root.startswith(("https://", "http://")):  # the protocol wants an absolute URL
        lines += ["", f"Sitemap: {site_root}/{SITEMAP_INDEX}"]
    text = ("\n".join(lines) + "\n").encode("utf-8")
    return Job(ROBOTS, hashlib.blake2b(text, digest_size=16).hexdigest(), lambda: text)
