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
from typing import Any

from karigar.diagnostics import DiagnosticSink, Location
from karigar.load.entries import EntryKind, LoadedSite, PhotoFile, RawEntry, RawRegistry, StatKey
from karigar.load.frontmatter import decode_source, read_yaml_document, split_front_matter
from karigar.load.yamlsrc import parse_yaml
from karigar.load.git_ids import blob_id, git_content_ids
from karigar.load.nodes import Node
from karigar.load.scope import WalkScope, skipped_name as _skipped
from karigar.load.walkmemo import OS_FILES, ZERO, FileAccess, Frame, Rewalk, Unit, WalkMemo, WalkOutput
from karigar.settings import Settings

__all__ = ["load_site", "load_entry", "registry_digests", "digest_bytes", "REGISTRY_NAMES", "PHOTO_SUFFIXES",
           "WalkMemo", "FileAccess"]

REGISTRY_NAMES = ("crafts", "marketplaces", "programs", "districts", "allowed_numbers")
_LIST_REGISTRIES = frozenset({"allowed_numbers"})  # a YAML list of items, not a map of keys
# Each allowed number concerns one entry file: it is part of that entry's validation context
# (karigar.incremental.entries.entry_context), not of every entry's, so an edit of the list
# revalidates only the entries it names.
_PER_ENTRY_REGISTRIES = frozenset({"allowed_numbers"})
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
CONTENT_ASSET_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def digest_bytes(data: bytes) -> str:
    """A file's content id: Git's blob id of its bytes, so that ids Git already knows need no hashing."""
    return blob_id(data)




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
    """One walk of the tree.  Results go to ``out`` in walk order (see :mod:`karigar.load.walkmemo`).

    With ``record``, every folder down to the artisan (every folder and page of
    content/) is a unit whose runs are remembered; with ``rewalk`` too, a unit
    with no changed path below it is copied from the last walk, and a file of a
    walked folder that did not change keeps its last stat record unstatted.
    """

    def __init__(self, settings: Settings, *, known: Mapping[str, tuple[StatKey, str]] | None = None,
                 is_cached: CachedCheck | None = None, ask_git: bool = True, fs: FileAccess = OS_FILES,
                 rewalk: Rewalk | None = None, record: bool = False,
                 git_ids: Mapping[str, str] | None = None, scope: WalkScope | None = None) -> None:
        self.settings = settings
        self.scope = scope  # None: the whole catalog
        self.out = WalkOutput()
        # The walk's own sink: its diagnostics are one of its output sequences.
        self.sink = DiagnosticSink(self.out.diagnostics)
        self.known = known or {}
        self.is_cached = is_cached
        self.ask_git = ask_git
        self.fs = fs
        self.rewalk = rewalk
        self.root = Frame(ZERO, (rewalk.last.root, ZERO) if rewalk is not None else None)
        self.frames: list[Frame] | None = [self.root] if record else None
        self.fresh = False  # inside a folder reported as changed itself: everything below is walked and statted
        self._git_ids: Mapping[str, str] | None = git_ids  # None: asked at the first stat miss

    def rel(self, path: Path) -> str:
        return path.relative_to(self.settings.root).as_posix()

    def run(self) -> Unit:
        self._unit("catalog", self.rel(self.settings.catalog_dir), self._catalog, self.settings.catalog_dir)
        self._unit("content", self.rel(self.settings.docs_dir), self._content, self.settings.docs_dir)
        return self.root.close(self.out)

    def _unit(self, name: str, rel: str, walk: Callable[..., None], *args: Any) -> None:
        """Walk the folder (or page) ``rel`` -- or copy what the last walk found there when nothing in it changed."""
        frames = self.frames
        if frames is None:
            walk(*args)
            return
        parent = frames[-1]
        start = self.out.positions()
        old = parent.old_child(name)
        rewalk = self.rewalk
        if rewalk is not None and old is not None and old[0].whole and not self.fresh and rewalk.copies(rel):
            unit = old[0]
            self.out.copy_run(rewalk.last.output, old[1], unit.size)
        else:
            frame = Frame(start, old)
            frames.append(frame)
            fresh = self.fresh
            self.fresh = fresh or (rewalk is not None and rel in rewalk.changed)
            try:
                walk(*args)
            finally:
                frames.pop()
                self.fresh = fresh
            unit = frame.close(self.out)
        parent.children[name] = (tuple(a - b for a, b in zip(start, parent.start)), unit)

    def _entries(self, folder: Path, rel: str) -> list[os.DirEntry[str]]:
        try:
            with self.fs.scandir(folder) as it:
                found = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.sink.error("read", f"cannot read folder: {exc.strerror}", Location(rel))
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
                    Location(f"{rel}/{entry.name}"),
                )
                continue
            kept.append(entry)
        return kept

    def read(self, path: Path) -> bytes | None:
        try:
            return self.fs.read_bytes(path)
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

    def fingerprint(self, path: Path, rel: str) -> tuple[bytes | None, tuple[StatKey, str]] | None:
        """(bytes if read, (stat key, content id)); the stat index, then Git's ids, spare reading unchanged files."""
        rewalk = self.rewalk
        if rewalk is not None and not self.fresh and rel not in rewalk.changed and self.frames:
            # The watcher saw no change here: the last walk's record holds, and no stat is needed.
            last = self.frames[-1].old_stat(rel, rewalk.last.output)
            if last is not None:
                self.out.stats.append((rel, last))
                return None, last
        try:
            st = self.fs.stat(path)
        except OSError as exc:
            self.sink.error("read", f"cannot read file: {exc.strerror}", Location(rel))
            return None
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        known = self.known.get(rel)
        if known is not None and known[0] == key:
            self.out.stats.append((rel, known))
            return None, known
        git_id = self._git_id(rel)
        if git_id is not None:
            record = (key, git_id)
            self.out.stats.append((rel, record))
            return None, record
        data = self.read(path)
        if data is None:
            return None
        record = (key, digest_bytes(data))
        self.out.stats.append((rel, record))
        return data, record

    def entry(self, path: Path, rel: str, kind: EntryKind, **parts: str) -> RawEntry | None:
        found = self.fingerprint(path, rel)
        if found is None:
            return None
        data, (_, digest) = found
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

    def foreign(self, rel: str, code: str) -> None:
        """A translation into a language the site does not publish: kept in the repository, not published."""
        self.sink.warning("translation-unknown-language",
                          f"a translation into `{code}`, which is not one of the site's languages "
                          f"({', '.join(self.settings.languages)}): it is not published",
                          Location(rel),
                          f"add `{code}` to `languages` in mkdocs.yml to publish it")

    def stray(self, rel: str, why: str) -> None:
        self.sink.warning("stray-file", f"ignored: {why}", Location(rel))

    # -- the catalog ------------------------------------------------------
    def _catalog(self, root: Path) -> None:
        rel = self.rel(root)
        if not self.fs.is_dir(root):
            self.sink.error("catalog-missing", "the catalog folder does not exist", Location(rel))
            return
        self._unit("_registry", f"{rel}/_registry", self.registries, root / "_registry", f"{rel}/_registry")
        if self.scope is not None:
            self._scoped(root, rel, self.scope)
            return
        for country in self._entries(root, rel):
            crel = f"{rel}/{country.name}"
            if not country.is_dir():
                self.stray(crel, "files belong in artisans/<country>/<district>/<artisan>/")
                continue
            self._unit(country.name, crel, self._country, country.path, crel, country.name)

    def _scoped(self, root: Path, rel: str, scope: WalkScope) -> None:
        """Only the scope's folders, each walked as a walk of the whole catalog walks it (a gone one is skipped)."""
        for country in scope.countries():
            for district in scope.districts_of(country):
                drel, folder = f"{rel}/{country}/{district}", root / country / district
                if (country, district) in scope.districts:
                    if self.fs.is_dir(folder):
                        self._district(str(folder), drel, country, district)
                    continue
                for artisan in scope.artisans_of(country, district):
                    if self.fs.is_dir(folder / artisan):
                        self.artisan(str(folder / artisan), f"{drel}/{artisan}", country, district, artisan)

    # Folders are passed as the strings scandir gave: a Path is made only for a folder walked, not copied.
    def _country(self, folder: str, rel: str, country: str) -> None:
        for district in self._entries(Path(folder), rel):
            drel = f"{rel}/{district.name}"
            if not district.is_dir():
                self.stray(drel, "files belong in artisans/<country>/<district>/<artisan>/")
                continue
            self._unit(district.name, drel, self._district, district.path, drel, country, district.name)

    def _district(self, folder: str, rel: str, country: str, district: str) -> None:
        for artisan in self._entries(Path(folder), rel):
            arel = f"{rel}/{artisan.name}"
            if not artisan.is_dir():
                self.stray(arel, "files belong in artisans/<country>/<district>/<artisan>/")
                continue
            self._unit(artisan.name, arel, self.artisan, artisan.path, arel, country, district, artisan.name)

    def registries(self, folder: Path, rel: str) -> None:
        for name in REGISTRY_NAMES:
            path = folder / f"{name}.yml"
            if not self.fs.is_file(path):
                continue
            prel = f"{rel}/{name}.yml"
            data = self.read(path)
            if data is None:
                continue
            source = decode_source(data, path=prel, sink=self.sink)
            root: Node | None = None
            if source is not None and name in _LIST_REGISTRIES:
                root = parse_yaml(source.text, path=prel, sink=self.sink)  # its reader says what the root must be
            elif source is not None:
                root = read_yaml_document(source, sink=self.sink)
            self.out.registries.append((name, RawRegistry(name, prel, digest_bytes(data), root)))

    def artisan(self, folder: str, rel: str, country: str, district: str, slug: str) -> None:
        parts = {"country": country, "district": district, "artisan": slug}
        languages = self.settings.languages
        has_index = False
        for item in self._entries(Path(folder), rel):
            path = Path(item.path)
            irel = f"{rel}/{item.name}"
            if item.is_dir():
                if item.name == "products":
                    self.products(path, irel, parts)
                elif item.name == "photos":
                    self.photos(path, irel)
                else:
                    self.stray(irel, "an artisan folder holds index.md, products/ and photos/ only")
                continue
            if not item.name.endswith(".md"):
                self.stray(irel, "an artisan folder holds index.md, products/ and photos/ only")
                continue
            foreign = _foreign_translation(item.name[:-3], languages)
            if foreign:
                self.foreign(irel, foreign)
                continue
            stem, lang = _split_lang(item.name[:-3], languages)
            if stem != "index":
                self.stray(irel, "the artisan's profile is index.md; products go in products/")
                continue
            entry = self.entry(path, irel, "artisan", **parts, lang=lang)
            if entry is None:
                continue
            if lang:
                self.out.translations.append(entry)
            else:
                has_index = True
                self.out.artisans.append(entry)
        if not has_index:
            self.sink.error(
                "artisan-index-missing",
                "this artisan folder has no index.md (the artisan's profile)",
                Location(rel),
                hint="create it with `karigar new artisan`",
            )

    def products(self, folder: Path, rel: str, parts: dict[str, str]) -> None:
        for item in self._entries(folder, rel):
            irel = f"{rel}/{item.name}"
            if item.is_dir() or not item.name.endswith(".md"):
                self.stray(irel, "products/ holds one <product>.md file per product")
                continue
            foreign = _foreign_translation(item.name[:-3], self.settings.languages)
            if foreign:
                self.foreign(irel, foreign)
                continue
            stem, lang = _split_lang(item.name[:-3], self.settings.languages)
            entry = self.entry(Path(item.path), irel, "product", **parts, product=stem, lang=lang)
            if entry is None:
                continue
            (self.out.translations if lang else self.out.products).append(entry)

    def photos(self, folder: Path, rel: str) -> None:
        for item in self._entries(folder, rel):
            irel = f"{rel}/{item.name}"
            if item.is_dir():
                self.photos(Path(item.path), irel)
                continue
            if not item.name.lower().endswith(PHOTO_SUFFIXES):
                self.stray(irel, "photos/ holds .jpg, .jpeg, .png or .webp images")
                continue
            found = self.fingerprint(Path(item.path), irel)
            if found is None:
                continue
            (_, size, _), digest = found[1]
            self.out.photos.append((irel, PhotoFile(irel, digest, size)))

    # -- content/ ---------------------------------------------------------
    def _content(self, docs: Path) -> None:
        if self.fs.is_dir(docs):
            self._content_folder(docs, self.rel(docs), docs)

    def _content_folder(self, folder: Path, rel: str, docs: Path) -> None:
        try:
            with self.fs.scandir(folder) as it:
                hidden = sorted(e.name for e in it if e.name.startswith("_") and e.is_file()
                                and not e.name.endswith(".md"))
        except OSError:
            hidden = []
        for name in hidden:
            # MkDocs publishes `_`-files too (a `_headers` would replace the site's headers).
            self.sink.error("content-file", "content/ holds Markdown pages and images only; "
                            f"`{name}` would be published as it is", Location(f"{rel}/{name}", 1, 1))
        for item in self._entries(folder, rel):
            path = Path(item.path)
            irel = f"{rel}/{item.name}"
            if item.is_dir():
                self._unit(item.name, irel, self._content_folder, path, irel, docs)
                continue
            if not item.name.endswith(".md"):
                if not item.name.lower().endswith(CONTENT_ASSET_SUFFIXES):
                    # MkDocs would publish any other file verbatim: an .html page or a
                    # script would run on the site's own origin, a _headers file would
                    # replace the security headers.
                    self.sink.error(
                        "content-file",
                        "content/ holds Markdown pages and images (.png, .jpg, .jpeg, .webp) only",
                        Location(irel, 1, 1),
                        hint="ask a maintainer to add other files to theme/ through a reviewed pull request",
                    )
                continue
            # A page is a unit of its own: it is parsed (not left as a stub), so copying it
            # spares reading the pages next to an edited one.
            self._unit(item.name, irel, self._content_page, path, irel, folder == docs / "training")

    def _content_page(self, path: Path, rel: str, in_training: bool) -> None:
        foreign = _foreign_translation(path.name[:-3], self.settings.languages)
        if foreign:
            self.foreign(rel, foreign)
            return
        stem, lang = _split_lang(path.name[:-3], self.settings.languages)
        kind: EntryKind = "training" if in_training and stem != "index" else "page"
        entry = self.entry(path, rel, kind, lang=lang)
        if entry is None:
            return
        if kind == "training" and not lang:
            self.out.trainings.append(entry)
        else:
            self.out.pages.append(entry)


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


def entry_stub(settings: Settings, rel: str, digest: str) -> RawEntry | None:
    """The unparsed record of one catalog entry file (as a walk makes it), or None for any other path.

    A quick build re-reads only the entries an edit changed: it names them
    by path, and :func:`load_entry` reads each stub.
    """
    catalog = settings.relative(settings.catalog_dir)
    parts = rel.split("/")
    if len(parts) < 5 or "/".join(parts[:-4]) != catalog and "/".join(parts[:-5]) != catalog:
        return None
    name = parts[-1]
    if not name.endswith(".md") or _foreign_translation(name[:-3], settings.languages):
        return None
    stem, lang = _split_lang(name[:-3], settings.languages)
    if "/".join(parts[:-4]) == catalog and stem == "index":
        country, district, artisan = parts[-4:-1]
        return _raw_entry("artisan", rel, digest, None, "", 1,
                          {"country": country, "district": district, "artisan": artisan, "lang": lang}, parsed=False)
    if "/".join(parts[:-5]) == catalog and parts[-2] == "products":
        country, district, artisan = parts[-5:-2]
        return _raw_entry("product", rel, digest, None, "", 1, {"country": country, "district": district,
                                                                "artisan": artisan, "product": stem, "lang": lang},
                          parsed=False)
    return None


def folder_photos(settings: Settings, artisan_folder: str, git_ids: Mapping[str, str] | None) -> dict[str, PhotoFile]:
    """The photos of one artisan folder, as a walk of the whole tree finds them (with Git's ids, if given)."""
    folder = settings.root / artisan_folder / "photos"
    walker = _Walker(settings, git_ids=git_ids or {}, ask_git=False)
    if folder.is_dir():
        walker.photos(folder, f"{artisan_folder}/photos")
    return dict(walker.out.photos)


def registry_digests(settings: Settings) -> dict[str, str]:
    """Content hashes of the registry files (what cached validation results depend on)."""
    found = {}
    for name in REGISTRY_NAMES:
        if name in _PER_ENTRY_REGISTRIES:
            continue
        try:
            found[name] = digest_bytes((settings.catalog_dir / "_registry" / f"{name}.yml").read_bytes())
        except OSError:
            found[name] = ""
    return found


def load_site(settings: Settings, *, sink: DiagnosticSink,
              known: Mapping[str, tuple[StatKey, str]] | None = None,
              is_cached: CachedCheck | None = None, ask_git: bool = True,
              walk: WalkMemo | None = None, fs: FileAccess = OS_FILES,
              git_ids: Mapping[str, str] | None = None, scope: WalkScope | None = None) -> LoadedSite:
    """Read the whole content tree (or the part ``scope`` names); every problem goes to ``sink``.

    ``known`` is the previous build's stat index; ``is_cached`` says which
    files need no parsing because their validated result is cached.  With
    ``ask_git``, a file that misses the stat index takes its content id from
    Git when Git knows it (:mod:`karigar.load.git_ids`): a fresh clone reads
    and hashes only the files it changed.  ``git_ids``, when the caller has
    already asked Git (the up-to-date check), spares asking again.

    ``walk`` is the dev server's :class:`WalkMemo`: the last walk's results and
    the paths changed since.  Given one, the walk lists only the folders that
    hold a changed path, stats only the changed files, and copies the rest
    from the last walk -- or walks everything when the changes are unknown
    (see :mod:`karigar.load.walkmemo`); either way the result is the full
    walk's.  ``fs`` makes the file-system calls (tests count them).
    """
    if walk is None or scope is not None:
        walker = _Walker(settings, known=known, is_cached=is_cached, ask_git=ask_git, fs=fs, git_ids=git_ids,
                         scope=scope)
        walker.run()
        sink.extend(walker.out.diagnostics)
        return dataclasses.replace(walker.out.site(copy=False), partial=scope is not None)
    key = WalkMemo.key(settings, is_cached is None)
    rewalk, taken = walk.begin(settings, key)
    try:
        walker = _Walker(settings, known=known, is_cached=is_cached, ask_git=ask_git, fs=fs, rewalk=rewalk,
                         record=True)
        root = walker.run()
    except BaseException:
        walk.abandon(taken)
        raise
    walk.finish(key, walker.out, root, partial=rewalk is not None)
    sink.extend(walker.out.diagnostics)
    # A copy: the memo keeps the walk's own lists for the next walk to copy from.
    return walker.out.site(copy=True)
