"""The mapping file: which column of the roster gives which field of an artisan.

Its format (README.md, "Bulk import", documents it for programme staff)::

    sheet: Artisans            # .xlsx: the worksheet (default: the first)
    header_row: 3              # the row of the headers, below a title (default: 1)
    date_format: "%d/%m/%Y"    # how text dates are written (default YYYY-MM-DD; date cells always work)
    separator: ",;"            # characters between several values in one cell (default: , ; and line breaks)
    columns:                   # field: the header of its column, as row 1 writes it
      name: Name               # in the site's default language
      name.ur: Urdu name       # localized names: name.<language>
      romanized_name: Name (Roman)   # optional: the slug is made from it
      crafts: Craft
      district: District
      consent.given: Consent date    # consent comes only from a column that records it
    values:                    # per field: the spreadsheet's words -> the value to write
      crafts: {Ajrak: ajrak-block-printing, Rilli: ralli-quilting}
    private:                   # read only to match duplicates; never written, never printed
      columns: [Phone, CNIC]
      same_person: [CNIC]      # an equal value in two rows is one person, whatever the names
    constants:                 # the same value for every row
      country: pk
      programs: [smeda]
      consent.recorded_by: smeda-hyderabad

Every problem in it is reported at its line and column, all in one run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from karigar.diagnostics import DiagnosticSink, Location, did_you_mean
from karigar.importer.roster import Roster, column_letter
from karigar.load.frontmatter import decode_source, read_yaml_document
from karigar.load.nodes import Map, Node, Scalar, Seq, node_kind

__all__ = ["MappingSpec", "ImportMapping", "Origin", "read_mapping", "resolve_mapping", "word_key",
           "SCALAR_FIELDS", "LIST_FIELDS", "CONSTANT_FIELDS", "DEFAULT_SEPARATORS"]

# Fields a column can give, besides `name.<language>`.
SCALAR_FIELDS = ("name", "romanized_name", "kind", "members", "district", "province", "country", "since",
                 "consent.given", "consent.recorded_by", "story")
LIST_FIELDS = ("crafts", "languages", "programs")
# Fields that may be one value for every row. Never a name, a story, or the day consent was given:
# those belong to one person.
CONSTANT_FIELDS = ("kind", "crafts", "district", "province", "country", "languages", "programs",
                   "consent.recorded_by")
DEFAULT_SEPARATORS = ",;\n"
_TOP_KEYS = ("sheet", "header_row", "date_format", "separator", "columns", "values", "private", "constants")
_PRIVATE_KEYS = ("columns", "same_person")
# Each must come from a column or a constant; `name` from at least one name column.
_REQUIRED = ("crafts", "district", "country", "consent.given", "consent.recorded_by")


def word_key(text: str) -> str:
    """How the spreadsheet's words are compared: case, width and runs of spaces do not matter."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value comes from, for messages: a cell of the roster or a constant of the mapping."""

    location: Location
    label: str  # `column C "Craft"`, or `the constant `country` of mapping.yml`
    constant: bool = False


@dataclass
class MappingSpec:
    """The mapping as written: headers not yet matched with a roster."""

    path: str
    columns: dict[str, tuple[str, Location]] = field(default_factory=dict)  # field -> (header, where)
    constants: dict[str, tuple[str | tuple[str, ...], Location]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> word_key -> value
    values_at: dict[str, Location] = field(default_factory=dict)
    private: list[tuple[str, Location]] = field(default_factory=list)
    same_person: list[tuple[str, Location]] = field(default_factory=list)
    separators: str = DEFAULT_SEPARATORS
    date_format: str | None = None
    sheet: str | None = None
    sheet_at: Location | None = None
    header_row: int = 1


@dataclass(frozen=True)
class ImportMapping:
    """The mapping matched with a roster's header row: columns by number."""

    path: str
    columns: dict[str, int]  # field -> 1-based column
    constants: dict[str, tuple[str | tuple[str, ...], Origin]]
    values: dict[str, dict[str, str]]
    private: tuple[int, ...]
    same_person: tuple[int, ...]
    separators: str
    date_format: str | None
    name_fields: tuple[str, ...]  # `name` and `name.<lang>` mapped, in the site's language order


def _at(path: str, node: Node) -> Location:
    return Location(path, node.line, node.col)


def _text(node: Node | None) -> str | None:
    """A scalar's text (a number or a date too: a header may be `2024`), None for anything else."""
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return node.text.strip() if not isinstance(node.value, str) else node.value.strip()
    return None


def _is_field(name: str, languages: tuple[str, ...]) -> bool:
    return name in SCALAR_FIELDS or name in LIST_FIELDS or (
        name.startswith("name.") and name[5:] in languages)


def _read_columns(node: Node, spec: MappingSpec, languages: tuple[str, ...], sink: DiagnosticSink) -> None:
    if not isinstance(node, Map):
        sink.error("import-mapping", f"`columns` must map fields to column headers, found {node_kind(node)}",
                   _at(spec.path, node), "e.g. `columns: {name: Name, district: District, crafts: Craft}`")
        return
    known = [*SCALAR_FIELDS, *LIST_FIELDS, *(f"name.{lang}" for lang in languages[1:])]
    for name, (key, value) in node.entries.items():
        if not _is_field(name, languages):
            extra = (f"; `{name[5:]}` is not one of the site's languages ({', '.join(languages)})"
                     if name.startswith("name.") else "")
            sink.error("import-mapping", f"`{name}` is not a field karigar import writes{did_you_mean(name, known)}"
                       f"{extra}", _at(spec.path, key), f"fields: {', '.join(known)}")
            continue
        header = _text(value)
        if not header:
            sink.error("import-mapping", f"`columns.{name}` must be a column's header as the header row writes it, "
                       f"found {node_kind(value)}", _at(spec.path, value))
            continue
        spec.columns["name" if name == f"name.{languages[0]}" else name] = (header, _at(spec.path, value))


def _read_constants(node: Node, spec: MappingSpec, sink: DiagnosticSink) -> None:
    if not isinstance(node, Map):
        sink.error("import-mapping", f"`constants` must map fields to values, found {node_kind(node)}",
                   _at(spec.path, node), "e.g. `constants: {country: pk, programs: [smeda]}`")
        return
    for name, (key, value) in node.entries.items():
        if name not in CONSTANT_FIELDS:
            why = (" (a name, a story and the day consent was given belong to one person: they come from a column)"
                   if name in SCALAR_FIELDS or name.startswith("name.") else "")
            sink.error("import-mapping", f"`{name}` cannot be a constant{why}"
                       f"{did_you_mean(name, CONSTANT_FIELDS)}", _at(spec.path, key),
                       f"constants may set: {', '.join(CONSTANT_FIELDS)}")
            continue
        if isinstance(value, Seq) and name in LIST_FIELDS:
            items = tuple(_text(item) or "" for item in value.items)
            if all(items):
                spec.constants[name] = (items, _at(spec.path, value))
                continue
        elif _text(value):
            text = _text(value) or ""
            spec.constants[name] = ((text,) if name in LIST_FIELDS else text, _at(spec.path, value))
            continue
        sink.error("import-mapping", f"`constants.{name}` must be "
                   f"{'a value or a list of values' if name in LIST_FIELDS else 'one value'}, found "
                   f"{node_kind(value)}", _at(spec.path, value))


def _read_values(node: Node, spec: MappingSpec, languages: tuple[str, ...], sink: DiagnosticSink) -> None:
    if not isinstance(node, Map):
        sink.error("import-mapping", f"`values` must map fields to word lists, found {node_kind(node)}",
                   _at(spec.path, node), "e.g. `values: {crafts: {Ajrak: ajrak-block-printing}}`")
        return
    for name, (key, words) in node.entries.items():
        if not _is_field(name, languages):
            sink.error("import-mapping", f"`values.{name}`: `{name}` is not a field karigar import writes"
                       f"{did_you_mean(name, [*SCALAR_FIELDS, *LIST_FIELDS])}", _at(spec.path, key))
            continue
        if not isinstance(words, Map):
            sink.error("import-mapping", f"`values.{name}` must map the spreadsheet's words to values, found "
                       f"{node_kind(words)}", _at(spec.path, words), f"e.g. `{name}: {{Ajrak: ajrak-block-printing}}`")
            continue
        table: dict[str, str] = {}
        for word, (word_node, target) in words.entries.items():
            text = _text(target)
            if text is None:
                sink.error("import-mapping", f"`values.{name}.{word}` must be one value, found {node_kind(target)}",
                           _at(spec.path, target))
                continue
            table[word_key(word)] = text
        spec.values[name] = table
        spec.values_at[name] = _at(spec.path, key)


def _read_private(node: Node, spec: MappingSpec, sink: DiagnosticSink) -> None:
    if not isinstance(node, Map):
        sink.error("import-mapping", f"`private` must hold `columns` (and `same_person`), found {node_kind(node)}",
                   _at(spec.path, node), "e.g. `private: {columns: [Phone, CNIC], same_person: [CNIC]}`")
        return
    for name, (key, value) in node.entries.items():
        if name not in _PRIVATE_KEYS:
            sink.error("import-mapping", f"unknown key `private.{name}`{did_you_mean(name, _PRIVATE_KEYS)}",
                       _at(spec.path, key), "`private` holds `columns` and `same_person`")
            continue
        items = value.items if isinstance(value, Seq) else (value,)
        target = spec.private if name == "columns" else spec.same_person
        for item in items:
            header = _text(item)
            if header:
                target.append((header, _at(spec.path, item)))
            else:
                sink.error("import-mapping", f"`private.{name}` lists column headers, found {node_kind(item)}",
                           _at(spec.path, item))


def _option(root: Map, name: str, spec: MappingSpec, sink: DiagnosticSink) -> tuple[str, Location] | None:
    node = root.get(name)
    if node is None:
        return None
    text = _text(node)
    if text is None or not text:
        sink.error("import-mapping", f"`{name}` must be text, found {node_kind(node)}", _at(spec.path, node))
        return None
    return text, _at(spec.path, node)


def read_mapping(file: Path, *, shown_as: str, languages: tuple[str, ...], sink: DiagnosticSink) -> MappingSpec | None:
    """The mapping in ``file``, or None when it cannot be read; its problems go to ``sink``."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        sink.error("import-mapping", f"cannot read the mapping: {exc.strerror}", Location(shown_as, 1, 1))
        return None
    source = decode_source(data, path=shown_as, sink=sink)
    root = read_yaml_document(source, sink=sink) if source is not None else None
    if not isinstance(root, Map):
        return None
    spec = MappingSpec(shown_as)
    for name, (key, _) in root.entries.items():
        if name not in _TOP_KEYS:
            sink.error("import-mapping", f"unknown key `{name}` in the mapping{did_you_mean(name, _TOP_KEYS)}",
                       _at(shown_as, key), f"a mapping holds {', '.join(f'`{k}`' for k in _TOP_KEYS)}")
    sheet = _option(root, "sheet", spec, sink)
    if sheet is not None:
        spec.sheet, spec.sheet_at = sheet
    header_row = root.get("header_row")
    if isinstance(header_row, Scalar) and isinstance(header_row.value, int) and not isinstance(header_row.value, bool) \
            and 1 <= header_row.value <= 1000:
        spec.header_row = header_row.value
    elif header_row is not None:
        sink.error("import-mapping", f"`header_row` must be the number of the row holding the headers, found "
                   f"{node_kind(header_row)}", _at(shown_as, header_row), "e.g. `header_row: 3` below a title")
    date_format = _option(root, "date_format", spec, sink)
    if date_format is not None:
        if "%" not in date_format[0]:
            sink.error("import-mapping", f"`date_format` `{date_format[0]}` has no `%` codes", date_format[1],
                       "write it as Python's strptime does: `%d/%m/%Y` for 25/11/2026")
        spec.date_format = date_format[0]
    separator = root.get("separator")
    if isinstance(separator, Scalar) and isinstance(separator.value, str) and separator.value:
        spec.separators = separator.value
    elif separator is not None:
        sink.error("import-mapping", "`separator` must be the character(s) between values in one cell",
                   _at(shown_as, separator), 'e.g. `separator: ","`')
    for name, reader in (("columns", _read_columns), ("values", _read_values)):
        node = root.get(name)
        if node is not None:
            reader(node, spec, languages, sink)
    constants, private = root.get("constants"), root.get("private")
    if constants is not None:
        _read_constants(constants, spec, sink)
    if private is not None:
        _read_private(private, spec, sink)
    _check_completeness(spec, root, sink)
    return spec


def _check_completeness(spec: MappingSpec, root: Map, sink: DiagnosticSink) -> None:
    """Each required field given once; consent only from a column."""
    top = Location(spec.path, root.line, root.col)
    columns_at = _at(spec.path, root.get("columns") or root)
    if not any(name == "name" or name.startswith("name.") or name == "romanized_name" for name in spec.columns):
        sink.error("import-mapping", "no column gives the artisan's name: map `name` (or `name.<language>`)",
                   columns_at, "e.g. `columns: {name: Name}`")
    for name in _REQUIRED:
        if name not in spec.columns and name not in spec.constants:
            where = "a column" if name == "consent.given" else "a column or a constant"
            why = (": karigar import writes consent only from a column that records the day each person "
                   "gave it" if name == "consent.given" else "")
            sink.error("import-mapping", f"nothing gives `{name}`: map it to {where}{why}",
                       columns_at if name == "consent.given" else top)
    for name, (_, at) in spec.constants.items():
        if name in spec.columns:
            sink.error("import-mapping", f"`{name}` is given both by a column and by a constant: keep one",
                       at)
    for name, at in spec.values_at.items():
        if name not in spec.columns:
            sink.error("import-mapping", f"`values.{name}` translates the words of a column, but no column "
                       f"gives `{name}`", at, f"map `{name}` under `columns`, or remove `values.{name}`")


def _find(header: str, roster: Roster, at: Location, what: str, sink: DiagnosticSink) -> int:
    """The 1-based column whose header is ``header`` (compared as words), 0 after an error."""
    found = [col for col, text in enumerate(roster.headers, start=1) if word_key(text) == word_key(header)]
    if len(found) == 1:
        return found[0]
    if found:
        sink.error("import-mapping", f"{what}: the header `{header}` names several columns of {roster.path} "
                   f"({', '.join(column_letter(c) for c in found)})", at,
                   f"give each column of row {roster.header_row} a header of its own")
    else:
        headers = [h for h in roster.headers if h]
        sink.error("import-mapping", f"{what}: {roster.path} has no column `{header}` in its header row (row {roster.header_row})"
                   f"{did_you_mean(header, headers)}", at, f"its headers: {', '.join(headers)}")
    return 0


def resolve_mapping(spec: MappingSpec, roster: Roster, languages: tuple[str, ...],
                    sink: DiagnosticSink) -> ImportMapping | None:
    """``spec`` with each header found in ``roster``; None after an error (every one reported)."""
    before = len(sink.errors)
    columns = {name: _find(header, roster, at, f"`columns.{name}`", sink)
               for name, (header, at) in spec.columns.items()}
    private = {header: _find(header, roster, at, "`private.columns`", sink) for header, at in spec.private}
    for header, at in spec.same_person:
        if word_key(header) not in {word_key(h) for h in private}:
            sink.error("import-mapping", f"`private.same_person` lists `{header}`, which `private.columns` does "
                       "not", at, "list it under `private.columns` too")
    for header, at in spec.private:
        col = private[header]
        for name, mapped in columns.items():
            if col and mapped == col:
                sink.error("import-mapping", f"the private column `{header}` is also mapped to `{name}`: "
                           "a private column is never written", at,
                           f"remove `{name}` from `columns`, or `{header}` from `private.columns`")
    if len(sink.errors) > before:
        return None
    same = {word_key(h) for h, _ in spec.same_person}
    constants = {name: (value, Origin(at, f"the constant `{name}` of {spec.path}", constant=True))
                 for name, (value, at) in spec.constants.items()}
    names = tuple(name for name in ("name", *(f"name.{lang}" for lang in languages[1:])) if name in columns)
    return ImportMapping(
        path=spec.path, columns=columns, constants=constants, values=spec.values,
        private=tuple(col for col in private.values() if col),
        same_person=tuple(col for header, col in private.items() if word_key(header) in same),
        separators=spec.separators, date_format=spec.date_format, name_fields=names,
    )

