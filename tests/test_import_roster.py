"""Reading rosters as a spreadsheet shows them: row and column numbers, cell text, encodings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from karigar.diagnostics import DiagnosticSink, Location
from karigar.importer.roster import column_letter, read_roster


def test_workbook_rows_and_columns_are_numbered_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Notes"
    artisans = book.create_sheet("Artisans")
    artisans["A1"], artisans["C1"] = "Name", "Since"
    artisans["A2"], artisans["C2"] = "Amina", 1998.0  # a whole number, as Excel stores it
    artisans["A4"], artisans["B4"] = "Bashir", dt.datetime(2026, 1, 2)  # row 3 left empty
    path = tmp_path / "roster.xlsx"
    book.save(path)
    sink = DiagnosticSink()
    roster = read_roster(path, shown_as="roster.xlsx", sink=sink, sheet="Artisans")
    assert roster is not None and sink.items == []
    assert [(row.number, row.cell(1), row.cell(2), row.cell(3)) for row in roster.rows] == [
        (2, "Amina", "", "1998"), (4, "Bashir", "2026-01-02", "")]
    assert roster.column_label(3) == 'column C "Since"' and column_letter(28) == "AB"

    at = Location("mapping.yml", 1, 8)
    assert read_roster(path, shown_as="roster.xlsx", sink=sink, sheet="Artisan", sheet_at=at) is None
    [problem] = sink.items
    assert problem.location == at and "`Notes`, `Artisans`" in problem.message


def test_csv_with_and_without_bom_and_with_semicolons(tmp_path: Path) -> None:
    sink = DiagnosticSink()
    for name, data in (("bom.csv", "\ufeffName,Craft\r\nAmina,Ajrak\r\n".encode()),
                       ("plain.csv", b"Name,Craft\nAmina,Ajrak\n"),
                       ("semicolons.csv", "\ufeffName;Craft\r\nAmina;Ajrak\r\n".encode())):
        (tmp_path / name).write_bytes(data)
        roster = read_roster(tmp_path / name, shown_as=name, sink=sink)
        assert roster is not None and roster.headers == ("Name", "Craft"), name
        assert [row.cells for row in roster.rows] == [("Amina", "Ajrak")], name
    assert sink.items == []


def test_a_cell_with_a_line_break_is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b'Name,Story\nAmina,"line one\nline two"\nBashir,short\n')
    roster = read_roster(path, shown_as="roster.csv", sink=DiagnosticSink())
    assert roster is not None
    assert [(row.number, row.cell(1)) for row in roster.rows] == [(2, "Amina"), (3, "Bashir")]


def test_a_csv_not_saved_as_utf8_is_located_and_explained(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes("Name,Craft\nJos\u00e9,Ajrak\n".encode("cp1252"))
    sink = DiagnosticSink()
    assert read_roster(path, shown_as="roster.csv", sink=sink) is None
    [problem] = sink.items
    assert problem.location == Location("roster.csv", 2, 4) and "UTF-8" in problem.message


def test_an_old_excel_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    sink = DiagnosticSink()
    assert read_roster(path, shown_as="roster.xls", sink=sink) is None
    [problem] = sink.items
    assert "save it as Excel Workbook (.xlsx) or CSV UTF-8" in problem.hint and problem.location.line == 1


def test_a_title_above_the_headers(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"SMEDA artisans 2026,,\n,,\nName,Craft,District\nAmina,Ajrak,Thatta\n")
    sink = DiagnosticSink()
    roster = read_roster(path, shown_as="roster.csv", sink=sink, header_row=3)
    assert roster is not None and sink.items == []
    assert roster.headers == ("Name", "Craft", "District")
    assert [(row.number, row.cells) for row in roster.rows] == [(4, ("Amina", "Ajrak", "Thatta"))]
    assert read_roster(path, shown_as="roster.csv", sink=sink, header_row=2) is None
    assert sink.items[0].location == Location("roster.csv", 2, 1)
