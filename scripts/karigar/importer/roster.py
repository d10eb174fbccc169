"""Reading a roster: an .xlsx workbook or a CSV file, as rows of text cells.

Row and column numbers are the ones the spreadsheet shows: row 1 is the
header row (or the row the mapping's ``header_row`` names, below a title), the
first column is 1 (A).  A CSV row is a record, so a cell
holding a line break still counts as one row, as Excel shows it.  Cells are
read as text; a date cell of a workbook becomes ``YYYY-MM-DD`` and a whole
number ``1998``, not ``1998.0``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from karigar.diagnostics import DiagnosticSink, Location
from karigar.load.frontmatter import decode_source

__all__ = ["Roster", "RosterRow", "read_roster", "column_letter", "cell_text", "ROSTER_SUFFIXES"]

ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_MAX_CSV_BYTES = 256 * 1024 * 1024  # far above any programme's roster; a bound, not a target
_DELIMITERS = (",", ";", "\t")  # Excel writes `;` where the decimal separator is a comma


def column_letter(col: int) -> str:
    """The spreadsheet's letters for a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class RosterRow:
    number: int  # as the spreadsheet shows it (the header is row 1, or ``header_row``)
    cells: tuple[str, ...]  # column 1 first

    def cell(self, col: int) -> str:
        """The text of 1-based column ``col`` ("" past the row's last cell)."""
        return self.cells[col - 1] if 0 < col <= len(self.cells) else ""


@dataclass(frozen=True, slots=True)
class Roster:
    path: str  # as written on the command line: it names the file in messages
    headers: tuple[str, ...]  # column 1 first
    rows: tuple[RosterRow, ...]  # rows holding at least one value, in order
    header_row: int = 1

    def location(self, row: int, col: int) -> Location:
        return Location(self.path, row, col)

    def column_label(self, col: int) -> str:
        """``column C "Craft"``, as messages name a column."""
        header = self.headers[col - 1] if 0 < col <= len(self.headers) else ""
        return f'column {column_letter(col)} "{header}"' if header else f"column {column_letter(col)}"


def cell_text(value: object) -> str:
    """A cell's value as the text a person reads in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _roster(path: str, table: list[list[str]], header_row: int, sink: DiagnosticSink) -> Roster | None:
    if len(table) < header_row or not any(table[header_row - 1]):
        sink.error("import-roster", f"row {header_row} must name the columns (the header row), but it is empty",
                   Location(path, header_row, 1), f"put one header per column in row {header_row}: Name, District, "
                   "Craft, ...; or name the header row with `header_row:` in the mapping")
        return None
    headers = tuple(table[header_row - 1])
    rows = tuple(RosterRow(number, tuple(cells))
                 for number, cells in enumerate(table[header_row:], start=header_row + 1) if any(cells))
    return Roster(path, headers, rows, header_row)


def _read_csv(data: bytes, path: str, header_row: int, sink: DiagnosticSink) -> Roster | None:
    # decode_source drops the BOM Excel writes ("CSV UTF-8") and locates a byte that is not UTF-8.
    source = decode_source(data, path=path, sink=sink, max_bytes=_MAX_CSV_BYTES)
    if source is None:
        return None
    first = (source.text.split("\n", header_row) + [""])[header_row - 1]
    delimiter = max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","
    table = [[cell.strip() for cell in record] for record in csv.reader(io.StringIO(source.text),
                                                                         delimiter=delimiter)]
    return _roster(path, table, header_row, sink)


def _read_xlsx(file: Path, path: str, sheet: str | None, sheet_at: Location | None, header_row: int,
               sink: DiagnosticSink) -> Roster | None:
    import openpyxl  # only a workbook needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        sink.error("import-roster", f"cannot read the workbook: {exc}", Location(path, 1, 1),
                   "save it from the spreadsheet program as Excel Workbook (.xlsx) or CSV UTF-8")
        return None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            sink.error("import-sheet", f"the workbook has no sheet `{sheet}` (it has "
                       f"{', '.join(f'`{name}`' for name in book.sheetnames)})",
                       sheet_at or Location(path, 1, 1), "write the sheet's name as its tab shows it")
            return None
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        # Some programs write a wrong size into the file; read_only mode would trust it.
        worksheet.reset_dimensions()  # type: ignore[union-attr]
        table: list[list[str]] = []
        for row in worksheet.iter_rows():
            cells: list[str] = []
            for cell in row:
                column = getattr(cell, "column", None)
                if isinstance(column, int) and column > len(cells) + 1:  # read_only skips empty cells
                    cells.extend([""] * (column - len(cells) - 1))
                cells.append(cell_text(cell.value))
            number = getattr(row[0], "row", None) if row else None
            if isinstance(number, int) and number > len(table) + 1:  # and empty rows
                table.extend([] for _ in range(number - len(table) - 1))
            table.append(cells)
    finally:
        book.close()
    return _roster(path, table, header_row, sink)


def read_roster(file: Path, *, shown_as: str, sink: DiagnosticSink, sheet: str | None = None,
                sheet_at: Location | None = None, header_row: int = 1) -> Roster | None:
    """The roster in ``file`` (.xlsx or .csv), or None after reporting why it cannot be read.

    ``shown_as`` names the file in messages; ``sheet`` picks a workbook's
    sheet (the first by default), and ``sheet_at`` is where the mapping names it;
    ``header_row`` is the row of the headers (rows above it, a title, are ignored).
    """
    suffix = file.suffix.lower()
    if suffix not in ROSTER_SUFFIXES:
        hint = ("save it as Excel Workbook (.xlsx) or CSV UTF-8" if suffix in (".xls", ".ods", ".numbers", ".txt")
                else "give an .xlsx or .csv file")
        sink.error("import-roster", f"`{file.name}` is not a roster karigar can read (.xlsx or .csv)",
                   Location(shown_as, 1, 1), hint)
        return None
    if suffix == ".csv":
        try:
            data = file.read_bytes()
        except OSError as exc:
            sink.error("import-roster", f"cannot read the roster: {exc.strerror}", Location(shown_as, 1, 1))
            return None
        return _read_csv(data, shown_as, header_row, sink)
    if not file.is_file():
        sink.error("import-roster", "cannot read the roster: no such file", Location(shown_as, 1, 1))
        return None
    return _read_xlsx(file, shown_as, sheet, sheet_at, header_row, sink)
