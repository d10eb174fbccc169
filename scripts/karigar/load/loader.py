"""Stage 1: walk the site, read every input once, hash it and parse its YAML.

The layout is fixed by the contract: ``artisans/<country>/<district>/<artisan>/``
holds ``index.md``, ``products/<product>.md`` and ``photos/``; registries sit in
``artisans/_registry/``; training resources in ``content/training/``.  A file
in any other place of the catalog is reported, because a volunteer who put it
there expects it to appear.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from karigar.config import Settings
from karigar.diagnostics import DiagnosticSink, Location
from karigar.load.entries import EntryKind, LoadedSite, PhotoFile, RawEntry, RawRegistry, StatKey
from karigar.load.frontmatter import decode_source, read_yaml_document, split_front_matter
from karigar.load.git_ids import blob_id, git_content_ids
from karigar.load.nodes import Node

__all__ = ["load_site", "load_entry", "registry_digests", "digest_bytes", "REGISTRY_NAMES", "PHOTO_SUFFIXES"]

REGISTRY_NAMES = ("crafts", "marketplaces", "programs", "districts")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
CONTENT_ASSET_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def digest_bytes(data: bytes) -> str:
    """A file's content id: Git's blob id of its bytes, so that ids Git already knows need no hashing."""
    return blob_id(data)




def _skipped(name: str) -> bool:
    return name.startswith(("_", "."))


def _split_lang(stem: str, languages: tuple[str, ...]) -> tuple[str, str]:
    """``ralli-quilt.ur`` -> (``ralli-quilt``, ``ur``) when ``ur`` is a site language."""
    base, dot, lang = stem.rpartition(".")
    if dot and lang in languages:
        return base, lang
    return stem, ""


# A ``.<code>`` suffix that reads as a language tag (``ur``, ``pa-Arab``): the file is a
# translation even when the site does not (or no longer) publish that language.
_LANGUAGE_SUFFIX = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


def _foreign_translation(stem: str, languages: tuple[str, ...]) -> str:
    """The language code of a translation into a language the site does not publish, else ""."""
    base, dot, code = stem.rpartition(".")
    return code if dot and base and code not in languages and _LANGUAGE_SUFFIX.match(code) else ""


# (site-relative path, content hash) -> True when the file's validated result is
# cached, so the loader need not parse it.
CachedCheck = Callable[[str, str], bool]



def _raw_entry(kind: EntryKind, rel: str, digest: str, front: Node | None, body: str, body_line: int,
               parts: Mapping[str, str], *, parsed: bool = True) -> RawEntry:
    """A :class:`RawEntry` with the path parts the walk split out (country, district, ...)."""
    return RawEntry(kind, rel, digest, front, body, body_line, country=parts.get("country", ""),
                    district=parts.get("district", ""), artisan=parts.get("artisan", ""),
                    product=parts.get("product", ""), lang=parts.get("lang", ""), parsed=parsed)

class _Walker:
    def __init__(self, settings: Settings, sink: DiagnosticSink, *,
                 known: Mapping[str, tuple[StatKey, str]] | None = None,
                 is_cached: CachedCheck | None = None, ask_git: bool = True) -> None:
        self.settings = settings
        self.sink = sink
        self.site = LoadedSite()
        self.known = known or {}
        self.is_cached = is_cached
        self.ask_git = ask_git
        self._git_ids: dict[str, str] | None = None

    def rel(self, path: Path) -> str:
        return path.relative_to(self.settings.root).as_posix()

    def _entries(self, folder: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as it:
                found = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.sink.error("read", f"cannot read folder: {exc.strerror}", Location(self.rel(folder)))
            return []
        kept = []
        for entry in found:
            if _skipped(entry.name):
                continue
            if entry.is_symlink():
                # A symlink can point anywhere on the build machine (or loop); content
                # must be plain files inside the repository.
                self.sink.error(
                    "symlink",
                    "symbolic links are not allowed in content; commit the file itself",
                    Location(self.rel(Path(entry.path))),
                )
                continue
            kept.append(entry)
        return kept

    def read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError as exc:
            self.sink.error("read", f"cannot read file: {exc.strerror}", Location(self.rel(path)))
            return None

    def _git_id(self, rel: str) -> str | None:
        """Git's blob id of ``rel`` when the working file is that blob; Git is asked at the first stat miss."""
        if self._git_ids is None:
            # With no stat index from an earlier build (a first build) every file is parsed
            # anyway, so ids from Git would save nothing.
            if not self.ask_git or not self.known:
                return None
            folders = [self.settings.relative(self.settings.catalog_dir), self.settings.relative(self.settings.docs_dir)]
            self._git_ids = git_content_ids(self.settings.root, folders) or {}
        return self._git_ids.get(rel)

    def fingerprint(self, path: Path, rel: str) -> tuple[bytes | None, str] | None:
        """(bytes if read, content id); the stat index, then Git's ids, spare reading unchanged files."""
        try:
            st = path.stat()
        except OSError as exc:
            self.sink.error("read", f"cannot read file: {exc.strerror}", Location(rel))
            return None
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        known = self.known.get(rel)
        if known is not None and known[0] == key:
            self.site.stats[rel] = known
            return None, known[1]
        git_id = self._git_id(rel)
        if git_id is not None:
            self.site.stats[rel] = (key, git_id)
            return None, git_id
        data = self.read(path)
        if data is None:
            return None
        digest = digest_bytes(data)
        self.site.stats[rel] = (key, digest)
        return data, digest

    def entry(self, path: Path, kind: EntryKind, **parts: str) -> RawEntry | None:
        rel = self.rel(path)
        found = self.fingerprint(path, rel)
        if found is None:
            return None
        data, digest = found
        if self.is_cached is not None and self.is_cached(rel, digest):
            return _raw_entry(kind, rel, digest, None, "", 1, parts, parsed=False)
        if data is None:
            data = self.read(path)
            if data is None:
                return None
        source = decode_source(data, path=rel, sink=self.sink)
        if source is None:
            return _raw_entry(kind, rel, digest, None, "", 1, parts)
        doc = split_front_matter(source, sink=self.sink, required=kind != "page" and not parts.get("lang"))
        return _raw_entry(kind, rel, digest, doc.front, doc.body, doc.body_line, parts)

    def foreign(self, path: Path, code: str) -> None:
        """A translation into a language the site does not publish: kept in the repository, not published."""
        self.sink.warning("translation-unknown-language",
                          f"a translation into `{code}`, which is not one of the site's languages "
                          f"({', '.join(self.settings.languages)}): it is not published",
                          Location(self.rel(path)),
                          f"add `{code}` to `languages` in mkdocs.yml to publish it")

    def stray(self, path: Path, why: str) -> None:
        self.sink.warning("stray-file", f"ignored: {why}", Location(self.rel(path)))

    # -- the catalog ------------------------------------------------------
    def catalog(self) -> None:
        root = self.settings.catalog_dir
        if not root.is_dir():
            self.sink.error("catalog-missing", "the catalog folder does not exist", Location(self.rel(root)))
            return
        self.registries(root / "_registry")
        for country in self._entries(root):
            if not country.is_dir():
                self.stray(Path(country.path), "files belong in artisans/<country>/<district>/<artisan>/")
                continue
            for district in self._entries(Path(country.path)):
                if not district.is_dir():
                    self.stray(Path(district.path), "files belong in artisans/<country>/<district>/<artisan>/")
                    continue
                for artisan in self._entries(Path(district.path)):
                    if not artisan.is_dir():
                        self.stray(Path(artisan.path), "files belong in artisans/<country>/<district>/<artisan>/")
                        continue
                    self.artisan(Path(artisan.path), country.name, district.name, artisan.name)

    def registries(self, folder: Path) -> None:
        for name in REGISTRY_NAMES:
            path = folder / f"{name}.yml"
            if not path.is_file():
                continue
            data = self.read(path)
            if data is None:
                continue
            rel = self.rel(path)
            source = decode_source(data, path=rel, sink=self.sink)
            root = read_yaml_document(source, sink=self.sink) if source is not None else None
            self.site.registries[name] = RawRegistry(name, rel, digest_bytes(data), root)

    def artisan(self, folder: Path, country: str, district: str, slug: str) -> None:
        parts = {"country": country, "district": district, "artisan": slug}
        languages = self.settings.languages
        has_index = False
        for item in self._entries(folder):
            path = Path(item.path)
            if item.is_dir():
                if item.name == "products":
                    self.products(path, parts)
                elif item.name == "photos":
                    self.photos(path)
                else:
                    self.stray(path, "an artisan folder holds index.md, products/ and photos/ only")
                continue
            if not item.name.endswith(".md"):
                self.stray(path, "an artisan folder holds index.md, products/ and photos/ only")
                continue
            if _foreign_translation(item.name[:-3], languages):
                self.foreign(path, _foreign_translation(item.name[:-3], languages))
                continue
            stem, lang = _split_lang(item.name[:-3], languages)
            if stem != "index":
                self.stray(path, "the artisan's profile is index.md; products go in products/")
                continue
            entry = self.entry(path, "artisan", **parts, lang=lang)
            if entry is None:
                continue
            if lang:
                self.site.translations.append(entry)
            else:
                has_index = True
                self.site.artisans.append(entry)
        if not has_index:
            self.sink.error(
                "artisan-index-missing",
                "this artisan folder has no index.md (the artisan's profile)",
                Location(self.rel(folder)),
                hint="create it with `karigar new artisan`",
            )

    def products(self, folder: Path, parts: dict[str, str]) -> None:
        for item in self._entries(folder):
            path = Path(item.path)
            if item.is_dir() or not item.name.endswith(".md"):
                self.stray(path, "products/ holds one <product>.md file per product")
                continue
            foreign = _foreign_translation(item.name[:-3], self.settings.languages)
            if foreign:
                self.foreign(path, foreign)
                continue
            stem, lang = _split_lang(item.name[:-3], self.settings.languages)
            entry = self.entry(path, "product", **parts, product=stem, lang=lang)
            if entry is None:
                continue
            (self.site.translations if lang else self.site.products).append(entry)

    def photos(self, folder: Path) -> None:
        for item in self._entries(folder):
            path = Path(item.path)
            if item.is_dir():
                self.photos(path)
                continue
            if not item.name.lower().endswith(PHOTO_SUFFIXES):
                self.stray(path, "photos/ holds .jpg, .jpeg, .png or .webp images")
                continue
            rel = self.rel(path)
            found = self.fingerprint(path, rel)
            if found is None:
                continue
            self.site.photos[rel] = PhotoFile(rel, found[1], self.site.stats[rel][0][1])

    # -- content/ ---------------------------------------------------------
    def content(self) -> None:
        docs = self.settings.docs_dir
        if not docs.is_dir():
            return
        self._content_folder(docs, docs)

    def _content_folder(self, folder: Path, docs: Path) -> None:
        try:
            with os.scandir(folder) as it:
                hidden = sorted(e.name for e in it if e.name.startswith("_") and e.is_file()
                                and not e.name.endswith(".md"))
        except OSError:
            hidden = []
        for name in hidden:
            # MkDocs publishes `_`-files too (a `_headers` would replace the site's headers).
            self.sink.error("content-file", "content/ holds Markdown pages and images only; "
                            f"`{name}` would be published as it is", Location(self.rel(folder / name), 1, 1))
        for item in self._entries(folder):
            path = Path(item.path)
            if item.is_dir():
                self._content_folder(path, docs)
                continue
            if not item.name.endswith(".md"):
                if not item.name.lower().endswith(CONTENT_ASSET_SUFFIXES):
                    # MkDocs would publish any other file verbatim: an .html page or a
                    # script would run on the site's own origin, a _headers file would
                    # replace the security headers.
                    self.sink.error(
                        "content-file",
                        "content/ holds Markdown pages and images (.png, .jpg, .jpeg, .webp) only",
                        Location(self.rel(path), 1, 1),
                        hint="ask a maintainer to add other files to theme/ through a reviewed pull request",
                    )
                continue
            in_training = path.parent == docs / "training"
            foreign = _foreign_translation(item.name[:-3], self.settings.languages)
            if foreign:
                self.foreign(path, foreign)
                continue
            stem, lang = _split_lang(item.name[:-3], self.settings.languages)
            kind: EntryKind = "training" if in_training and stem != "index" else "page"
            entry = self.entry(path, kind, lang=lang)
            if entry is None:
                continue
            if kind == "training" and not lang:
                self.site.trainings.append(entry)
            else:
                self.site.pages.append(entry)


def load_entry(settings: Settings, stub: RawEntry, *, sink: DiagnosticSink) -> RawEntry | None:
    """Read and parse one entry the walk left as a stub (it was expected to be cached)."""
    path = settings.root / stub.path
    try:
        data = path.read_bytes()
    except OSError as exc:
        sink.error("read", f"cannot read file: {exc.strerror}", Location(stub.path))
        return None
    source = decode_source(data, path=stub.path, sink=sink)
    if source is None:
        return dataclasses.replace(stub, front=None, body="", body_line=1, parsed=True)
    # A translation may be only a body (a story in Urdu): its front matter is optional.
    doc = split_front_matter(source, sink=sink, required=stub.kind != "page" and not stub.lang)
    return dataclasses.replace(stub, digest=digest_bytes(data), front=doc.front, body=doc.body,
                               body_line=doc.body_line, parsed=True)


def registry_digests(settings: Settings) -> dict[str, str]:
    """Content hashes of the registry files (what cached validation results depend on)."""
    found = {}
    for name in REGISTRY_NAMES:
        try:
            found[name] = digest_bytes((settings.catalog_dir / "_registry" / f"{name}.yml").read_bytes())
        except OSError:
            found[name] = ""
    return found


def load_site(settings: Settings, *, sink: DiagnosticSink,
              known: Mapping[str, tuple[StatKey, str]] | None = None,
              is_cached: CachedCheck | None = None, ask_git: bool = True) -> LoadedSite:
    """Read the whole content tree; every problem goes to ``sink``.

    ``known`` is the previous build's stat index; ``is_cached`` says which
    files need no parsing because their validated result is cached.  With
    ``ask_git``, a file that misses the stat index takes its content id from
    Git when Git knows it (:mod:`karigar.load.git_ids`): a fresh clone reads
    and hashes only the files it changed.
    """
    walker = _Walker(settings, sink, known=known, is_cached=is_cached, ask_git=ask_git)
    walker.catalog()
    walker.content()
    return walker.site
