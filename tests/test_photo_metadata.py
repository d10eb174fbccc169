"""Photos are clean before they are public: found by `karigar check`, cleaned losslessly by `karigar photos clean`.

A photo pushed in a pull request is public on the Git host at once, so its
GPS tags, maker notes, XMP and IPTC are an error in `karigar check` (at the
entry that shows it) and a warning in a build, which publishes a copy
without them either way.  `karigar photos clean` cuts them out of the file
without touching the picture: the decoded pixels AND the compressed image
data are the same bytes before and after; the orientation tag and the
colour profile stay.

Every photo here is made with Pillow, in each of JPEG, PNG and WebP, with
the metadata a phone or a photo editor writes (IPTC in a JPEG's APP13 and
in ImageMagick's PNG text chunk; WebP has no place for IPTC).
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from karigar.cli import main
from karigar.commands.check import run_check
from karigar.commands.photos import run_photos_clean
from karigar.demo.photos import photo_palette
from karigar.diagnostics import Diagnostic
from karigar.pipeline import BuildResult, UpToDate, build_to_disk, check_site
from karigar.photos.cache import PhotoCache
from karigar.photos.metadata import scan_metadata
from karigar.photos.sources import photo_params
from karigar.errors import PhotoError
from karigar.photos.strip import clean_photo
from tests.conftest import NOW, REPO, settings_for
from tests.realsite import copy_sample
from tests.test_photos import FOLDER, GPS, XMP, adobe_rgb_profile, assert_clean, iptc_segment, photo_site

FORMATS = ("JPEG", "PNG", "WEBP")
KINDS = ("gps", "maker-notes", "xmp", "iptc")
EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ICC = adobe_rgb_profile()
MAKER_NOTE = b"Apple iOS\x00\x00\x01MM serial 0042 near Makli"


# -- making test photos ----------------------------------------------------------
def _exif(*, orientation: int, gps: bool, maker: bool) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    if maker:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.MakerNote: MAKER_NOTE}
    return exif.tobytes()


def _raw_profile(name: str, data: bytes) -> str:
    """ImageMagick's PNG text form of a profile: name, length, then the bytes in hex."""
    hexed = data.hex()
    return f"\n{name}\n{len(data):8d}\n" + "\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72)) + "\n"


def make_photo(fmt: str, kinds: frozenset[str] | set[str] = frozenset(KINDS), *, orientation: int = 6,
               icc: bool = True, size: tuple[int, int] = (48, 32)) -> bytes:
    """A photo in ``fmt`` carrying ``kinds`` (IPTC is left out of a WebP), an orientation and a profile."""
    im = Image.new("RGB", size)
    im.putdata([((x * 37 + y * 11) % 256, (x * y) % 256, (x * 5 + y * 23) % 256)
                for y in range(size[1]) for x in range(size[0])])  # busy pixels: real compressed data
    exif = _exif(orientation=orientation, gps="gps" in kinds, maker="maker-notes" in kinds)
    options: dict[str, object] = {"exif": exif}
    if icc:
        options["icc_profile"] = ICC
    out = io.BytesIO()
    if fmt == "PNG":
        info = PngInfo()
        info.add_text("Software", "PhotoApp 2")  # an ordinary text chunk: kept
        if "xmp" in kinds:
            info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        if "iptc" in kinds:
            record = iptc_segment()[4 + 14:]  # the 8BIM resources of the APP13 segment
            info.add_text("Raw profile type iptc", _raw_profile("iptc", record), zip=True)
        im.save(out, "PNG", pnginfo=info, **options)
    elif fmt == "WEBP":
        im.save(out, "WEBP", quality=90, xmp=XMP if "xmp" in kinds else b"", **options)
    else:
        im.save(out, "JPEG", quality=92, xmp=XMP if "xmp" in kinds else b"", **options)
    data = out.getvalue()
    if fmt == "JPEG" and "iptc" in kinds:
        data = data[:2] + iptc_segment() + data[2:]
    return data


def expected(fmt: str, kinds: frozenset[str] | set[str]) -> frozenset[str]:
    return frozenset(kinds) - ({"iptc"} if fmt == "WEBP" else set())


# -- what is the picture: read independently of the code under test --------------------------
def image_data(data: bytes) -> bytes:
    """The compressed picture and its coding tables: every byte a decoder turns into pixels."""
    if data[:2] == b"\xff\xd8":  # every segment but APPn/COM up to the first scan, then the scans themselves
        pos, kept = 2, b""
        while data[pos + 1] != 0xDA:
            marker, size = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
            if not (0xE0 <= marker <= 0xEF or marker == 0xFE):
                kept += data[pos:pos + 2 + size]
            pos += 2 + size
        return kept + data[pos:]
    if data[:4] == b"\x89PNG":
        pos, kept = 8, b""
        while pos < len(data):
            size, kind = struct.unpack(">I", data[pos:pos + 4])[0], data[pos + 4:pos + 8]
            if kind in (b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"):
                kept += data[pos:pos + 12 + size]
            pos += 12 + size
        return kept
    pos, kept = 12, b""
    while pos < len(data):
        kind, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if kind in (b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF"):
            kept += data[pos:pos + 8 + size + (size & 1)]
        pos += 8 + size + (size & 1)
    return kept


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.tobytes()


def exif_of(data: bytes) -> dict[int, object]:
    with Image.open(io.BytesIO(data)) as im:
        return dict(im.getexif())


def icc_of(data: bytes) -> bytes | None:
    with Image.open(io.BytesIO(data)) as im:
        return im.info.get("icc_profile")


def assert_lossless(before: bytes, after: bytes) -> None:
    assert image_data(after) == image_data(before)
    assert pixels(after) == pixels(before)


# -- detection --------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_metadata_is_found_in_each_format(fmt: str, kind: str) -> None:
    data = make_photo(fmt, {kind})
    assert scan_metadata(io.BytesIO(data)) == expected(fmt, {kind})


@pytest.mark.parametrize("fmt", FORMATS)
def test_orientation_camera_model_and_a_profile_are_not_findings(fmt: str) -> None:
    assert scan_metadata(io.BytesIO(make_photo(fmt, set()))) == frozenset()
    # A phone with location turned off may still write a GPS IFD holding only the version.
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSVersionID: b"\x02\x02\x00\x00"}
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, fmt, exif=exif.tobytes())
    assert scan_metadata(io.BytesIO(out.getvalue())) == frozenset()


def test_demo_photos_and_the_sample_sites_photos_carry_no_metadata() -> None:
    """The existing suite builds both: neither may trip the new error (checked, not cleaned)."""
    products, portraits = photo_palette()
    assert all(scan_metadata(io.BytesIO(p)) == frozenset() for p in products + portraits)
    out, err = io.StringIO(), io.StringIO()
    assert run_photos_clean([REPO / "artisans"], check=True, out=out, err=err) == 0, out.getvalue() + err.getvalue()
    assert "0 carry metadata" in out.getvalue()


# -- karigar check and karigar build --------------------------------------------------
ARTISAN_PHOTO = f"{FOLDER}/index.md:3:8"  # `photo: {src: ...}` in tests.test_photos.ARTISAN


def metadata_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == "photo-metadata"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_reports_each_kind_as_an_error_at_the_entry_that_shows_the_photo(make_site, fmt: str) -> None:  # type: ignore[no-untyped-def]
    name = f"shazia.{EXT[fmt]}"
    root = photo_site(make_site, make_photo(fmt), name=name)
    settings = settings_for(root / "mkdocs.yml", cache_dir=root / "cache")
    out, err = io.StringIO(), io.StringIO()
    assert run_check(config_file=root / "mkdocs.yml", now=NOW, fmt="text", out=out, err=err) == 1
    text = err.getvalue()
    path = f"{FOLDER}/photos/{name}"
    line = next(line for line in text.splitlines() if f"photo `{path}` carries" in line)
    assert line.startswith(f"{ARTISAN_PHOTO}: error: photo `{path}` carries "), line
    for words in ("GPS location", "camera maker notes", "XMP metadata") + (("IPTC metadata",) if fmt != "WEBP" else ()):
        assert words in line, (words, line)
    assert "also shown in 1 more place" in line  # the product shows it too: reported once, at the first
    assert f"karigar photos clean {path}" in text  # the hint names the command
    # One kind alone is named alone.
    (root / path).write_bytes(make_photo(fmt, {"gps"}))
    found = metadata_diagnostics(check_site(settings, now=NOW).diagnostics)
    assert [(str(d.location), d.severity.value) for d in found] == [(ARTISAN_PHOTO, "warning")]
    assert "carries GPS location: the file in the repository is public" in found[0].message


@pytest.mark.unlocated("photo-metadata", reason="a photo no entry shows has no line: the problem is the file itself")
def test_a_photo_no_entry_shows_is_still_reported_since_it_is_public_in_the_repository(make_site) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, make_photo("JPEG", set()))
    stray = f"{FOLDER}/photos/old-portrait.jpg"
    (root / stray).write_bytes(make_photo("JPEG", {"gps"}))
    out, err = io.StringIO(), io.StringIO()
    assert run_check(config_file=root / "mkdocs.yml", now=NOW, fmt="text", out=out, err=err) == 1
    assert f"{stray}: error: photo `{stray}` carries GPS location" in err.getvalue()


def test_build_warns_publishes_a_clean_copy_and_keeps_warning_when_warm(make_site) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, make_photo("JPEG"))
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / "cache")
    first = build_to_disk(settings, now=NOW, jobs=1)
    assert isinstance(first, BuildResult) and first.ok
    assert [str(d.location) for d in metadata_diagnostics(first.check.diagnostics)] == [ARTISAN_PHOTO]
    assert all(not d.is_error for d in first.check.diagnostics)
    assert_clean((root / "site" / FOLDER / "photos/shazia.jpg").read_bytes())  # the published file
    # The finding is recorded in the photo index: a warm build reads it there, not from the photo.
    index = PhotoCache(settings.cache_dir / "photos", photo_params(settings)).index()
    digest = next(iter(index._raw))
    entry = index.get(digest)
    assert entry is not None and entry.metadata == {"gps", "maker-notes", "xmp", "iptc"}
    warm = check_site(settings, now=NOW)
    assert [str(d.location) for d in metadata_diagnostics(warm.diagnostics)] == [ARTISAN_PHOTO]
    # Nothing changed: the stamp answers, with the warning still said.
    again = build_to_disk(settings, now=NOW, jobs=1)
    assert isinstance(again, UpToDate)
    assert [str(d.location) for d in metadata_diagnostics(list(again.stamp.diagnostics))] == [ARTISAN_PHOTO]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Volunteer", "-c", "user.email=volunteer@example.org",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_quick_build_keeps_the_warning_and_an_edit_of_the_entry_showing_the_photo_says_it_again(
        tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "site", districts=("pk/thatta",))
    portrait = "artisans/pk/thatta/shazia-bibi/photos/portrait.jpg"
    (root / portrait).write_bytes(make_photo("JPEG", {"gps"}, size=(96, 72)))
    # One featured artisan and two cards a page, as in tests/test_quick_build.py: most entries are on
    # no page but their own and a listing's, so an edit of one takes the quick path.
    for old, new in (("per_page: 50", "per_page: 2"), ("featured_limit: 12", "featured_limit: 1")):
        config = root / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace(old, new), "utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".karigar-cache")

    def warnings_of(result: BuildResult | UpToDate) -> list[str]:
        assert isinstance(result, BuildResult) and result.ok
        return [str(d.location) for d in metadata_diagnostics(result.check.diagnostics)]

    at = ["artisans/pk/thatta/shazia-bibi/index.md:9:3"]  # `src: photos/portrait.jpg`
    full = build_to_disk(settings, now=NOW, jobs=1)
    assert warnings_of(full) == at and isinstance(full, BuildResult) and full.quick is None
    other = root / "artisans/pk/thatta/khatri-ajrak-family/products/ajrak-table-runner.md"
    other.write_text(other.read_text("utf-8").replace("amount: 2200", "amount: 2350"), "utf-8")
    quick = build_to_disk(settings, now=NOW, jobs=1)
    assert warnings_of(quick) == at and isinstance(quick, BuildResult) and quick.quick == 1
    own = root / "artisans/pk/thatta/shazia-bibi/index.md"
    own.write_text(own.read_text("utf-8").rstrip("\n") + "\n\nShe teaches her nieces.\n", "utf-8")
    assert warnings_of(build_to_disk(settings, now=NOW, jobs=1)) == at


# -- karigar photos clean ---------------------------------------------------------------
def clean(*paths: Path, check: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_photos_clean(list(paths), check=check, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_removes_the_metadata_losslessly_keeping_orientation_and_profile(tmp_path: Path, fmt: str) -> None:
    before = make_photo(fmt)
    photo = tmp_path / "photos" / f"quilt.{EXT[fmt]}"
    photo.parent.mkdir()
    photo.write_bytes(before)
    photo.chmod(0o640)

    assert clean(photo, check=True)[0] == 1
    assert photo.read_bytes() == before  # --check writes nothing
    code, out, err = clean(tmp_path)  # a folder is walked
    assert (code, err) == (0, "")
    named = ("GPS location, camera maker notes and XMP metadata" if fmt == "WEBP"
             else "GPS location, camera maker notes, XMP metadata and IPTC metadata")
    assert f"{photo}: removed {named} (orientation kept)" in out, out
    after = photo.read_bytes()
    assert len(after) < len(before)
    assert scan_metadata(io.BytesIO(after)) == frozenset()
    assert_lossless(before, after)
    assert exif_of(after) == {ExifTags.Base.Orientation: 6}  # the camera model went with the GPS
    assert icc_of(after) == ICC
    for gone in (b"PhoneCo", b"Makli", b"xpacket", b"8BIM", b"Raw profile type iptc"):
        assert gone not in after, gone
    assert photo.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in photo.parent.iterdir()) == [photo.name]  # no temporary file left

    # Idempotent: nothing left to remove, so the file is not rewritten.
    assert clean(photo) == (0, "1 photo: 0 cleaned, 1 already clean\n", "")
    assert photo.read_bytes() == after
    assert clean(photo, check=True)[0] == 0
    # Pillow decodes it as before, upright by the kept orientation.
    with Image.open(io.BytesIO(after)) as im:
        assert im.format == fmt and im.size == (48, 32)


def test_a_webp_keeps_valid_flags_and_riff_size(tmp_path: Path) -> None:
    cleaned = clean_photo(make_photo("WEBP")).data
    assert struct.unpack("<I", cleaned[4:8])[0] == len(cleaned) - 8
    assert cleaned[12:16] == b"VP8X"
    flags = cleaned[20]
    assert flags & 0x08 and not flags & 0x04 and flags & 0x20  # EXIF (orientation) and ICC left, XMP gone
    # Without an orientation there is no EXIF left, and its flag goes too.
    bare = clean_photo(make_photo("WEBP", orientation=0)).data
    assert b"EXIF" not in bare and not bare[20] & 0x0C


def test_a_png_text_chunk_that_is_not_metadata_is_kept_and_the_new_exif_chunk_is_valid() -> None:
    cleaned = clean_photo(make_photo("PNG")).data
    with Image.open(io.BytesIO(cleaned)) as im:
        im.load()  # Pillow checks every chunk's CRC
        assert im.info.get("Software") == "PhotoApp 2"
    where = cleaned.index(b"eXIf")
    size = struct.unpack(">I", cleaned[where - 4:where])[0]
    body = cleaned[where + 4:where + 4 + size]
    assert struct.unpack(">I", cleaned[where + 4 + size:where + 8 + size])[0] == zlib.crc32(b"eXIf" + body)


def test_clean_reports_unreadable_files_and_carries_on(tmp_path: Path) -> None:
    good = tmp_path / "a.jpg"
    good.write_bytes(make_photo("JPEG", {"gps"}))
    damaged = tmp_path / "b.jpg"
    damaged.write_bytes(b"not a photo at all")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", "utf-8")
    code, out, err = clean(tmp_path, notes, tmp_path / "missing.png")
    assert code == 1
    assert f"{damaged}: error: not a JPEG, PNG or WebP image" in err
    assert f"{notes}: error: not a .jpg, .jpeg, .png or .webp photo" in err
    assert "missing.png: error: no such file or folder" in err
    assert f"{good}: removed GPS location (orientation kept)" in out  # the good one is still cleaned
    assert scan_metadata(io.BytesIO(good.read_bytes())) == frozenset()


def test_after_clean_check_passes(make_site) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, make_photo("JPEG"))
    out, err = io.StringIO(), io.StringIO()
    assert run_check(config_file=root / "mkdocs.yml", now=NOW, fmt="text", out=out, err=err) == 1
    assert clean(root / "artisans")[0] == 0
    out, err = io.StringIO(), io.StringIO()
    assert run_check(config_file=root / "mkdocs.yml", now=NOW, fmt="text", out=out, err=err) == 0, err.getvalue()
    assert "photo-metadata" not in err.getvalue()


@given(fmt=st.sampled_from(FORMATS), kinds=st.sets(st.sampled_from(KINDS)),
       orientation=st.integers(0, 8), icc=st.booleans())
def test_clean_removes_exactly_what_was_found_and_nothing_of_the_picture(
        fmt: str, kinds: set[str], orientation: int, icc: bool) -> None:
    before = make_photo(fmt, kinds, orientation=orientation, icc=icc, size=(24, 16))
    found = scan_metadata(io.BytesIO(before))
    assert found == expected(fmt, kinds)
    result = clean_photo(before)
    assert result.removed == found
    if not found:
        assert result.data == before  # a clean photo is never rewritten
        return
    after = result.data
    assert scan_metadata(io.BytesIO(after)) == frozenset()
    assert_lossless(before, after)
    assert icc_of(after) == (ICC if icc else None)
    kept = exif_of(after)
    if "gps" in kinds or "maker-notes" in kinds:
        assert kept == ({ExifTags.Base.Orientation: orientation} if orientation else {})
    else:  # EXIF without GPS or maker notes is not what clean removes
        assert kept == exif_of(before)
    assert clean_photo(after).data == after


@given(fmt=st.sampled_from(FORMATS), cut=st.integers(0, 4000), flips=st.lists(st.tuples(st.integers(0, 4000),
                                                                                      st.integers(0, 255)), max_size=4))
def test_a_damaged_photo_is_a_photo_error_never_a_crash(fmt: str, cut: int, flips: list[tuple[int, int]]) -> None:
    """Cut short or with bytes changed anywhere: scanning and cleaning answer, or raise PhotoError (a located
    `photo-format` error in a check, "unreadable" in the command), and never write a file still flagged."""
    data = bytearray(make_photo(fmt, size=(24, 16))[:cut or None])
    for where, value in flips:
        if where < len(data):
            data[where] = value
    try:
        scan_metadata(io.BytesIO(bytes(data)))
    except PhotoError:
        pass
    try:
        cleaned = clean_photo(bytes(data))
    except PhotoError:
        return
    assert not cleaned.changed or scan_metadata(io.BytesIO(cleaned.data)) == frozenset()


def test_the_command_line_is_karigar_photos_clean_check_paths(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The exact command the pre-commit hook and the pull-request workflow run."""
    photo = tmp_path / "p.webp"
    photo.write_bytes(make_photo("WEBP", {"xmp"}))
    assert main(["photos", "clean", "--check", str(photo)]) == 1
    assert main(["photos", "clean", str(photo)]) == 0
    assert main(["photos", "clean", "--check", str(photo)]) == 0
    assert f"{photo}: removed XMP metadata\n" in capsys.readouterr().out  # EXIF without GPS is left as it is


def test_exif_in_imagemagicks_png_text_chunk_is_inspected_and_removed() -> None:
    """ImageMagick keeps a JPEG's EXIF in a PNG as hex text (`Raw profile type exif`): GPS there is GPS."""
    info = PngInfo()
    exif = _exif(orientation=1, gps=True, maker=False)  # Pillow's bytes start with "Exif\0\0", as ImageMagick's do
    info.add_text("Raw profile type exif", _raw_profile("exif", exif), zip=True)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(out, "PNG", pnginfo=info)
    before = out.getvalue()
    assert scan_metadata(io.BytesIO(before)) == {"gps"}
    cleaned = clean_photo(before)
    assert cleaned.removed == {"gps"} and b"Raw profile type exif" not in cleaned.data
    assert_lossless(before, cleaned.data)
    # Without GPS or maker notes the chunk is no finding, and stays.
    info = PngInfo()
    info.add_text("Raw profile type exif", _raw_profile("exif", _exif(orientation=1, gps=False, maker=False)), zip=True)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    assert scan_metadata(io.BytesIO(out.getvalue())) == frozenset()
