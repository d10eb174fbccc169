"""Stage 2: turn loaded entries into the typed model, reporting every problem.

Each ``validate_*`` function for one entry is pure: its result and its
diagnostics depend only on the entry, the registries, the photos and the
settings, so a caller may cache them by content hash and run them in worker
processes.  An entry with any error gives None (its problems are all in the
sink); cross-entry rules (duplicate slugs, districts that disagree, products
of a missing artisan) belong to the catalog stage.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from karigar.diagnostics import DiagnosticSink, Location, did_you_mean
from karigar.load.entries import LoadedSite, PhotoFile, RawEntry
from karigar.load.nodes import Map, Node, Scalar, Seq, node_kind
from karigar.markup.entry_markdown import check_page_markdown, render_entry_markdown
from karigar.model import schema
from karigar.model.context import Context, ValidationSettings
from karigar.model.fields import slug_problem, slugify
from karigar.model.privacy import check_private_data
from karigar.model.reader import read_shape
from karigar.model.summaries import lead
from karigar.model.translate import apply_translations
from karigar.model.registries import lookups_for, validate_registries
from karigar.model.types import (
    Artisan,
    Consent,
    LocalizedText,
    Price,
    Product,
    Registries,
    TrainingResource,
    Translation,
    Verified,
    WorkshopPlace,
)

__all__ = [
    "Model",
    "validate_site",
    "validate_content",
    "validate_artisan",
    "validate_product",
    "validate_translation",
    "validate_training",
    "validate_page",
]

_COUNTRY_RE = re.compile(schema.COUNTRY_PATTERN)
# Blocks that are not a prose paragraph, for a training's summary.
_NOT_PROSE = re.compile(r"(#|<|!!!|\?\?\?|```|~~~|\||>|[-*+]\s|[0-9]+[.)]\s|---|\*\*\*|___|\[TOC\]|\{:|:::)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_MD_MARKS = re.compile(r"\*\*|__|[*`]|\{:[^}]*\}")
_SPACES = re.compile(r"\s+")


@dataclass
class Model:
    """Everything that validated: drafts included (flagged), entries with errors left out."""

    registries: Registries
    artisans: list[Artisan] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    trainings: list[TrainingResource] = field(default_factory=list)


class _PhotoResolver:
    """``resolve_image`` for an entry's Markdown: only ``photos/<file>`` of its own artisan."""

    __slots__ = ("folder", "photos", "photo_url")

    def __init__(self, folder: str, photos: Mapping[str, PhotoFile], photo_url: Callable[[str], str]):
        self.folder, self.photos, self.photo_url = folder, photos, photo_url

    def __call__(self, src: str) -> str | None:
        if not src.startswith("photos/") or "\\" in src:
            return None
        if any(part in ("", ".", "..") for part in src.split("/")):
            return None
        path = f"{self.folder}/{src}"
        return self.photo_url(path) if path in self.photos else None


def _render_body(entry: RawEntry, cx: Context, registries: Registries) -> tuple[str, str]:
    """(HTML, the lead of its plain text) of the entry's body."""
    if not entry.body or entry.body.isspace():
        return "", ""
    rendered = render_entry_markdown(
        entry.body,
        path=entry.path,
        first_line=entry.body_line,
        allowed_link_hosts=registries.link_hosts(),
        resolve_image=_PhotoResolver(cx.folder, cx.photos, cx.settings.photo_url),
    )
    cx.sink.extend(rendered.diagnostics)
    return rendered.html, lead(rendered.text)


def _check_slug(kind: str, slug: str, reserved: frozenset[str], path: str, sink: DiagnosticSink) -> None:
    code, reason = slug_problem(slug, reserved)
    if code:
        sink.error(code, f"the {kind} name `{slug}` cannot be used in a URL: {reason}", Location(path, 1, 1),
                   f"rename the {kind} {'file' if kind in ('product', 'training') else 'folder'}")


def _front_map(entry: RawEntry, cx: Context) -> Map | None:
    """The entry's front matter as a map; None (reported unless already) otherwise."""
    front = entry.front
    if front is None or isinstance(front, Map):
        return front
    cx.error("map", f"the front matter must be a mapping of keys to values, found {node_kind(front)}", front)
    return None


def _finish(local: DiagnosticSink, sink: DiagnosticSink) -> bool:
    """Hand the entry's diagnostics on; True when it had no error."""
    sink.extend(local.items)
    return not local.has_errors


def validate_artisan(entry: RawEntry, *, registries: Registries, photos: Mapping[str, PhotoFile],
                     settings: ValidationSettings, sink: DiagnosticSink) -> Artisan | None:
    """An artisan profile (``index.md``), or None when it has any error."""
    local = DiagnosticSink()
    path = entry.path
    if not _COUNTRY_RE.match(entry.country):
        local.error("country", f"the country folder `{entry.country}` must be an ISO 3166-1 code of two "
                    "lower-case letters, e.g. `pk` or `in`", Location(path, 1, 1))
    _check_slug("district", entry.district, settings.reserved, path, local)
    _check_slug("artisan", entry.artisan, settings.reserved, path, local)
    cx = Context(path, local, settings, registries, photos, posixpath.dirname(path), lookups_for(registries))
    front = _front_map(entry, cx)
    values = read_shape(front, schema.ARTISAN, "", cx) if front is not None else None
    check_private_data(front, schema.ARTISAN, entry.body, entry.body_line, cx)
    html, text = _render_body(entry, cx, registries)
    if front is None or values is None:
        _finish(local, sink)
        return None
    kind = values.get("kind", "person")
    members = values.get("members")
    if kind == "person" and members is not None and members > 1:
        cx.warning("members-person", f"`members` is {members} but `kind` is `person`", front.get("members")
                   or front, "for a family or a cooperative set `kind: family` or `kind: cooperative`")
    place = _district(entry, values.get("location"), front.get("location"), registries, cx)
    if not _finish(local, sink) or place is None:
        return None
    consent = values.get("consent")
    verified = values.get("verified")
    return Artisan(
        slug=entry.artisan,
        country=entry.country,
        district_slug=entry.district,
        source=path,
        folder=cx.folder,
        name=values["name"],
        kind=kind,
        members=members,
        crafts=values["crafts"],
        district=place[0],
        province=place[1],
        photo=values.get("photo"),
        since=values.get("since"),
        languages=values.get("languages", ()),
        programs=values.get("programs", ()),
        links=values.get("links", ()),
        consent=Consent(consent["given"], consent["recorded_by"]) if consent else None,
        verified=Verified(verified["by"], verified["date"]) if verified else None,
        featured=values.get("featured", False),
        added=values.get("added"),
        draft=values.get("draft", False),
        story_html=html,
        story_lead=text,
        location=Location(path, front.line, front.col),
        district_location=place[2],
    )


def _district(entry: RawEntry, values: dict[str, Any] | None, node: Node | None, registries: Registries,
              cx: Context) -> tuple[LocalizedText, LocalizedText, Location] | None:
    """District and province to show, checked against the folder and the districts registry."""
    if values is None or not isinstance(node, Map) or "district" not in values or "province" not in values:
        return None
    district: LocalizedText = values["district"]
    province: LocalizedText = values["province"]
    district_node = node.get("district")
    province_node = node.get("province")
    assert district_node is not None and province_node is not None
    expected = slugify(district.default)
    if expected != entry.district:
        cx.error("district-folder", f"`location.district` is `{district.default}`, whose folder name is "
                 f"`{expected or '(none)'}`, but this artisan is in the district folder `{entry.district}`",
                 district_node, f"move the artisan folder to artisans/{entry.country}/{expected}/ or "
                 "correct the district")
    listed = registries.districts.get(f"{entry.country}/{entry.district}")
    if listed is None:
        return district, province, cx.at(district_node)
    names = {text for _, text in listed.name.values}
    if district.default not in names:
        cx.error("district-mismatch", f"`location.district` is `{district.default}`, but the districts "
                 f"registry names `{entry.country}/{entry.district}` "
                 f"{' / '.join(f'`{n}`' for _, n in listed.name.values)}", district_node,
                 "write the district as the registry does, or correct artisans/_registry/districts.yml")
    if province.default not in {text for _, text in listed.province.values}:
        cx.error("district-mismatch", f"`location.province` is `{province.default}`, but the districts "
                 f"registry puts `{entry.country}/{entry.district}` in `{listed.province.default}`",
                 province_node)
    # The registry's names are the ones shown, in every language it has.
    return listed.name, listed.province, cx.at(district_node)


def validate_product(entry: RawEntry, *, registries: Registries, photos: Mapping[str, PhotoFile],
                     settings: ValidationSettings, sink: DiagnosticSink) -> Product | None:
    """A product (``products/<product>.md``), or None when it has any error."""
    local = DiagnosticSink()
    path = entry.path
    _check_slug("product", entry.product, settings.reserved, path, local)
    folder = path.rsplit("/products/", 1)[0]
    cx = Context(path, local, settings, registries, photos, folder, lookups_for(registries))
    front = _front_map(entry, cx)
    values = read_shape(front, schema.PRODUCT, "", cx) if front is not None else None
    check_private_data(front, schema.PRODUCT, entry.body, entry.body_line, cx)
    html, text = _render_body(entry, cx, registries)
    if not _finish(local, sink) or front is None or values is None:
        return None
    price = values.get("price")
    return Product(
        slug=entry.product,
        artisan_slug=entry.artisan,
        source=path,
        title=values["title"],
        photos=values.get("photos", ()),
        price=Price(price["amount"], price["currency"]) if price else None,
        materials=values.get("materials", ()),
        dimensions=values.get("dimensions"),
        made_to_order=values.get("made_to_order"),
        crafts=values.get("crafts", ()),
        listings=values.get("listings", ()),
        featured=values.get("featured", False),
        added=values.get("added"),
        draft=values.get("draft", False),
        description_html=html,
        description_lead=text,
        location=Location(path, front.line, front.col),
    )


def validate_translation(entry: RawEntry, *, registries: Registries, photos: Mapping[str, PhotoFile],
                         settings: ValidationSettings, sink: DiagnosticSink) -> Translation | None:
    """A translation (``index.<lang>.md``, ``<product>.<lang>.md``), or None when it has any error.

    It is checked like the entry it translates (Markdown rules, private data);
    its front matter is optional and holds only the fields that are text.
    """
    local = DiagnosticSink()
    path = entry.path
    shape = schema.ARTISAN_TRANSLATION if entry.kind == "artisan" else schema.PRODUCT_TRANSLATION
    folder = posixpath.dirname(path) if entry.kind == "artisan" else path.rsplit("/products/", 1)[0]
    cx = Context(path, local, settings, registries, photos, folder, lookups_for(registries))
    front = entry.front if entry.front is not None else Map({}, 1, 1)
    if not isinstance(front, Map):
        cx.error("map", f"the front matter must be a mapping of keys to values, found {node_kind(front)}", front)
        _finish(local, sink)
        return None
    values = read_shape(front, shape, "", cx)
    check_private_data(front, shape, entry.body, entry.body_line, cx)
    html, text = _render_body(entry, cx, registries)
    if not _finish(local, sink) or values is None:
        return None
    fields = tuple((name, values[name]) for name in ("name", "title", "materials", "dimensions") if name in values)
    return Translation(lang=entry.lang, source=path, target=entry.translates, fields=fields,
                       body_html=html, body_lead=text, location=Location(path, 1, 1))


def _check_page_body(entry: RawEntry, sink: DiagnosticSink) -> None:
    # content/ pages are rendered by MkDocs (Python-Markdown), not by us: the
    # check only looks for raw HTML and unsafe links.
    if entry.body and not entry.body.isspace():
        sink.extend(check_page_markdown(entry.body, path=entry.path, first_line=entry.body_line))


def first_paragraph(body: str) -> str:
    """Plain text of the first prose paragraph of a Markdown body (headings, lists and such skipped)."""
    for block in body.split("\n\n"):
        block = block.strip()
        if not block or _NOT_PROSE.match(block):
            continue
        text = _MD_IMAGE.sub("", block)
        text = _MD_LINK.sub(r"\1", text)
        text = _MD_MARKS.sub("", text)
        text = _SPACES.sub(" ", text).strip()
        if text:
            return text
    return ""


def validate_training(entry: RawEntry, *, registries: Registries, settings: ValidationSettings,
                      sink: DiagnosticSink) -> TrainingResource | None:
    """A training resource (``content/training/<slug>.md``), or None when it has any error."""
    local = DiagnosticSink()
    path = entry.path
    name = posixpath.basename(path)
    slug = name[:-3] if name.endswith(".md") else name
    _check_slug("training", slug, frozenset(), path, local)
    cx = Context(path, local, settings, registries, {}, "", lookups_for(registries))
    front = _front_map(entry, cx)
    values = read_shape(front, schema.TRAINING, "", cx) if front is not None else None
    if front is not None:
        _check_page_meta(front, path, local)
    _check_page_body(entry, local)
    if front is not None and values is not None and values.get("kind") == "guide" \
            and "url" not in front.entries and not entry.body.strip():
        cx.error("missing-field", "a guide without `url` must hold its content in the body, which is empty",
                 front, "write the guide below the front matter, or add `url: https://...`")
    if not _finish(local, sink) or front is None or values is None:
        return None
    place = values.get("location")
    url = values.get("url")
    registration = values.get("registration")
    return TrainingResource(
        slug=slug,
        source=path,
        page_path=f"training/{name}",
        title=values["title"],
        kind=values["kind"],
        provider=values["provider"],
        url=url.unparse() if url is not None else None,
        starts=values.get("starts"),
        duration_minutes=values.get("duration_minutes"),
        registration=registration.unparse() if registration is not None else None,
        languages=values["languages"],
        level=values.get("level"),
        topics=values.get("topics", ()),
        marketplaces=values.get("marketplaces", ()),
        crafts=values.get("crafts", ()),
        place=WorkshopPlace(place["city"], place["venue"]) if place else None,
        summary=first_paragraph(entry.body),
        location=Location(path, front.line, front.col),
    )


def _with_page_translations(resource: TrainingResource, pages: list[RawEntry]) -> TrainingResource:
    """``resource`` with the title and summary of its translation pages (``<slug>.<lang>.md``)."""
    title, summaries = resource.title, []
    for page in sorted((p for p in pages if p.lang and p.translates == resource.source), key=lambda p: p.lang):
        front = page.front.get("title") if isinstance(page.front, Map) else None
        if isinstance(front, Scalar) and isinstance(front.value, str) and front.value.strip():
            kept = tuple((code, text) for code, text in title.values if code != page.lang)
            title = LocalizedText(title.default_lang, (*kept, (page.lang, front.value.strip())))
        summary = first_paragraph(page.body)
        if summary:
            summaries.append((page.lang, summary))
    if title is resource.title and not summaries:
        return resource
    return dataclasses.replace(resource, title=title, translated_summaries=tuple(summaries))


# The only front-matter keys a content/ page may set: Material reads more (`template`,
# `icon`, ...), and some of them change what code runs or what is rendered raw.
PAGE_KEYS = ("title", "description", "hide")
_PAGE_HIDE = frozenset({"navigation", "toc", "footer"})


def _check_page_meta(front: Map, path: str, sink: DiagnosticSink) -> None:
    """Material writes a page's title and description into the HTML unescaped: no markup there."""
    for key in ("title", "description"):
        node = front.get(key)
        values = []
        if isinstance(node, Scalar):
            values = [node]
        elif isinstance(node, Map):
            values = [v for _, v in node.entries.values() if isinstance(v, Scalar)]
        for value in values:
            if any(ch in value.text for ch in "<>"):
                sink.error("page-meta-markup", f"`{key}` must be plain text: `<` and `>` are not allowed in it",
                           Location(path, value.line, value.col), "write the words out, e.g. `less than`")


def validate_page(entry: RawEntry, *, settings: ValidationSettings, sink: DiagnosticSink) -> None:
    """A page of ``content/``: front matter is optional (title, description, hide); the body is checked."""
    front = entry.front
    if front is not None and not isinstance(front, Map) and not (
        isinstance(front, Scalar) and front.value is None
    ):
        sink.error("map", f"the front matter must be a mapping of keys to values, found {node_kind(front)}",
                   Location(entry.path, front.line, front.col))
    if isinstance(front, Map):
        for key, (key_node, value) in front.entries.items():
            if key.startswith("_"):
                continue
            if key not in PAGE_KEYS:
                sink.error("unknown-key", f"unknown key `{key}` in a page's front matter{did_you_mean(key, PAGE_KEYS)};"
                           f" a content page may set {', '.join(f'`{k}`' for k in PAGE_KEYS)}",
                           Location(entry.path, key_node.line, key_node.col))
            elif key == "hide" and not (isinstance(value, Seq) and all(
                    isinstance(i, Scalar) and i.text in _PAGE_HIDE for i in value.items)):
                sink.error("enum", f"`hide` lists what to hide: {', '.join(sorted(_PAGE_HIDE))}",
                           Location(entry.path, value.line, value.col))
        _check_page_meta(front, entry.path, sink)
    _check_page_body(entry, sink)


def validate_site(loaded: LoadedSite, *, settings: ValidationSettings, sink: DiagnosticSink) -> Model:
    """Registries first, then every entry; every problem goes to ``sink``."""
    registries = validate_registries(loaded, settings=settings, sink=sink)
    model = Model(registries)
    photos = loaded.photos
    for entry in loaded.artisans:
        artisan = validate_artisan(entry, registries=registries, photos=photos, settings=settings, sink=sink)
        if artisan is not None:
            model.artisans.append(artisan)
    for entry in loaded.products:
        if entry.front is None:
            continue  # its front matter failed to load: already reported
        product = validate_product(entry, registries=registries, photos=photos, settings=settings, sink=sink)
        if product is not None:
            model.products.append(product)
    translations = [t for t in (validate_translation(entry, registries=registries, photos=photos,
                                                     settings=settings, sink=sink)
                                for entry in loaded.translations) if t is not None]
    if translations:
        model.artisans, model.products = apply_translations(
            model.artisans, model.products, translations,
            entry_paths={e.path for e in (*loaded.artisans, *loaded.products)}, sink=sink)
    validate_content(loaded, model, settings=settings, sink=sink)
    return model


def validate_content(loaded: LoadedSite, model: Model, *, settings: ValidationSettings,
                     sink: DiagnosticSink) -> None:
    """The pages of ``content/``: training resources into ``model``, other pages checked.

    A training's translation page (``<slug>.ur.md``) is a page like any other
    for MkDocs; its ``title`` and first paragraph are also folded into the
    resource, so cards, the training index and each language's calendar show
    the translated title and summary.
    """
    for entry in loaded.trainings:
        training = validate_training(entry, registries=model.registries, settings=settings, sink=sink)
        if training is not None:
            model.trainings.append(training)
    for entry in loaded.pages:
        validate_page(entry, settings=settings, sink=sink)
    model.trainings = [_with_page_translations(t, loaded.pages) for t in model.trainings]
    originals = {e.path for e in (*loaded.trainings, *loaded.pages) if not e.lang}
    for entry in loaded.pages:
        if entry.lang and entry.translates not in originals:
            sink.error("translation-orphan", f"this is a translation into `{entry.lang}` of "
                       f"{entry.translates}, which does not exist", Location(entry.path, 1, 1),
                       "name the file after the page it translates: <page>.<lang>.md beside <page>.md")
