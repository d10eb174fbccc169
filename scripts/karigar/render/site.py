"""Render the whole site into the write funnel: MkDocs' pages, the catalog, photos.

MkDocs runs first, into staging, because its Material templates produce the
frames the catalog pages are wrapped in; if it fails, nothing has been
written yet.  Every catalog output is a :class:`~karigar.render.pages.Job`
with a signature of its inputs: a job whose signature matches the last
build's is not rendered at all, the others are rendered (over several
processes for big sites) and handed to the funnel, which writes only bytes
that changed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from karigar.catalog.graph import Catalog, ProductItem
from karigar.catalog.page_choice import GrownLists, ShowsEntries
from karigar.catalog.routes import API_ROOT, SEARCH_BUNDLES, without_language_folder
from karigar.model.types import Artisan
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.errors import RenderFailed
from karigar.material import BuildSession, FallbackNotice, StagedSite
from karigar.photos.publish import PhotoFailed, PhotoPublisher, PublishedImage
from karigar.render.admin import admin_jobs, editor_warning
from karigar.render.api import ApiJobs
from karigar.render.cards import GridCards, Loading, ProductCards
from karigar.render.environment import make_environment, templates_fingerprint
from karigar.render.headers import security_headers
from karigar.render.ical import calendar_feed
from karigar.render.locale import catalogs_fingerprint, ui_locale
from karigar.render.look import FramedLook, Look, PlainLook
from karigar.render.pages import Job, PageRenderer, Signer
from karigar.render.search import SearchStage, make_builders, plan_bundles
from karigar.render.sitemaps import (
    SITEMAPS_FOLDER, group_pages_prefixes, group_sitemap_jobs, is_page, sitemap_file_group, sitemap_group,
    entry_dates, robots_job, sitemap_index_job, sitemap_jobs, spans_the_site,
)
from karigar.runtime import parked, shared_work
from karigar.timing import Timings
from karigar.write.batch import RenderedBatch
from karigar.write.funnel import DiskWriter, SiteWriter, WriteReport
from karigar.write.shard import Shard

__all__ = ["render_site", "make_renderers", "RenderFailed", "staging_dir", "PARALLEL_RENDER_THRESHOLD", "Rendered",
           "plan_site", "plan_entries", "site_signer", "run_jobs"]

# The last build's outputs at some places ((path, is a prefix) pairs) -> their signatures; None: unreadable.
PublishedQuery = Callable[[Iterable[tuple[str, bool]]], Mapping[str, str] | None]

# Below this many pages to render, forking workers costs more than it saves.
PARALLEL_RENDER_THRESHOLD = 2000


def staging_dir(settings: Settings) -> Path:
    return settings.cache_dir / "mkdocs-staging"


def make_renderers(settings: Settings, catalog: Catalog, look: Look, signer: Signer | None = None,
                   *, images: Mapping[str, PublishedImage] | None = None) -> dict[str, PageRenderer]:
    renderers = {}
    for lang, builder in make_builders(settings, catalog, images).items():
        env = make_environment(settings.templates_dir, builder.ui)
        renderers[lang] = PageRenderer(
            catalog, builder, env, look, per_page=settings.per_page,
            featured_limit=settings.featured_limit, upcoming_limit=settings.upcoming_limit, signer=signer,
        )
    return renderers


def _fingerprint(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


def _content_fingerprint(settings: Settings, catalog: Catalog, engine: str) -> str:
    """What every output depends on besides its entries, templates and the look: engine, settings, registries."""
    return _fingerprint(engine, settings.fingerprint(), repr(catalog.registries))


def _global_fingerprint(content: str, settings: Settings, look: Look) -> str:
    """Everything every page depends on: the ``content`` fingerprint, templates, translations, the look."""
    return _fingerprint(content, templates_fingerprint(settings.templates_dir),
                        catalogs_fingerprint(settings.languages), repr(sorted(getattr(look, "frames", {}).items())))


def _calendar_job(settings: Settings, catalog: Catalog, lang: str, signer: Signer) -> Job:
    routes = catalog.routes
    site_root = settings.site_url.rstrip("/")
    base = routes.base_path.rstrip("/")
    url_of = {t.slug: site_root + routes.training_page(t.slug, lang).url[len(base):] for t in catalog.trainings}
    # DTSTAMP is the build's day, not its second: an unchanged calendar is not rewritten on every build.
    stamp = catalog.now.replace(hour=0, minute=0, second=0, microsecond=0)
    host = urlsplit(settings.site_url).hostname or "karigar"
    signature = signer.of("calendar", lang, stamp.isoformat(), repr(catalog.trainings), url_of)
    return Job(routes.training_calendar(lang).output, signature, lambda: calendar_feed(
        catalog.trainings, site_name=settings.site_name, host=host, url_of=url_of, now=stamp, lang=lang,
        ui=ui_locale(lang, settings.native_digits)))




def site_jobs(settings: Settings, catalog: Catalog, renderers: dict[str, PageRenderer]) -> Iterator[Job]:
    """Every catalog output of the site, in a stable order."""
    signer = next(iter(renderers.values())).signer
    bundles = plan_bundles(catalog).names()
    for lang, renderer in renderers.items():
        yield renderer.home()
        yield renderer.search_page(bundles)
        yield from renderer.entity_jobs()
        yield from renderer.listing_jobs()
        yield renderer.training_index()
        yield _calendar_job(settings, catalog, lang, signer)
        yield from renderer.feed_jobs()
    yield renderers[settings.default_language].not_found()
    yield from api_jobs(settings, catalog, renderers).jobs()


# -- parallel rendering ---------------------------------------------------------
# Workers forked after planning (karigar.runtime.shared_work) render and write; the build's process
# records what they made.  The workers inherit the catalog, templates and jobs without pickling.


def _render_range(jobs: list[Job], writer: DiskWriter, start: int, end: int) -> list[tuple[int, str, bool, int]]:
    # Each result names its job by number: the parent keeps it in arrays by that number and reads the job's
    # own path and signature strings once the workers have ended (karigar.write.batch).
    done = []
    for number in range(start, end):
        job = jobs[number]
        data = job.render()
        digest, written = writer.write_prepared(job.output, data)
        done.append((number, digest, written, len(data)))
    return done


def _make_cards(requests: list[tuple[ProductCards, Loading, ProductItem]], start: int,
                end: int) -> list[tuple[int, bytes]]:
    # Packed against another dictionary, a card would not unpack in the parent: never pack without one.
    assert all(cards.has_dictionary() for cards, _loading, _item in requests[start:end])
    return [(i, cards.packed(item, loading)) for i, (cards, loading, item) in enumerate(requests[start:end], start)]


def _ranges(count: int, processes: int) -> list[tuple[int, int]]:
    # Small enough to balance the processes' ends and to keep what one chunk of listing pages makes a
    # worker copy near its memory budget (karigar.runtime; 1,000 listing pages copied 300 MB), big
    # enough that a chunk's claim and the worker's memory check after it cost little.
    size = max(50, min(500, count // (processes * 16)))
    return [(i, min(i + size, count)) for i in range(0, count, size)]


# A chunk of pages ends at this many product cards shown, whatever its number of pages.  A listing page
# shows 50 cards, each naming a product and its artisan somewhere in the heap, so a worker that renders
# one copies pages all over it: at 50,000 artisans in three languages a worker was seen holding 368 MB
# of its own after a chunk of 500 listing pages (the budget is 128 MB; it is checked between chunks).
_CARDS_PER_CHUNK = 2000


def _page_ranges(todo: list[Job], processes: int) -> list[tuple[int, int]]:
    """:func:`_ranges` of the pages to render, cut shorter where pages show many product cards."""
    ranges = []
    for start, end in _ranges(len(todo), processes):
        begin, cards = start, 0
        for number in range(start, end):
            prepare = todo[number].prepare
            cards += len(prepare.items) if isinstance(prepare, GridCards) else 0
            if cards >= _CARDS_PER_CHUNK:
                ranges.append((begin, number + 1))
                begin, cards = number + 1, 0
        if begin < end:
            ranges.append((begin, end))
    return ranges


def prepare_cards(todo: list[Job], *, processes: int) -> None:
    """Make every card the pages to render share, each once, over ``processes`` forked workers.

    Each language's cards are packed against a preset dictionary that its
    first card sets (render/cards.py): that card is made here first, so a
    card packs to the same bytes in whichever process makes it.  The workers
    send the packed cards back, and the render workers forked next inherit them.
    """
    requests: dict[tuple[int, Loading, str], tuple[ProductCards, Loading, ProductItem]] = {}
    for job in todo:
        if isinstance(job.prepare, GridCards):
            for loading, item in job.prepare.missing():
                requests.setdefault((id(job.prepare.cards), loading, item[1].source),
                                    (job.prepare.cards, loading, item))
        elif job.prepare is not None:
            job.prepare()
    pending = []
    for cards, loading, item in requests.values():
        if cards.has_dictionary():
            pending.append((cards, loading, item))
        else:
            cards.packed(item, loading)  # the language's first card: its dictionary
    if processes <= 1 or len(pending) < PARALLEL_RENDER_THRESHOLD:
        for cards, loading, item in pending:
            cards.packed(item, loading)
        return
    pending.sort(key=lambda request: request[2][1].source)  # a product's cards together: see shared_work

    def install(done: list[tuple[int, bytes]]) -> None:
        for i, packed in done:
            cards, loading, item = pending[i]
            cards.install(loading, item[1].source, packed)

    shared_work(_ranges(len(pending), processes), processes, functools.partial(_make_cards, pending), install)


def locality(output: str, languages: tuple[str, ...]) -> str:
    """An output's path without its language folder (or the API's): the pages of one entry in every language,
    and its API document, sort together."""
    return output[len(API_ROOT):] if output.startswith(API_ROOT) else without_language_folder(output, languages)


def run_jobs(jobs: list[Job], writer: SiteWriter, *, processes: int, languages: tuple[str, ...] = ()) -> None:
    """Render every job whose signature changed and hand it to the funnel.

    In parallel the jobs are rendered in the order of their paths without the
    language folder (``languages``), so that each process renders an entry's pages
    in all languages and few other processes touch (and so copy) that entry.
    """
    todo = []
    for job in jobs:
        if writer.is_current(job.output, job.signature):
            writer.keep(job.output)
        else:
            todo.append(job)
    if not isinstance(writer, DiskWriter) or processes <= 1 or len(todo) < PARALLEL_RENDER_THRESHOLD:
        for job in todo:
            writer.put(job.output, job.render(), job.signature)
        return
    # What pages share (each language's product cards) is made before the render workers fork, once,
    # and inherited by every one of them: made in the workers, each card would be made again by every
    # worker whose pages show it.
    prepare_cards(todo, processes=processes)
    todo.sort(key=lambda job: locality(job.output, languages))
    # A sitemap reads the paths of thousands of pages, which lie all over the heap: a worker making the
    # sitemaps copied 345 MB of it at 50,000 artisans in three languages (its budget is 128 MB).  They are
    # made here once the workers have ended, where reading copies nothing.
    site_wide = [job for job in todo if spans_the_site(job)]
    if site_wide:
        todo = [job for job in todo if not spans_the_site(job)]

    # Results go into arrays made before the workers fork: taking them touches no job (see karigar.write.batch).
    made = RenderedBatch(len(todo))

    def record(done: list[tuple[int, str, bool, int]]) -> None:
        for number, digest, written, nbytes in done:
            made.put(number, digest, written, nbytes)

    shared_work(_page_ranges(todo, processes), processes, functools.partial(_render_range, todo, writer), record)
    writer.record_batch(todo, made)
    for job in site_wide:
        writer.put(job.output, job.render(), job.signature)


@dataclass
class Rendered:
    """A full build's render stage: what it wrote, and what a later quick build reuses of it.

    ``digests`` are the entry hashes the signatures used, ``images`` what pages
    show of each photo, ``pinned`` the entries shown on pages a quick build
    does not plan (see :class:`~karigar.render.jobs.Signer`).
    """

    report: WriteReport
    look: Look
    digests: dict[str, str]
    images: Mapping[str, PublishedImage]
    pinned: set[str]
    warnings: tuple[Diagnostic, ...] = ()  # what the build published without (the web editor's bundle)


def render_site(settings: Settings, catalog: Catalog, *, writer: SiteWriter, timings: Timings, run_mkdocs: bool,
                look: Look | None, digests: dict[str, str], engine: str, processes: int = 1,
                shard: Shard | None = None) -> Rendered:
    """Stage MkDocs, plan every output, then render and write (only ``shard``'s share of them, if given).

    Every check runs in full in every shard (photos, the inline-code check behind
    ``_headers``), so a shard fails exactly when a single build would.
    """
    owns = shard.owns if shard is not None else (lambda _output: True)
    staged = None
    if run_mkdocs:
        with timings.stage("mkdocs"):
            staged, look = stage_content(settings, catalog, staging_dir(settings))
    elif look is None:
        look = PlainLook(settings.site_name)

    # Photos before pages: pages show each photo's size and variants, and a photo that
    # cannot be decoded stops the build here, before anything is written.
    publisher = PhotoPublisher(settings, catalog, digests, processes=processes)
    with timings.stage("photos"):
        try:
            photos = publisher.plan()
        except PhotoFailed as exc:
            raise RenderFailed(exc.diagnostics[0]) from exc
    with timings.stage("plan"):
        # The sitemaps list canonical pages only: not MkDocs' copies of untranslated pages.
        copies = set(staged.copies) if staged is not None else set()
        staged_pages = [f for f in staged.files if f.endswith(".html") and f not in copies] if staged is not None else []
        entry_digests = photos.entry_digests(catalog, digests)
        signer = site_signer(settings, catalog, look, digests=entry_digests, engine=engine)
        jobs = plan_site(settings, catalog, look, signer=signer, staged_pages=staged_pages, images=photos.images)
        signer.planned()
        # Every top-level name the site publishes gets the strict policy, the editor its own.
        outputs = [job.output for job in jobs] + [SEARCH_BUNDLES, settings.relative(settings.catalog_dir) + "/"]
        headers = security_headers(settings, catalog.routes, look, staged,
                                   outputs=outputs + list(staged.files if staged is not None else ()))
        if isinstance(headers, Diagnostic):
            raise RenderFailed(headers)
    # Search bundles are indexed before any page is written: a Pagefind failure leaves the site as it was.
    search = SearchStage(settings, catalog, make_builders(settings, catalog, photos.images), signer, owns=owns)
    search.index(writer, timings)
    with timings.stage("render+write"):
        # The entries' hashes (half a million at 50,000 artisans in three languages) are read again only
        # for the build's snapshot, never by a page: on disk while the pages render.
        with parked(digests, entry_digests):
            run_jobs([job for job in jobs if owns(job.output)], writer, processes=processes,
                     languages=settings.languages)
    with timings.stage("copy"):
        publisher.write(photos, writer, owns=owns)  # sanitized originals and variants, from the photo cache
        if staged is not None:
            for rel in staged.files:
                if owns(rel):
                    writer.put_file(rel, staged.root / rel)
        if headers is not None and owns(headers[0]):
            writer.put(*headers)
        search.write(writer, writer.published_under if isinstance(writer, DiskWriter) else None)
    with timings.stage("commit"):
        report = writer.commit()
    warning = editor_warning(settings)
    return Rendered(report, look, dict(signer.digests), photos.images, signer.pinned,
                    (warning,) if warning is not None else ())


# -- the same stages, one at a time, for the dev server --------------------------
# ``karigar serve`` never renders the whole site: it stages MkDocs' part once,
# plans the jobs (cheap: no rendering) and renders a page only when a browser
# asks for it.  These two functions are the MkDocs and plan stages of
# render_site, callable on their own.


def stage_content(settings: Settings, catalog: Catalog, staging: Path) -> tuple[StagedSite, FramedLook]:
    """Build ``content/`` with MkDocs into ``staging``: the staged site and the look's frames.

    MkDocs runs once per site language, the default first (it fills
    ``staging`` with Material's assets; the other runs add only their pages,
    under their language's folder), and each run renders its language's frames.
    Raises :class:`RenderFailed` (with a located diagnostic) when MkDocs stops.
    """
    from karigar.material import MkDocsFailed
    from karigar.material import run_mkdocs as mkdocs_build

    renderers = make_renderers(settings, catalog, PlainLook(settings.site_name))
    frames = {}
    files: list[str] = []
    copies: list[str] = []
    for lang in settings.languages:
        session = _mkdocs_session(settings, catalog, lang, renderers[lang])
        try:
            staged = mkdocs_build(settings.config_file, staging, session)
        except MkDocsFailed as exc:
            raise RenderFailed(Diagnostic(
                Severity.ERROR, "mkdocs", f"MkDocs could not build content/ ({lang}): {exc}",
                Location(settings.relative(settings.config_file)),
            )) from exc
        frames.update(session.frames)
        files.extend(staged.files)
        copies.extend(staged.copies)
    return StagedSite(staging, tuple(files), tuple(copies)), FramedLook(frames, settings.site_name)


# Also the msgid of the gettext call below (a literal there, so message extraction finds it).
_NOTICE = "This page is not yet translated into %(language)s. It is shown in %(original)s."


def _fallback_notice(lang: str, default: str) -> FallbackNotice:
    """The notice over a page shown in the default language, in ``lang`` where its catalog has it."""
    ui = ui_locale(lang)
    text = ui.gettext("This page is not yet translated into %(language)s. It is shown in %(original)s.")
    if text == _NOTICE and ui.locale.language != "en":
        ui = ui_locale("en")  # no translation yet: the whole sentence in English, marked as English
    return FallbackNotice(text % {"language": ui.language_name(lang), "original": ui.language_name(default)},
                          ui.lang, ui.direction)


def _mkdocs_session(settings: Settings, catalog: Catalog, lang: str, renderer: PageRenderer) -> BuildSession:
    """What MkDocs' run for ``lang`` needs from the engine: routes, the training box, interface text."""
    routes = catalog.routes
    base = routes.base_path
    ui = ui_locale(lang)
    docs_prefix = "training/"

    def training_box(src_uri: str) -> str | None:
        # The box is rendered by Karigar's own templates from the validated model, in this language.
        if not src_uri.startswith(docs_prefix) or src_uri.count("/") != 1:
            return None
        return renderer.training_box_html(src_uri[len(docs_prefix):-3])

    def content_url(src_uri: str, code: str) -> tuple[str, str]:
        route = routes.content_page(src_uri, code)
        return route.url, route.output

    def page_head(src_uri: str, title: str, description: str, canonical: str, languages: Collection[str]) -> str:
        is_resource = src_uri.startswith(docs_prefix) and src_uri.count("/") == 1
        return renderer.content_head(src_uri[len(docs_prefix):-3] if is_resource else None, title=title,
                                     description=description, canonical=canonical, languages=languages)

    def localize(url: str, code: str) -> str:
        return routes.file(url[len(base):], code).url if url.startswith(base) else url

    def absolute(url: str) -> str:
        return settings.site_url.rstrip("/") + (url[len(base) - 1:] if url.startswith(base) else url)

    return BuildSession(
        base_path=settings.base_path, languages=settings.languages, training_box=training_box, lang=lang,
        page_head=page_head,
        language_names={code: ui_locale(code).language_name(code) for code in settings.languages},
        direction=ui.direction, default_direction=ui_locale(settings.default_language).direction,
        content_url=content_url, localize=localize, absolute=absolute, translate=ui.gettext,
        notice=_fallback_notice(lang, settings.default_language),
        search_url=routes.search_page(lang).url,
    )


def site_signer(settings: Settings, catalog: Catalog, look: Look, *, digests: Mapping[str, str],
                engine: str) -> Signer:
    """The signer of a build's jobs: ``digests`` are the entry hashes the signatures use (with the
    shown photos folded in, as :meth:`PhotoSet.entry_digests` makes them)."""
    content = _content_fingerprint(settings, catalog, engine)
    return Signer(_global_fingerprint(content, settings, look), digests, content)


def api_jobs(settings: Settings, catalog: Catalog, renderers: Mapping[str, PageRenderer]) -> ApiJobs:
    """The content API's jobs, made from every language's view builder (karigar.render.api)."""
    signer = next(iter(renderers.values())).signer
    return ApiJobs(catalog, {lang: renderer.b for lang, renderer in renderers.items()}, signer,
                   per_page=settings.per_page, licence=settings.data_licence)


def plan_site(settings: Settings, catalog: Catalog, look: Look, *, signer: Signer,
              staged_pages: list[str], images: Mapping[str, PublishedImage] | None = None) -> list[Job]:
    """Every catalog output as a job (catalog pages, calendars, 404, sitemaps); nothing is rendered.

    ``images`` are what pages show of each photo, ``staged_pages`` MkDocs'
    HTML outputs, listed in the sitemaps next to the catalog's pages.
    """
    renderers = make_renderers(settings, catalog, look, signer, images=images)
    jobs = list(site_jobs(settings, catalog, renderers))
    pages = [job.output for job in jobs if job.output != "404.html"] + staged_pages
    jobs += sitemap_jobs(pages, site_url=settings.site_url, folder_cap=settings.folder_cap,
                         languages=settings.languages, date_of=entry_dates(catalog, settings.languages))
    jobs.append(robots_job(site_url=settings.site_url))
    jobs += admin_jobs(settings, catalog, signer)  # the web editor: in no sitemap
    return jobs


def plan_entries(settings: Settings, catalog: Catalog, look: Look, *, signer: Signer, artisans: Iterable[Artisan],
                 only: frozenset[int], images: Mapping[str, PublishedImage]) -> list[Job]:
    """A quick build's jobs: the pages of ``artisans`` and of their products, and the listing pages that
    show one of the entries numbered ``only`` (``catalog`` is lazy: see :mod:`karigar.catalog.skeleton`).

    The jobs are made by the same code as :func:`plan_site`'s, so each has
    the signature and bytes a full build would give it.
    """
    renderers = make_renderers(settings, catalog, look, signer, images=images)
    chosen = list(artisans)
    choice = ShowsEntries(only)  # one for every language: it remembers which listings show the entries
    jobs: list[Job] = []
    for renderer in renderers.values():
        jobs.extend(renderer.entity_jobs(chosen))
        jobs.extend(renderer.listing_jobs(choice))
        jobs.extend(renderer.feed_jobs(choice))
    jobs.extend(api_jobs(settings, catalog, renderers).jobs(choice, artisans=chosen))
    return jobs


def plan_growth(settings: Settings, catalog: Catalog, look: Look, *, signer: Signer, artisans: Iterable[Artisan],
                images: Mapping[str, PublishedImage],
                published: PublishedQuery) -> tuple[list[Job], list[str]] | None:
    """A quick build's jobs when artisans were added (``catalog`` grew, see :mod:`karigar.catalog.growth`):
    their pages and their products', every listing page that changed, the pages that count the catalog
    (home, crafts, marketplaces), the sitemaps of the parts of the URL tree that gained or lost a page,
    and the sitemap index; and the outputs the site no longer has.

    ``published(places)`` reads the last build's outputs at ``places`` (see
    :meth:`~karigar.write.funnel.DiskWriter.published_under`); None when
    they cannot be read, or when a new page would replace a copied file (one
    of MkDocs' pages): the full path decides those.
    """
    renderers = make_renderers(settings, catalog, look, signer, images=images)
    chosen = list(artisans)
    choice = GrownLists(settings.per_page)
    jobs: list[Job] = []
    dropped: list[str] = []
    for renderer in renderers.values():
        jobs.append(renderer.home())
        jobs.extend(renderer.entity_jobs(chosen))
        jobs.extend(renderer.listing_jobs(choice, dropped))
        jobs.extend(renderer.feed_jobs(choice))
    jobs.extend(api_jobs(settings, catalog, renderers).jobs(choice, artisans=chosen, dropped=dropped))
    gone = set(dropped)
    languages = settings.languages
    before = published([(job.output, False) for job in jobs])
    if before is None or any(before.get(job.output) == "" for job in jobs):
        return None
    # Only a group that gained or lost a page lists other URLs: its sitemaps, and the index, are made again.
    new_pages = [job.output for job in jobs if is_page(job.output) and job.output not in before]
    groups = {sitemap_group(page, languages) for page in (*new_pages, *(p for p in gone if is_page(p)))}
    members: dict[str, list[str]] = {}
    for group in groups:
        listed = published(group_pages_prefixes(group, languages))
        if listed is None:
            return None
        members[group] = [page for page in listed if is_page(page) and page not in gone
                          and sitemap_group(page, languages) == group]
    for page in new_pages:
        members[sitemap_group(page, languages)].append(page)
    sitemaps = group_sitemap_jobs(members, site_url=settings.site_url, folder_cap=settings.folder_cap,
                                  date_of=entry_dates(catalog, languages))
    made = {job.output for job in sitemaps}
    old_files = published([(SITEMAPS_FOLDER, True)])
    if old_files is None:
        return None
    stale = {path for path in old_files if sitemap_file_group(path) in groups and path not in made}
    index = sitemap_index_job((old_files.keys() - stale) | made, site_url=settings.site_url)
    return jobs + sitemaps + [index], sorted(gone | stale)
