"""Photos: no metadata reaches the site (GPS above all), upright and sRGB, responsive, cached, limited.

Every test photo is made here with Pillow, with the metadata a phone writes:
EXIF with GPS and an orientation, an XMP packet, IPTC, an ICC profile and a
comment.  Outputs are read back with Pillow and searched as raw bytes.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import struct
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, IptcImagePlugin
from PIL.PngImagePlugin import PngInfo

from karigar.commands.build import run_build
from karigar.config import Settings
from karigar.load.loader import digest_bytes
from karigar.photos.cache import PhotoCache
from karigar.photos.process import PhotoError, PhotoParams, probe_photo, process_photo, variant_plan
from karigar.pipeline import build_site, check_site
from karigar.write.funnel import DiskWriter
from tests.conftest import NOW, settings_for

FOLDER = "artisans/pk/thatta/shazia-bibi"
ARTISAN = """---
name: Shazia Bibi
photo: {{src: photos/{photo}, alt: Shazia at her frame}}
crafts: [ralli-quilting]
location: {{district: Thatta, province: Sindh}}
consent: {{given: 2025-03-01, recorded_by: volunteer-amna}}
---

Shazia stitches *ralli* quilts.{story}
"""
PRODUCT = """---
title: Ralli quilt
photos:
  - {{src: photos/{photo}, alt: A quilt of many colours}}
price: {{amount: 12000, currency: PKR}}
listings:
  - {{marketplace: etsy, id: "1234567890"}}
---

A quilt.
"""
GPS = {1: "N", 2: (24.0, 44.0, 49.6), 3: "E", 4: (67.0, 55.0, 27.3)}  # Thatta, to the metre
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="24,44.83N"/></rdf:RDF>'
       b'</x:xmpmeta><?xpacket end="w"?>')
COMMENT = b"home of Shazia, Makli road"
# Byte patterns that betray metadata in any of the three formats.
LEAKS = (b"Exif\x00\x00", b"EXIF", b"eXIf", b"adobe:ns:meta", b"xpacket", b"Photoshop 3.0", b"8BIM",
         b"ICC_PROFILE", b"ICCP", b"iCCP", b"tEXt", b"iTXt", b"zTXt", COMMENT, b"Makli")


# -- making test photos ----------------------------------------------------------
def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def adobe_rgb_profile() -> bytes:
    """A minimal ICC v2 RGB display profile with Adobe RGB (1998)'s primaries and gamma (not sRGB)."""
    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)

    name = b"Adobe-like RGB"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name) + 1) + name + b"\0" + bytes(4 + 4 + 2 + 1 + 67)
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 563)  # gamma 563/256 = 2.2
    tags = [(b"desc", desc), (b"cprt", b"text\0\0\0\0none\0"), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.60974, 0.31111, 0.01947)), (b"gXYZ", xyz(0.20528, 0.62567, 0.06087)),
            (b"bXYZ", xyz(0.14919, 0.06322, 0.74457)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        body += bytes(-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + bytes.fromhex("02100000") + b"mntrRGB XYZ " + bytes(12)
              + b"acsp" + bytes(4 + 4 + 4 + 4 + 8 + 4) + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + bytes(4 + 16 + 28))
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def iptc_segment() -> bytes:
    """An APP13 (Photoshop) segment holding IPTC: the city and the by-line."""
    record = b"".join(b"\x1c\x02" + bytes([tag]) + struct.pack(">H", len(v)) + v
                      for tag, v in ((90, b"Thatta"), (80, b"Shazia Bibi")))
    resource = b"8BIM\x04\x04\0\0" + struct.pack(">I", len(record)) + record + bytes(len(record) % 2)
    body = b"Photoshop 3.0\0" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def phone_jpeg(size: tuple[int, int] = (80, 40), *, orientation: int = 6, icc: bytes | None = None,
               colour: tuple[int, int, int] | None = None) -> bytes:
    """A JPEG as a phone writes it; left half red, right half blue unless ``colour`` fills it."""
    im = Image.new("RGB", size, colour or (220, 30, 30))
    if colour is None:
        im.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    im.save(out, "JPEG", quality=95, exif=exif.tobytes(), xmp=XMP, comment=COMMENT,
            icc_profile=icc if icc is not None else ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data = out.getvalue()
    return data[:2] + iptc_segment() + data[2:]  # IPTC right after SOI


def assert_clean(data: bytes) -> Image.Image:
    """Nothing but pixels: no EXIF, XMP, IPTC, ICC or comment, read back with Pillow and as bytes."""
    im = Image.open(io.BytesIO(data))
    assert not im.getexif(), dict(im.getexif())
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "adobe"):
        assert key not in im.info, (key, im.info)
    if im.format == "JPEG":
        assert IptcImagePlugin.getiptcinfo(im) is None
    for leak in LEAKS:
        assert leak not in data, leak
    im.load()
    return im


# -- processing -------------------------------------------------------------------
SMALL = PhotoParams(widths=(16, 32, 64))


def test_the_test_photo_carries_gps_xmp_iptc_icc_and_a_comment() -> None:
    """The fixtures really carry what the other tests say is removed."""
    im = Image.open(io.BytesIO(phone_jpeg()))
    assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo)[2] == (24.0, 44.0, 49.6)
    assert "xmp" in im.info and "icc_profile" in im.info and im.info["comment"] == COMMENT
    assert IptcImagePlugin.getiptcinfo(im)
    data = phone_jpeg()
    assert all(leak in data for leak in (b"Exif\x00\x00", b"xpacket", b"Photoshop 3.0", b"ICC_PROFILE", COMMENT))


def test_every_output_is_stripped_of_metadata_and_turned_upright() -> None:
    result = process_photo(phone_jpeg(), params=SMALL)
    kinds = [(v.kind, v.width, v.height) for v in result.variants]
    # Stored 80x40 with orientation 6: upright it is 40x80; no variant is wider than the original.
    assert kinds == [("original", 40, 80), ("webp", 16, 32), ("jpg", 16, 32), ("webp", 32, 64), ("jpg", 32, 64),
                     ("webp", 40, 80)]
    for variant in result.variants:
        im = assert_clean(variant.data)
        assert im.size == (variant.width, variant.height)
        assert im.format == {"original": "JPEG", "webp": "WEBP", "jpg": "JPEG"}[variant.kind]
        rgb = im.convert("RGB")
        # Rotated 90 degrees clockwise: the stored left (red) is now the top.
        top, bottom = rgb.getpixel((im.width // 2, 2)), rgb.getpixel((im.width // 2, im.height - 3))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (top, bottom)


def test_a_photo_wider_than_the_original_gets_a_clean_upright_picture_for_shared_links() -> None:
    # Stored 2600x1300 and turned by its orientation: upright 1300x2600, so wide enough for a 1,200 px
    # picture, which is wider than the sanitized original (1,024): one JPEG more, from the decoded photo.
    result = process_photo(phone_jpeg((2600, 1300)), params=PhotoParams())
    kinds = [(v.kind, v.width, v.height) for v in result.variants]
    assert kinds[0] == ("original", 1024, 2048) and kinds[-1] == ("jpg", 1200, 2400)
    share = assert_clean(result.variants[-1].data)
    assert share.format == "JPEG" and share.size == (1200, 2400)
    top, bottom = share.convert("RGB").getpixel((600, 4)), share.convert("RGB").getpixel((600, 2395))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # upright: red on top
    # Narrower than 1,200 px upright (or no variants made at all): no such picture.
    assert all(v.width <= 1024 for v in process_photo(phone_jpeg((2600, 1100)), params=PhotoParams()).variants)
    assert len(variant_plan(1024, 512, dataclasses.replace(PhotoParams(), variants=False), source_width=3000)) == 1


def test_output_is_byte_identical_for_the_same_input() -> None:
    data = phone_jpeg()
    assert process_photo(data, params=SMALL) == process_photo(data, params=SMALL)


def test_an_embedded_profile_is_converted_to_srgb() -> None:
    adobe = adobe_rgb_profile()
    colour = (60, 160, 60)
    data = phone_jpeg((40, 40), orientation=1, icc=adobe, colour=colour)
    flat = Image.new("RGB", (1, 1), colour)
    expected = ImageCms.profileToProfile(flat, ImageCms.ImageCmsProfile(io.BytesIO(adobe)),
                                         ImageCms.createProfile("sRGB")).getpixel((0, 0))
    assert max(abs(a - b) for a, b in zip(expected, colour)) > 20  # the profiles really differ
    original = process_photo(data, params=SMALL).original
    got = assert_clean(original.data).convert("RGB").getpixel((20, 20))
    assert max(abs(a - b) for a, b in zip(got, expected)) <= 6, (got, expected)


def test_cmyk_and_transparent_pngs_become_rgb() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 255, 255, 0)).save(out, "JPEG")
    original = process_photo(out.getvalue(), params=SMALL).original
    im = assert_clean(original.data)
    assert im.mode == "RGB" and im.getpixel((20, 15))[0] > 200

    png = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    png.paste((10, 200, 10, 255), (0, 0, 20, 30))
    info = PngInfo()
    info.add_text("Location", "Makli")
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    png.save(out, "PNG", pnginfo=info, exif=exif.tobytes(),
             icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert b"Makli" in out.getvalue() and b"eXIf" in out.getvalue()
    result = process_photo(out.getvalue(), params=SMALL)
    for variant in result.variants:
        im = assert_clean(variant.data)
        if variant.kind == "jpg":  # no alpha in JPEG: flattened on white
            assert min(im.convert("RGB").getpixel((im.width - 2, 2))) >= 245
    assert assert_clean(result.original.data).mode == "RGBA"


def test_the_original_follows_its_file_name_and_small_photos_are_not_enlarged() -> None:
    out = io.BytesIO()
    Image.new("RGB", (12, 10), "white").save(out, "PNG")
    result = process_photo(out.getvalue(), params=SMALL, original_format="JPEG")
    assert Image.open(io.BytesIO(result.original.data)).format == "JPEG"
    assert [(v.kind, v.width) for v in result.variants] == [("original", 12), ("webp", 12)]
    assert variant_plan(1000, 500, PhotoParams(widths=(320, 640), variants=False)) == (("original", 1000, 500),)


def png_header(width: int, height: int) -> bytes:
    """A PNG that only claims a size (its pixel data is a few bytes): a decompression bomb's header."""
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("data, code", [
    (png_header(100_000, 100_000), "photo-too-many-pixels"),  # Pillow's own bomb limit, from the header
    (png_header(8000, 6000), "photo-too-many-pixels"),  # over our 40 MP, under Pillow's limit
    (b"GIF89a" + bytes(40), "photo-format"),
    (b"not an image at all", "photo-format"),
])
def test_probe_refuses_bombs_and_unknown_formats_from_the_header(data: bytes, code: str) -> None:
    with pytest.raises(PhotoError) as caught:
        probe_photo(data, max_pixels=40_000_000)
    assert caught.value.code == code


def test_a_photo_cut_short_is_a_format_error_when_decoded() -> None:
    data = phone_jpeg((200, 200), orientation=1)
    with pytest.raises(PhotoError) as caught:
        process_photo(data[: len(data) // 2], params=SMALL)
    assert caught.value.code == "photo-format"


# -- the cache --------------------------------------------------------------------
def test_a_damaged_or_unfinished_cache_entry_is_detected_and_removed(tmp_path: Path) -> None:
    cache = PhotoCache(tmp_path, SMALL)
    data = phone_jpeg()
    digest = digest_bytes(data)
    entry = cache.store(digest, "JPEG", process_photo(data, params=SMALL))
    assert cache.lookup(digest, "JPEG") == entry
    assert all(cache.read_verified(f) is not None for f in entry.files)

    # A file damaged in place (same size) is caught when it is read for copying.
    victim = entry.files[1].path
    victim.write_bytes(bytes(len(victim.read_bytes())))
    assert cache.read_verified(entry.files[1]) is None

    # A file cut short, a manifest of garbage, a folder a killed build left without its manifest.
    for damage in ("truncate", "garbage", "unfinished"):
        entry = cache.store(digest, "JPEG", process_photo(data, params=SMALL))
        folder = entry.files[0].path.parent
        if damage == "truncate":
            entry.files[-1].path.write_bytes(b"x")
        elif damage == "garbage":
            (folder / "manifest.json").write_text("{not json")
        else:
            (folder / "manifest.json").unlink()
        assert cache.lookup(digest, "JPEG") is None, damage
        assert not folder.exists(), damage
    # A temporary folder of a killed build is never read as an entry.
    (tmp_path / digest[:2] / ".tmp-x").mkdir()
    assert cache.lookup(digest, "JPEG") is None


# -- whole builds -----------------------------------------------------------------
class Counter:
    """Wraps process_photo to count real processing (not timing)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes, **kwargs: object) -> object:
        self.calls += 1
        return process_photo(data, **kwargs)  # type: ignore[arg-type]


def photo_site(make_site, photo: bytes, *, name: str = "shazia.jpg", story: str = "") -> Path:  # type: ignore[no-untyped-def]
    root = make_site({
        f"{FOLDER}/index.md": ARTISAN.format(photo=name, story=story),
        f"{FOLDER}/products/ralli-quilt.md": PRODUCT.format(photo=name),
    })
    (root / FOLDER / "photos").mkdir(parents=True, exist_ok=True)
    (root / FOLDER / "photos" / name).write_bytes(photo)
    return root


def settings_of(root: Path, **changes: object) -> Settings:
    return settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / "cache", **changes)


def build(settings: Settings) -> None:
    writer = DiskWriter(settings.site_dir, settings.cache_dir / "state")
    result = build_site(settings, now=NOW, writer=writer, run_mkdocs=False, jobs=1)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]


def test_a_built_site_publishes_clean_photos_and_responsive_pictures(make_site) -> None:  # type: ignore[no-untyped-def]
    big = phone_jpeg((1400, 700))  # upright 700x1400: variants at 320 and 640, original 700 wide
    root = photo_site(make_site, big, story="\n\n![The frame](photos/shazia.jpg)")
    out, err = io.StringIO(), io.StringIO()
    assert run_build(config_file=root / "mkdocs.yml", site_dir=root / "site", now=NOW, quiet=True,
                     out=out, err=err) == 0, err.getvalue()
    site = root / "site"
    photos = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".jpg", ".webp"))
    assert photos == [f"{FOLDER}/photos/_sized/shazia.jpg-{w}.{k}" for w in (320, 640) for k in ("jpg", "webp")] \
        + [f"{FOLDER}/photos/_sized/shazia.jpg-700.webp", f"{FOLDER}/photos/shazia.jpg"]
    for rel in photos:
        im = assert_clean((site / rel).read_bytes())
        assert im.height > im.width  # upright
    assert Image.open(site / FOLDER / "photos/shazia.jpg").size == (700, 1400)

    html = (site / "artisans/pk/thatta/shazia-bibi/ralli-quilt/index.html").read_text("utf-8")
    picture = re.search(r"<picture[^>]*>.*?</picture>", html, re.S)
    assert picture, html
    url = "/artisans/pk/thatta/shazia-bibi/photos/"
    assert (f'<source type="image/webp" srcset="{url}_sized/shazia.jpg-320.webp 320w, '
            f'{url}_sized/shazia.jpg-640.webp 640w, {url}_sized/shazia.jpg-700.webp 700w" sizes=') in picture[0]
    assert f'src="{url}shazia.jpg" srcset="{url}_sized/shazia.jpg-320.jpg 320w, ' in picture[0]
    assert 'width="700" height="1400"' in picture[0] and 'fetchpriority="high"' in picture[0]
    # The artisan page's product card is below the fold: lazy.
    artisan = (site / "artisans/pk/thatta/shazia-bibi/index.html").read_text("utf-8")
    card = re.search(r'<picture class="kg-card__media">.*?</picture>', artisan, re.S)
    assert card and 'loading="lazy"' in card[0]
    # The story's Markdown image points at the sanitized original.
    assert f'<img src="{url}shazia.jpg" alt="The frame" loading="lazy">' in artisan


def test_photos_are_processed_once_across_builds(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg())
    counter = Counter()
    monkeypatch.setattr("karigar.photos.publish.process_photo", counter)
    settings = settings_of(root)
    build(settings)
    assert counter.calls == 1  # shown twice (portrait and product), made once
    build(settings)
    assert counter.calls == 1
    # A fresh site folder with the same cache: files copied again, nothing processed.
    build(dataclasses.replace(settings, site_dir=root / "site2"))
    assert counter.calls == 1
    assert_clean((root / "site2" / FOLDER / "photos/shazia.jpg").read_bytes())
    # The index lost: the entries are still found, not made again.
    for index in (root / "cache" / "photos").glob("index-*.json"):
        index.unlink()
    build(settings)
    assert counter.calls == 1


def test_a_damaged_cache_entry_is_made_again_during_a_build(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg())
    settings = settings_of(root)
    build(settings)
    good = {p.name: p.read_bytes() for p in (root / "site" / FOLDER / "photos").rglob("*") if p.is_file()}
    for cached in (root / "cache" / "photos").glob("*/*/*.webp"):
        cached.write_bytes(bytes(cached.stat().st_size))  # damaged in place
    counter = Counter()
    monkeypatch.setattr("karigar.photos.publish.process_photo", counter)
    build(dataclasses.replace(settings, site_dir=root / "fresh"))
    assert counter.calls == 1
    fresh = {p.name: p.read_bytes() for p in (root / "fresh" / FOLDER / "photos").rglob("*") if p.is_file()}
    assert fresh == good


def test_a_replaced_photo_updates_the_pages_that_show_it(make_site) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg((60, 30), orientation=1))
    settings = settings_of(root)
    build(settings)
    page = root / "site/artisans/pk/thatta/shazia-bibi/ralli-quilt/index.html"
    assert 'width="60" height="30"' in page.read_text("utf-8")
    (root / FOLDER / "photos/shazia.jpg").write_bytes(phone_jpeg((90, 30), orientation=1))
    build(settings)
    assert 'width="90" height="30"' in page.read_text("utf-8")
    assert Image.open(root / "site" / FOLDER / "photos/shazia.jpg").size == (90, 30)


def test_image_cdn_mode_publishes_only_the_clean_original(make_site) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg((1400, 700)))
    build(settings_of(root, image_cdn="netlify"))
    site = root / "site"
    assert not list(site.rglob("_sized"))
    assert_clean((site / FOLDER / "photos/shazia.jpg").read_bytes())
    html = (site / "artisans/pk/thatta/shazia-bibi/ralli-quilt/index.html").read_text("utf-8")
    url = "/artisans/pk/thatta/shazia-bibi/photos/shazia.jpg"
    assert f'srcset="/.netlify/images?url={url}&amp;w=320&amp;fm=webp 320w, ' in html
    assert f'/.netlify/images?url={url}&amp;w=700&amp;fm=webp 700w"' in html
    assert f'src="{url}" srcset="/.netlify/images?url={url}&amp;w=320&amp;fm=jpg 320w, ' in html


# -- limits, as located errors ------------------------------------------------------
def errors(root: Path, **changes: object) -> list[tuple[str, str]]:
    result = check_site(settings_of(root, **changes), now=NOW, jobs=1)
    return [(d.code, str(d.location)) for d in result.diagnostics if d.is_error]


PHOTO_LINE = f"{FOLDER}/index.md:3:"  # `photo: {src: ...}` in ARTISAN


def test_limits_are_reported_at_the_entry_that_shows_the_photo(make_site) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg())
    assert errors(root) == []
    too_large = errors(root, photo_max_bytes=100)
    assert [code for code, _ in too_large] == ["photo-too-large"]
    assert too_large[0][1].startswith(PHOTO_LINE)  # the artisan's `photo:`, its first reference
    too_many = errors(root, photo_max_pixels=1000)  # 80x40 = 3200 pixels
    assert [code for code, _ in too_many] == ["photo-too-many-pixels"] and too_many[0][1].startswith(PHOTO_LINE)

    (root / FOLDER / "photos/shazia.jpg").write_bytes(png_header(100_000, 100_000))
    assert [(c, loc[: len(PHOTO_LINE)]) for c, loc in errors(root)] == [("photo-too-many-pixels", PHOTO_LINE)]
    (root / FOLDER / "photos/shazia.jpg").write_bytes(b"\xff\xd8 this is not a JPEG")
    assert [(c, loc[: len(PHOTO_LINE)]) for c, loc in errors(root)] == [("photo-format", PHOTO_LINE)]


def test_limits_use_the_index_after_a_build(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg())
    build(settings_of(root))

    def no_probe(*args: object, **kwargs: object) -> None:
        raise AssertionError("a known photo was opened again")

    monkeypatch.setattr("karigar.photos.limits.probe_photo", no_probe)
    assert errors(root) == []
    assert [code for code, _ in errors(root, photo_max_pixels=1000)] == ["photo-too-many-pixels"]


def test_a_photo_damaged_past_its_header_stops_the_build_before_writing(make_site) -> None:  # type: ignore[no-untyped-def]
    data = phone_jpeg((300, 300), orientation=1)
    root = photo_site(make_site, data[: len(data) * 2 // 3])
    out, err = io.StringIO(), io.StringIO()
    code = run_build(config_file=root / "mkdocs.yml", site_dir=root / "site", now=NOW, quiet=True, out=out, err=err)
    assert code == 1
    assert f"{PHOTO_LINE}8: error: photo `{FOLDER}/photos/shazia.jpg`: the image data is damaged" in err.getvalue()
    assert not (root / "site").exists()


@pytest.mark.unlocated("symlink", "photo-metadata",
                       reason="a symbolic link, and a photo no entry shows any more, have no lines: the problem is the file")
def test_missing_photos_paths_out_of_the_folder_and_symlinks_are_refused(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = photo_site(make_site, phone_jpeg())
    index = root / FOLDER / "index.md"
    index.write_text(ARTISAN.format(photo="nowhere.jpg", story=""), "utf-8")
    assert errors(root) == [("image-missing", f"{PHOTO_LINE}14")]  # at the `src` value
    index.write_text(ARTISAN.format(photo="../../other/photos/x.jpg", story=""), "utf-8")
    assert errors(root) == [("image-path", f"{PHOTO_LINE}14")]

    secret = tmp_path / "secret.jpg"
    secret.write_bytes(phone_jpeg())
    link = root / FOLDER / "photos/linked.jpg"
    os.symlink(secret, link)
    index.write_text(ARTISAN.format(photo="linked.jpg", story=""), "utf-8")
    # Two errors: the link itself, which is a folder entry rather than a line of any file (so it
    # names the link, without a position), and the entry's reference to it, at the `src` value,
    # which is the line a volunteer must change.  The link is never read, so never published.
    assert sorted(errors(root)) == [("image-missing", f"{PHOTO_LINE}14"), ("symlink", f"{FOLDER}/photos/linked.jpg")]


def test_many_photos_are_made_by_worker_processes_and_duplicates_once(make_site) -> None:  # type: ignore[no-untyped-def]
    names = [f"p{i}.jpg" for i in range(10)]
    listing = "\n".join(f"  - {{src: photos/{n}, alt: Photo {n}}}" for n in names)
    root = photo_site(make_site, phone_jpeg())
    (root / FOLDER / "products/ralli-quilt.md").write_text(
        PRODUCT.format(photo="shazia.jpg").replace("  - {src: photos/shazia.jpg, alt: A quilt of many colours}", listing),
        "utf-8")
    for i, name in enumerate(names):
        # p9 has the same bytes as p8: made once, published under both names.
        colour = (20 * min(i, 8), 100, 200)
        (root / FOLDER / "photos" / name).write_bytes(phone_jpeg((64, 48), orientation=1, colour=colour))
    settings = settings_of(root)
    result = build_site(settings, now=NOW, writer=DiskWriter(settings.site_dir, settings.cache_dir / "state"),
                        run_mkdocs=False, jobs=2)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
    published = root / "site" / FOLDER / "photos"
    for name in names:
        assert assert_clean((published / name).read_bytes()).size == (64, 48)
    assert (published / "p8.jpg").read_bytes() == (published / "p9.jpg").read_bytes()
    entries = [p for p in (root / "cache" / "photos").glob("*/*") if p.is_dir() and not p.name.startswith(".")]
    assert len(entries) == 10  # shazia.jpg and p0-p8
