"""Merging translation files into the entries they translate, and translation coverage.

A translation (``index.ur.md``, ``<product>.ur.md``) is validated on its own,
so it can be cached by its content hash like any entry; this step, after
validation, folds its text fields into the entry's localized text and keeps
its body beside the entry's own.  It runs on every build: it is cheap (a
dictionary look-up per translation) and its result depends on both files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from karigar.diagnostics import DiagnosticSink
from karigar.model.types import Artisan, LocalizedText, Product, Registries, Translation, shared_text

__all__ = ["apply_translations", "Coverage", "translation_coverage", "is_translated", "RegistryCoverage",
           "registry_coverage"]


def _with(text: LocalizedText | None, lang: str, value: str) -> LocalizedText | None:
    """``text`` with ``value`` as its ``lang`` version (a translation file wins over an inline map)."""
    if text is None:
        return None
    kept = tuple((code, t) for code, t in text.values if code != lang)
    return shared_text(text.default_lang, (*kept, (lang, value)))


def _merge_artisan(artisan: Artisan, translations: Sequence[Translation]) -> Artisan:
    name = artisan.name
    for tr in translations:
        for key, value in tr.fields:
            if key == "name" and isinstance(value, str):
                name = _with(name, tr.lang, value) or name
    return dataclasses.replace(artisan, name=name, translations=tuple(translations))


def _merge_product(product: Product, translations: Sequence[Translation], sink: DiagnosticSink) -> Product:
    title, materials, dimensions = product.title, list(product.materials), product.dimensions
    for tr in translations:
        for key, value in tr.fields:
            if key == "title" and isinstance(value, str):
                title = _with(title, tr.lang, value) or title
            elif key == "dimensions" and isinstance(value, str):
                if dimensions is None:
                    sink.warning("translation-unused", "`dimensions` is translated, but the product has no "
                                 "`dimensions`: the translation is not shown", tr.location,
                                 f"add `dimensions` to {tr.target}, or remove it here")
                dimensions = _with(dimensions, tr.lang, value)
            elif key == "materials" and isinstance(value, tuple):
                if len(value) != len(materials):
                    sink.warning("translation-materials", f"`materials` has {len(value)} item(s) here but "
                                 f"{len(materials)} in {tr.target}; they are matched in order",
                                 tr.location, "translate each material of the product, in the same order")
                for i, text in enumerate(value[: len(materials)]):
                    materials[i] = _with(materials[i], tr.lang, text) or materials[i]
    return dataclasses.replace(product, title=title, materials=tuple(materials), dimensions=dimensions,
                               translations=tuple(translations))


def apply_translations(artisans: list[Artisan], products: list[Product], translations: Iterable[Translation],
                       *, entry_paths: set[str], sink: DiagnosticSink) -> tuple[list[Artisan], list[Product]]:
    """The entries with their translations merged; a translation of no entry is an error.

    ``entry_paths`` are every entry file found (valid or not): a translation
    of an entry that has errors is silently left out, its entry's errors
    already say what to fix.
    """
    by_target: dict[str, list[Translation]] = {}
    for tr in translations:
        if tr.target not in entry_paths:
            sink.error("translation-orphan", f"this is a translation into `{tr.lang}` of {tr.target}, which "
                       "does not exist", tr.location,
                       "name the file after the entry it translates: index.<lang>.md beside index.md, "
                       "<product>.<lang>.md beside <product>.md")
            continue
        by_target.setdefault(tr.target, []).append(tr)
    for found in by_target.values():
        found.sort(key=lambda t: t.lang)
    merged_artisans = [_merge_artisan(a, by_target[a.source]) if a.source in by_target else a for a in artisans]
    merged_products = [_merge_product(p, by_target[p.source], sink) if p.source in by_target else p
                       for p in products]
    return merged_artisans, merged_products


@dataclass
class Coverage:
    """How much of the published catalog reads in one language."""

    lang: str
    artisans: int = 0
    products: int = 0
    translated_artisans: int = 0
    translated_products: int = 0
    missing: list[str] = field(default_factory=list)  # entry files without a translation into ``lang``

    @property
    def total(self) -> int:
        return self.artisans + self.products

    @property
    def translated(self) -> int:
        return self.translated_artisans + self.translated_products

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def is_translated(entry: Artisan | Product, lang: str, default_lang: str) -> bool:
    """True when the entry's page reads in ``lang``: its name or title, and its body if it has one."""
    if lang == default_lang:
        return True
    text = entry.name if isinstance(entry, Artisan) else entry.title
    body = entry.story_html if isinstance(entry, Artisan) else entry.description_html
    has_body = any(t.lang == lang and t.body_html for t in entry.translations)
    return text.has(lang) and (has_body or not body)


def translation_coverage(artisans: Sequence[Artisan], products: Sequence[Product], lang: str,
                         default_lang: str) -> Coverage:
    coverage = Coverage(lang)
    for artisan in artisans:
        coverage.artisans += 1
        if is_translated(artisan, lang, default_lang):
            coverage.translated_artisans += 1
        else:
            coverage.missing.append(artisan.source)
    for product in products:
        coverage.products += 1
        if is_translated(product, lang, default_lang):
            coverage.translated_products += 1
        else:
            coverage.missing.append(product.source)
    return coverage


@dataclass
class RegistryCoverage:
    """How many items of one registry read in a language: every text a reader sees, in it."""

    registry: str  # crafts, marketplaces, programs, districts
    lang: str
    total: int = 0
    translated: int = 0
    missing: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (key, fields left in the default)


def _shown_texts(registries: Registries) -> dict[str, dict[str, dict[str, LocalizedText | None]]]:
    """registry -> key -> field -> text, for the fields the site shows to readers.

    A marketplace's ``id_description`` is left out: it is read only in the
    validator's messages to editors, never on a page.
    """
    return {
        "crafts": {k: {"name": c.name, "description": c.description} for k, c in registries.crafts.items()},
        "marketplaces": {k: {"name": m.name, "disclosure": m.disclosure} for k, m in registries.marketplaces.items()},
        "programs": {k: {"name": p.name, "description": p.description} for k, p in registries.programs.items()},
        "districts": {k: {"name": d.name, "province": d.province} for k, d in registries.districts.items()},
    }


def registry_coverage(registries: Registries, lang: str) -> list[RegistryCoverage]:
    """One :class:`RegistryCoverage` per registry, in the order the site's registries are listed."""
    out = []
    for name, items in _shown_texts(registries).items():
        cov = RegistryCoverage(name, lang)
        for key, texts in items.items():
            cov.total += 1
            untranslated = tuple(f for f, text in texts.items() if text is not None and not text.has(lang))
            if untranslated:
                cov.missing.append((key, untranslated))
            else:
                cov.translated += 1
        out.append(cov)
    return out
