"""Render the whole site into the write funnel: MkDocs' pages, the catalog, photos.

MkDocs runs first, into staging, because its Material templates produce the
frames the catalog pages are wrapped in; if it fails, nothing has been
written yet.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from karigar.catalog.graph import Catalog
from karigar.config import Settings
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.render.build_views import ViewBuilder
from karigar.render.environment import make_environment
from karigar.render.ical import calendar_feed
from karigar.render.locale import ui_locale
from karigar.render.look import Look
from karigar.render.pages import PageRenderer
from karigar.timing import Timings
from karigar.write.funnel import SiteWriter, WriteReport

__all__ = ["render_site", "make_renderers", "RenderFailed", "staging_dir"]


class RenderFailed(Exception):
    """A problem found while rendering (MkDocs stopped) before anything was written."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def staging_dir(settings: Settings) -> Path:
    return settings.cache_dir / "mkdocs-staging"


def make_renderers(settings: Settings, catalog: Catalog, look: Look) -> dict[str, PageRenderer]:
    renderers = {}
    for lang in settings.languages:
        ui = ui_locale(lang)
        builder = ViewBuilder(catalog, ui, site_name=settings.site_name, site_url=settings.site_url)
        env = make_environment(settings.templates_dir, ui)
        renderers[lang] = PageRenderer(
            catalog, builder, env, look, per_page=settings.per_page,
            featured_limit=settings.featured_limit, upcoming_limit=settings.upcoming_limit,
        )
    return renderers


def render_site(settings: Settings, catalog: Catalog, *, writer: SiteWriter, timings: Timings, run_mkdocs: bool,
                look: Look | None) -> WriteReport:
    from karigar.render.look import FramedLook, PlainLook

    default = settings.default_language
    staged = None
    if run_mkdocs:
        from karigar.material import BuildSession, MkDocsFailed, run_mkdocs as mkdocs_build

        docs_prefix = "training/"
        # The box is rendered by Karigar's own templates from the validated model.
        box_renderers: dict[str, PageRenderer] = {}

        def training_box(src_uri: str) -> str | None:
            if not src_uri.startswith(docs_prefix) or src_uri.count("/") != 1:
                return None
            renderer = box_renderers.get(default)
            return renderer.training_box_html(src_uri[len(docs_prefix):-3]) if renderer else None

        session = BuildSession(base_path=settings.base_path, languages=settings.languages, training_box=training_box)
        box_renderers.update(make_renderers(settings, catalog, PlainLook(settings.site_name)))
        with timings.stage("mkdocs"):
            try:
                staged = mkdocs_build(settings.config_file, staging_dir(settings), session)
            except MkDocsFailed as exc:
                raise RenderFailed(Diagnostic(
                    Severity.ERROR, "mkdocs", f"MkDocs could not build content/: {exc}",
                    Location(settings.relative(settings.config_file)),
                )) from exc
        look = FramedLook(session.frames, settings.site_name)
    elif look is None:
        look = PlainLook(settings.site_name)

    renderers = make_renderers(settings, catalog, look)
    with timings.stage("render+write"):
        for lang, renderer in renderers.items():
            writer.put(renderer.routes.home(lang).output, renderer.home().data)
            for output in renderer.entity_pages():
                writer.put(output.path, output.data)
            for output in renderer.listings():
                writer.put(output.path, output.data)
            index = renderer.training_index()
            writer.put(index.path, index.data)
            routes = catalog.routes
            site_root = settings.site_url.rstrip("/")
            base = routes.base_path.rstrip("/")
            url_of = {
                t.slug: site_root + routes.training_page(t.slug, lang).url[len(base):] for t in catalog.trainings
            }
            writer.put(routes.training_calendar(lang).output, calendar_feed(
                catalog.trainings, site_name=settings.site_name, host=urlsplit(settings.site_url).hostname or "karigar",
                url_of=url_of, now=catalog.now, lang=lang,
            ))
        not_found = renderers[default].not_found()
        writer.put(not_found.path, not_found.data)
    with timings.stage("copy"):
        for photo in catalog.published_photos():
            writer.put_file(catalog.routes.photo(photo).output, settings.root / photo)
        if staged is not None:
            for rel in staged.files:
                writer.put_file(rel, staged.root / rel)
    with timings.stage("commit"):
        return writer.commit()
