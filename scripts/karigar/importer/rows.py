"""One roster row -> the text of its ``index.md``, each line remembering the cell it came from.

The text is written as ``karigar new`` writes it (keys in the contract's
order, every text double-quoted) and then validated like any entry; a
problem on line 9 of that text is a problem with the cell line 9 came from.
A required field whose cell is empty is written as ``key:`` with nothing
after it, so the validator's own "is empty" message points at that cell.
Private columns are read into :attr:`RowEntry.private` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from anyascii import anyascii

from karigar.diagnostics import Diagnostic, DiagnosticSink
from karigar.importer.entry_files import yaml_quote
from karigar.importer.mapping import ImportMapping, Origin, word_key
from karigar.importer.roster import Roster, RosterRow
from karigar.model import schema
from karigar.model.fields import slugify
from karigar.model.types import Registries

__all__ = ["RowEntry", "row_entry", "name_key", "slug_base"]

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")
_NOT_WORD = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """A name as duplicates are compared: case, accents' width, punctuation and spacing do not matter."""
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def slug_base(text: str) -> str:
    """A slug from a name in any script: transliterated to ASCII (anyascii), then made a slug."""
    slug = slugify(anyascii(unicodedata.normalize("NFKC", text)))
    if len(slug) > schema.SLUG_MAX:
        slug = slug[: schema.SLUG_MAX].rsplit("-", 1)[0] if "-" in slug[: schema.SLUG_MAX] else slug[: schema.SLUG_MAX]
    return slug.strip("-")


@dataclass
class RowEntry:
    """A row made into an entry's text, with what the cross-row checks compare."""

    row: int
    lines: list[str] = field(default_factory=list)
    origins: list[Origin | None] = field(default_factory=list)  # per line of ``lines``
    problems: DiagnosticSink = field(default_factory=DiagnosticSink)  # the importer's own, located at cells
    quiet_lines: set[int] = field(default_factory=set)  # 1-based lines whose problem ``problems`` holds
    name_origin: Origin | None = None
    names: tuple[str, ...] = ()  # every name written, all languages
    slug_source: str = ""
    country: str = ""
    country_origin: Origin | None = None
    district: str = ""
    district_origin: Origin | None = None
    province: str = ""
    province_origin: Origin | None = None
    private: tuple[str, ...] = ()  # the private columns' values: only compared, never written
    same_person: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    @property
    def district_slug(self) -> str:
        return slugify(self.district)

    def add(self, line: str, origin: Origin | None) -> int:
        """Append ``line``; its 1-based line number."""
        self.lines.append(line)
        self.origins.append(origin)
        return len(self.lines)

    def error(self, code: str, message: str, origin: Origin, hint: str = "") -> None:
        self.problems.error(code, f"{message} ({origin.label})", origin.location, hint)

    @property
    def own_errors(self) -> list[Diagnostic]:
        return self.problems.errors


class _Cells:
    """The values of one row, by field: a cell or a constant, with its origin."""

    def __init__(self, row: RosterRow, roster: Roster, mapping: ImportMapping) -> None:
        self.row, self.roster, self.mapping = row, roster, mapping

    def origin_of(self, name: str) -> Origin | None:
        col = self.mapping.columns.get(name)
        if col:
            return Origin(self.roster.location(self.row.number, col), self.roster.column_label(col))
        constant = self.mapping.constants.get(name)
        return constant[1] if constant is not None else None

    def value(self, name: str) -> tuple[str, Origin] | None:
        """The field's text (its words translated by ``values``), or None when nothing gives it."""
        origin = self.origin_of(name)
        if origin is None:
            return None
        col = self.mapping.columns.get(name)
        if col:
            text = self.row.cell(col)
            translated = self.mapping.values.get(name, {}).get(word_key(text), text) if text else ""
            return translated, origin
        constant = self.mapping.constants[name][0]
        return (constant if isinstance(constant, str) else ", ".join(constant)), origin

    def items(self, name: str) -> tuple[list[str], Origin] | None:
        """A list field's values: the cell split at the separators, each word translated by ``values``."""
        origin = self.origin_of(name)
        if origin is None:
            return None
        col = self.mapping.columns.get(name)
        if not col:
            constant = self.mapping.constants[name][0]
            return list(constant) if not isinstance(constant, str) else [constant], origin
        text = self.row.cell(col)
        for separator in self.mapping.separators[1:]:
            text = text.replace(separator, self.mapping.separators[0])
        table = self.mapping.values.get(name, {})
        words = [word.strip() for word in text.split(self.mapping.separators[0]) if word.strip()]
        return [table.get(word_key(word), word) for word in words], origin


def _date_text(text: str, date_format: str | None) -> str:
    """``text`` as YYYY-MM-DD when it reads as a date in ``date_format``; else unchanged (validated later)."""
    if date_format and not _ISO_DATE.match(text):
        try:
            return dt.datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            return text
    return text


def _scalar(text: str, *, plain: bool) -> str:
    return text if plain else yaml_quote(text)


class _Writer:
    """Builds one :class:`RowEntry`, field by field in the contract's order."""

    def __init__(self, cells: _Cells, entry: RowEntry, languages: tuple[str, ...]) -> None:
        self.cells, self.entry, self.languages = cells, entry, languages

    def scalar(self, key: str, name: str, *, indent: str = "", required: bool = False,
               kind: str = "text") -> tuple[str, Origin] | None:
        """``key: value`` from field ``name``; ``key:`` for an empty required one; nothing for an empty optional."""
        found = self.cells.value(name)
        if found is None or not found[0]:
            if required:
                self.entry.add(f"{indent}{key}:", found[1] if found else self.entry.name_origin)
            return found
        text, origin = found
        plain = (kind == "int" and bool(_WHOLE_NUMBER.match(text))) or (kind == "date" and bool(_ISO_DATE.match(text)))
        self.entry.add(f"{indent}{key}: {_scalar(text, plain=plain)}", origin)
        return found

    def listing(self, key: str, name: str, *, required: bool = False) -> None:
        found = self.cells.items(name)
        if found is None or not found[0]:
            if required:
                self.entry.add(f"{key}:", found[1] if found else self.entry.name_origin)
            return
        words, origin = found
        self.entry.add(f"{key}: [{', '.join(yaml_quote(word) for word in words)}]", origin)

    def name(self) -> None:
        entry, default = self.entry, self.languages[0]
        texts: dict[str, tuple[str, Origin]] = {}
        for field_name in self.cells.mapping.name_fields:
            found = self.cells.value(field_name)
            if found is not None and found[0]:
                texts[default if field_name == "name" else field_name[5:]] = found
        roman = self.cells.value("romanized_name")
        if default not in texts:
            # A roster in Urdu or Hindi only: the romanized spelling where there is one, else the name as
            # written (a person's name is theirs in any script) is the name in the default language.
            if roman is not None and roman[0]:
                texts[default] = roman
            elif texts:
                texts[default] = texts[next(lang for lang in self.languages if lang in texts)]
        first = self.cells.origin_of(self.cells.mapping.name_fields[0] if self.cells.mapping.name_fields
                                     else "romanized_name")
        entry.name_origin = texts[default][1] if texts else first
        entry.names = tuple(text for text, _ in texts.values())
        entry.slug_source = roman[0] if roman is not None and roman[0] else (texts[default][0] if texts else "")
        if not texts:
            entry.add("name:", entry.name_origin)
        elif len(texts) == 1:
            entry.add(f"name: {yaml_quote(texts[default][0])}", texts[default][1])
        else:
            entry.add("name:", texts[default][1])
            for lang in (*self.languages, *sorted(set(texts) - set(self.languages))):
                if lang in texts:
                    entry.add(f"  {lang}: {yaml_quote(texts[lang][0])}", texts[lang][1])

    def location(self, registries: Registries) -> None:
        entry = self.entry
        country = self.cells.value("country")
        entry.country, entry.country_origin = (country[0].lower(), country[1]) if country else ("", None)
        entry.add("location:", self.cells.origin_of("district"))
        district = self.scalar("district", "district", indent="  ", required=True)
        entry.district, entry.district_origin = district if district is not None else ("", None)
        if entry.district and not entry.district_slug and entry.district_origin is not None:
            entry.quiet_lines.add(len(entry.lines))
            entry.error("import-district", f"the district `{entry.district}` gives no letters a-z or digits for "
                        "its folder name", entry.district_origin, "write the district in Latin letters, or "
                        "translate the spreadsheet's word under `values.district` of the mapping")
        province = self.cells.value("province")
        listed = registries.districts.get(f"{entry.country}/{entry.district_slug}")
        if (province is None or not province[0]) and listed is not None and entry.district_origin is not None:
            # As `karigar new`: the districts registry knows the province of a district it lists.
            province = (listed.province.default, entry.district_origin)
        if province is None or not province[0]:
            entry.add("  province:", province[1] if province else entry.district_origin)
        else:
            entry.add(f"  province: {yaml_quote(province[0])}", province[1])
        entry.province, entry.province_origin = province if province else ("", entry.district_origin)

    def consent(self, date_format: str | None) -> None:
        entry = self.entry
        given = self.cells.value("consent.given")
        entry.add("consent:", given[1] if given else None)
        if given is None or not given[0]:
            origin = given[1] if given else entry.name_origin
            assert origin is not None
            line = entry.add("  given:", origin)
            entry.quiet_lines.add(line)
            entry.error("import-consent", "no consent date in this row: karigar import writes consent only from "
                        "the column that records it, and a person whose consent is not recorded is not imported "
                        "(the name would be public in the repository)", origin,
                        "record the day the artisan gave consent in this cell, then run the import again")
        else:
            text = _date_text(given[0], date_format)
            entry.add(f"  given: {_scalar(text, plain=bool(_ISO_DATE.match(text)))}", given[1])
        self.scalar("recorded_by", "consent.recorded_by", indent="  ", required=True)


def row_entry(row: RosterRow, roster: Roster, mapping: ImportMapping, *, languages: tuple[str, ...],
              registries: Registries, added: dt.date) -> RowEntry:
    """The ``index.md`` text of ``row``, line by line with the origin of each line."""
    cells = _Cells(row, roster, mapping)
    entry = RowEntry(row.number)
    write = _Writer(cells, entry, languages)
    entry.add("---", None)
    write.name()
    write.scalar("kind", "kind")
    write.scalar("members", "members", kind="int")
    write.listing("crafts", "crafts", required=True)
    write.location(registries)
    write.scalar("since", "since", kind="int")
    write.listing("languages", "languages")
    write.listing("programs", "programs")
    write.consent(mapping.date_format)
    entry.add(f"added: {added.isoformat()}", None)
    entry.add("---", None)
    story = cells.value("story")
    if story is not None and story[0]:
        entry.add("", None)
        for line in story[0].replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            entry.add(line, story[1])
    entry.private = tuple(row.cell(col) for col in mapping.private)
    entry.same_person = tuple(row.cell(col) for col in mapping.same_person)
    return entry
