"""`karigar import`: a 500-row roster with 20 defects, as .xlsx and as CSV (with Excel's BOM).

The run must report exactly the 20 defects at their spreadsheet cells, import
the other 480 so that `karigar check` passes, and change nothing when run
again; a dry run writes nothing; private columns reach no file and no output.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from karigar.cli import main
from karigar.commands.import_roster import run_import
from karigar.importer.roster import column_letter
from karigar.pipeline import check_site
from tests.conftest import NOW, REPO, settings_for

FIXTURES = REPO / "tests" / "fixtures" / "import"
MAPPING = FIXTURES / "mapping.yml"
HEADERS = ["Name", "Name (Urdu)", "Name (Hindi)", "Name (Roman)", "Type", "Members", "Craft", "District",
           "Province", "Languages", "Since", "Consent date", "Recorded by", "Phone", "CNIC"]
# Districts of the registry (and Badin, which it does not list), with their provinces.
DISTRICTS = [("Thatta", "Sindh"), ("Matiari", "Sindh"), ("Hyderabad", "Sindh"), ("Multan", "Punjab"),
             ("Lahore", "Punjab"), ("Chiniot", "Punjab"), ("Swat", "Khyber Pakhtunkhwa"),
             ("Quetta", "Balochistan"), ("Badin", "Sindh")]
FIRST = ["Amina", "Bashir", "Dilshad", "Ejaz", "Ghazala", "Haleema", "Imran", "Jamila", "Kaneez", "Lal",
         "Mumtaz", "Nasreen", "Parveen", "Qasim", "Rashida", "Sajida", "Tahira", "Umar", "Wazir", "Zubeda"]
LAST = ["Abbasi", "Baloch", "Chandio", "Dahri", "Jatoi", "Khoso", "Laghari", "Memon", "Narejo", "Pathan",
        "Qureshi", "Rind", "Samo", "Talpur", "Unar"]
CRAFTS = ["Ajrak", "Rilli", "Blue pottery", "Phulkari", "Wood carving", "Ajrak; Sindhi embroidery"]
LANGUAGES = ["Sindhi, Urdu", "Urdu", "Punjabi", "Saraiki, Urdu", "Sindhi"]
ROWS = 500


def good_row(k: int) -> dict[str, object]:
    """A valid row: a unique name per district (a name repeats after 300 rows, in another district)."""
    district, province = DISTRICTS[k % len(DISTRICTS)]
    household = k % 7 == 3
    return {
        "Name": f"{FIRST[k % 20]} {LAST[(k // 20) % 15]}", "Name (Urdu)": "", "Name (Hindi)": "", "Name (Roman)": "",
        "Type": "Household" if household else "Individual", "Members": 4 if household else "",
        "Craft": CRAFTS[k % len(CRAFTS)], "District": district, "Province": province,
        "Languages": LANGUAGES[k % len(LANGUAGES)], "Since": 1970 + k % 45,
        "Consent date": dt.date(2026, 1 + k % 10, 1 + k % 28), "Recorded by": "smeda-hyderabad",
        "Phone": f"0300-{1000000 + k:07d}", "CNIC": f"4{k:04d}-{2000000 + k:07d}-{k % 10}",
    }


def first_row_of(k: int) -> int:
    return k + 2  # the header is row 1


DEFECT_AT = [30 + 20 * j for j in range(20)]


def roster_rows() -> tuple[list[dict[str, object]], set[tuple[int, str]]]:
    """The 500 rows, and the (row, header) of each deliberate defect."""
    rows = [good_row(k) for k in range(ROWS)]
    # Rows that are right, though unusual.
    rows[5].update({"Name": "", "Name (Urdu)": "نسیم اختر"})  # Urdu only: an ASCII slug all the same
    rows[6].update({"Name": "", "Name (Urdu)": "رضیہ سلطانہ", "Name (Roman)": "Razia Sultana"})
    for k in (10, 11):  # two people of one name in one district: their phone numbers tell them apart
        rows[k].update({"Name": "Ghulam Fatima", "District": "Thatta", "Province": "Sindh"})
    rows[12].update({"Name": "Farzana Yousaf", "District": "Multan", "Province": "Punjab"})  # slug taken in Lahore
    rows[20].update({"District": "Badin", "Province": "Sindh"})
    defects: list[tuple[str, dict[str, object]]] = [
        ("Craft", {"Craft": "Basket weaving"}),  # no such craft
        ("Consent date", {"Consent date": "31/02/2026"}),  # no such day
        ("Consent date", {"Consent date": dt.date(2027, 1, 1)}),  # in the future
        ("Name", {"Name": ""}),  # no name at all
        ("Province", {"District": "Thatta", "Province": "Punjab"}),  # the registry puts Thatta in Sindh
        ("Name", {"Name": rows[40]["Name"], "District": rows[40]["District"], "Province": rows[40]["Province"],
                  "Phone": "", "CNIC": ""}),  # row 42 again
        ("Name", {"Name": "Shazia Bibi", "District": "Thatta", "Province": "Sindh"}),  # in the catalog, other crafts
        ("Name", {"Name": "Sakina Mallah 41303-7654321-9"}),  # a CNIC in a public column
        ("Consent date", {"Consent date": ""}),  # consent not recorded
        ("Since", {"Since": "nineteen ninety"}),
        ("Since", {"Since": 2030}),  # a year to come
        ("Languages", {"Languages": "Klingon"}),
        ("Members", {"Type": "Household", "Members": 0}),
        ("Type", {"Type": "Company", "Members": ""}),
        ("Craft", {"Craft": ""}),
        ("District", {"District": ""}),
        ("Province", {"District": "Badin", "Province": "Punjab"}),  # row 22 put Badin in Sindh
        ("Name", {"CNIC": rows[60]["CNIC"]}),  # the same CNIC as row 62: the same person, another spelling
        ("Recorded by", {"Recorded by": "r" * 70}),  # a handle is at most 64 characters
        ("District", {"District": "ٹھٹہ"}),  # no Latin letters for the district's folder name
    ]
    expected = set()
    for k, (header, change) in zip(DEFECT_AT, defects):
        rows[k].update(change)
        expected.add((first_row_of(k), header))
    return rows, expected


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row.values()])
    path.write_bytes(text.getvalue().encode("utf-8-sig"))  # as Excel writes "CSV UTF-8": with a BOM


def write_xlsx(path: Path, rows: list[dict[str, object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Artisans"
    sheet.append(HEADERS)
    for k, row in enumerate(rows):
        # Dates as date cells in even rows and as text (the mapping's date_format) in odd ones.
        sheet.append([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) and k % 2 else v for v in row.values()])
    book.save(path)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The sample's settings and registries, and two of its artisans (Shazia Bibi, Farzana Yousaf)."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "artisans" / "_registry", root / "artisans" / "_registry")
    for artisan in ("pk/thatta/shazia-bibi", "pk/lahore/farzana-yousaf"):
        shutil.copytree(REPO / "artisans" / artisan, root / "artisans" / artisan)
    (root / "content").mkdir()
    return root / "mkdocs.yml"


def run(config: Path, roster: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_import(config_file=config, roster=roster, mapping=MAPPING, dry_run="--dry-run" in extra, now=NOW,
                      out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def tree(root: Path, skip: Path) -> dict[str, bytes]:
    """Every file of the site but the engine's cache, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and skip not in p.parents}


def located_errors(err: str, roster: Path) -> list[tuple[int, int, str]]:
    pattern = re.compile(rf"^{re.escape(str(roster))}:(\d+):(\d+): error: (.*)$", re.MULTILINE)
    return [(int(m[1]), int(m[2]), m[3]) for m in pattern.finditer(err)]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_roster_of_500_rows_with_20_defects(site: Path, tmp_path: Path, kind: str) -> None:
    rows, expected = roster_rows()
    roster = tmp_path / f"roster.{kind}"
    (write_xlsx if kind == "xlsx" else write_csv)(roster, rows)
    settings = settings_for(site)
    root = site.parent

    before = tree(root, settings.cache_dir)
    code, out, err = run(site, roster, "--dry-run")
    assert code == 1
    assert tree(root, settings.cache_dir) == before, "a dry run writes nothing"
    assert out.count("would write ") == 480 and "dry run: nothing was written" in out

    code, out, err = run(site, roster)
    assert code == 1  # rows had errors
    errors = located_errors(err, roster)
    assert len(errors) == 20, err
    # Each at its row and column, the column named by letter and header.
    columns = {header: col for col, header in enumerate(HEADERS, start=1)}
    assert {(row, col) for row, col, _ in errors} == {(row, columns[h]) for row, h in expected}, err
    for _, col, message in errors:
        assert message.endswith(f'(column {column_letter(col)} "{HEADERS[col - 1]}")'), message
    assert f"{roster}: 500 row(s): imported 480, 0 imported before (skipped), 20 not imported" in out

    catalog = root / "artisans"
    made = sorted(p for p in catalog.glob("*/*/*/index.md")
                  if p.parent.name not in ("shazia-bibi", "farzana-yousaf"))
    assert len(made) == 480
    result = check_site(settings, now=NOW)
    assert [str(d) for d in result.diagnostics if d.is_error] == []
    assert result.catalog is not None and len(result.catalog.artisans) == 482

    # What a programme's roster asks of the files.
    nasim = next(p for p in made if "نسیم اختر" in p.read_text("utf-8"))
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", nasim.parent.name), nasim  # an ASCII slug from Urdu alone
    assert (catalog / "pk/swat/razia-sultana/index.md").is_file()  # the romanized column names the folder
    assert {p.parent.name for p in (catalog / "pk/thatta").glob("ghulam-fatima*/index.md")} == {
        "ghulam-fatima", "ghulam-fatima-thatta"}
    assert (catalog / "pk/multan/farzana-yousaf-multan/index.md").is_file()  # its slug is taken in Lahore
    text = (catalog / "pk/thatta/shazia-bibi/index.md").read_bytes()
    assert text == (REPO / "artisans/pk/thatta/shazia-bibi/index.md").read_bytes()  # never overwritten
    first = made[0].read_text("utf-8")
    assert f"added: {NOW.date().isoformat()}" in first and "consent:" in first

    # The private columns reach no file and no output, however the numbers are written.
    written = b"".join(p.read_bytes() for p in catalog.rglob("*") if p.is_file())
    for row in rows:
        for header in ("Phone", "CNIC"):
            value = str(row[header])
            for form in {value, value.replace("-", "")} - {""}:
                assert form.encode() not in written and form not in out + err, (header, row["Name"])

    # Again, the next day: nothing changes; the 20 are reported again, the 480 recognised.
    after = tree(root, settings.cache_dir)
    out2, err2 = io.StringIO(), io.StringIO()
    code2 = run_import(config_file=site, roster=roster, mapping=MAPPING, dry_run=False,
                       now=NOW + dt.timedelta(days=1), out=out2, err=err2)
    assert code2 == 1
    assert tree(root, settings.cache_dir) == after
    assert [e[:2] for e in located_errors(err2.getvalue(), roster)] == [e[:2] for e in errors]
    assert "imported 0, 480 imported before (skipped), 20 not imported" in out2.getvalue()


def test_sample_roster_and_mapping_import_cleanly(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = FIXTURES / "roster.csv"
    assert roster.read_bytes().startswith(b"\xef\xbb\xbf")  # saved as Excel's "CSV UTF-8"
    code = main(["import", str(roster), "--map", str(MAPPING), "-f", str(site), "--now", NOW.isoformat()])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "5 row(s): imported 5" in out
    assert check_site(settings_for(site), now=NOW).ok
    text = (site.parent / "artisans/pk/thatta/rukhsana-bano/index.md").read_text("utf-8")
    assert 'ur: "رخسانہ بانو"' in text and 'crafts: ["ralli-quilting"]' in text
    assert "given: 2026-01-15" in text and 'programs: ["smeda"]' in text


def test_mapping_problems_are_located_in_the_mapping(site: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("columns:\n  name: Nmae\n  crafts: Craft\n  district: District\n"
                       "  consent.recorded_by: Recorded by\nconstants:\n  country: pk\n  consent.given: 2026-01-01\n",
                       "utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run_import(config_file=site, roster=FIXTURES / "roster.csv", mapping=mapping, dry_run=False, now=NOW,
                      out=out, err=err)
    assert code == 1
    text = err.getvalue()
    assert f"{mapping}:2:9: error: `columns.name`: " in text and "did you mean `Name`?" in text
    assert f"{mapping}:8:3: error: `consent.given` cannot be a constant" in text
    assert "nothing gives `consent.given`: map it to a column" in text
    assert "nothing was imported" in text
    assert not list((site.parent / "artisans").glob("pk/thatta/rukhsana-bano"))


def test_story_column_and_a_wrong_constant(site: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Hindi,District,Craft,Consent,Story\n"
                      'Sita Devi,सीता देवी,Multan,blue-pottery,2026-03-01,"She paints *blue pottery*.\n\nShe learned '
                      'it from her father."\n'
                      'Rani Bai,,Multan,blue-pottery,2026-03-02,"Her tiles are known.\nShe likes <b>bold</b> blues."\n',
                      "utf-8")
    mapping = tmp_path / "mapping.yml"
    base = ("columns:\n  name: Name\n  name.hi: Hindi\n  district: District\n  crafts: Craft\n"
            "  consent.given: Consent\n  story: Story\nconstants:\n  country: pk\n  consent.recorded_by: sana\n")
    mapping.write_text(base + "  programs: [smedaa]\n", "utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_import(config_file=site, roster=roster, mapping=mapping, dry_run=False, now=NOW, out=out,
                      err=err) == 1
    # A wrong constant is one error, at the mapping's line, though every row is refused for it.
    assert err.getvalue().count("smedaa") == 1 and f"{mapping}:11:13: error:" in err.getvalue()
    assert "imported 0, 0 imported before (skipped), 2 not imported" in out.getvalue()

    mapping.write_text(base, "utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_import(config_file=site, roster=roster, mapping=mapping, dry_run=False, now=NOW, out=out,
                      err=err) == 1
    problems = located_errors(err.getvalue(), roster)
    assert [p[:2] for p in problems] == [(3, 6), (3, 6)]  # `<b>` and `</b>`, in the story's cell
    assert all("raw HTML" in p[2] and p[2].endswith('(column F "Story")') for p in problems)
    text = (site.parent / "artisans/pk/multan/sita-devi/index.md").read_text("utf-8")
    assert 'hi: "सीता देवी"' in text
    assert text.endswith("---\n\nShe paints *blue pottery*.\n\nShe learned it from her father.\n")


def test_country_and_district_words_translated_by_the_mapping(site: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Country,District,Craft,Consent\n"
                      "Amina Khoso,Pakistan,ٹھٹہ,Ajrak,2026-03-01\n"
                      "Bashir Rind,Narnia,Thatta,Ajrak,2026-03-01\n", "utf-8")
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("columns: {name: Name, country: Country, district: District, crafts: Craft, "
                       "consent.given: Consent}\n"
                       "values:\n  country: {Pakistan: pk}\n  district: {ٹھٹہ: Thatta}\n"
                       "  crafts: {ajrak: ajrak-block-printing}\n"
                       "constants: {consent.recorded_by: sana}\n", "utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_import(config_file=site, roster=roster, mapping=mapping, dry_run=False, now=NOW, out=out,
                      err=err) == 1
    problems = located_errors(err.getvalue(), roster)
    # No province column: the registry gives it, for a district of a country it knows.
    assert [p[:2] for p in problems] == [(3, 2), (3, 3)], err.getvalue()
    assert "ISO 3166-1" in problems[0][2] and problems[0][2].endswith('(column B "Country")')
    text = (site.parent / "artisans/pk/thatta/amina-khoso/index.md").read_text("utf-8")
    assert 'district: "Thatta"' in text and 'province: "Sindh"' in text  # the province from the registry


@pytest.mark.unlocated("folder-cap", reason="a site-wide folder over this test's tiny cap is the settings' doing")
def test_the_check_after_an_import_reads_the_districts_written_and_finds_their_problems(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second check (of what was written) reads the districts written to, whole, and not the rest of
    the catalog; a rule no row can break alone (a district folder over the host's cap) is still reported
    at the imported entry, and the command fails."""
    import karigar.commands.import_roster as command

    config = site.read_text("utf-8")
    assert "folder_cap" not in config
    site.write_text(config.replace("      languages: [en, ur, hi]", "      languages: [en, ur, hi]\n      folder_cap: 4"),
                    "utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,District,Province,Craft,Consent\n" + "".join(
        f"{name},Badin,Sindh,Ajrak,2026-03-01\n" for name in ("Amina Khoso", "Bashir Rind", "Dilshad Samo",
                                                               "Ejaz Unar")), "utf-8")
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("columns: {name: Name, district: District, province: Province, crafts: Craft, "
                       "consent.given: Consent}\nvalues:\n  crafts: {ajrak: ajrak-block-printing}\n"
                       "constants: {country: pk, consent.recorded_by: sana}\n", "utf-8")
    scopes = []
    whole_check = command.check_site

    def recorded(*args: object, **kwargs: object) -> object:
        scopes.append(kwargs.get("scope"))
        return whole_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "check_site", recorded)
    out, err = io.StringIO(), io.StringIO()
    code = run_import(config_file=site, roster=roster, mapping=mapping, dry_run=False, now=NOW, out=out, err=err)
    assert "imported 4" in out.getvalue()
    assert code == 1, err.getvalue()
    assert re.search(r"^artisans/pk/badin/[a-z-]+/index\.md:1:1: error: output folder `artisans/pk/badin` would hold 5 "
                     "entries", err.getvalue(), re.MULTILINE), err.getvalue()
    assert "the imported entries have errors" in err.getvalue()
    before, after = scopes
    assert before is None, "the check before the import reads the whole catalog (its names and registries)"
    assert after is not None and after.districts == {("pk", "badin")} and not after.artisans
