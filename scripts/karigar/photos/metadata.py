"""What a source photo carries besides its picture: GPS, maker notes, XMP and IPTC, found from its headers.

A photo pushed to the repository is public on the Git host at once, whatever
the site publishes (the published derivatives never carry metadata: see
:mod:`karigar.photos.process`).  This module reads the container structure of
a source file -- JPEG segments, PNG chunks, WebP (RIFF) chunks -- without
decoding a pixel, and says which of these it holds:

``gps``          an EXIF GPS IFD with any tag but GPSVersionID (a phone with
                 location turned off may write the version alone)
``maker-notes``  an EXIF MakerNote (camera makers' private data: serial numbers,
                 and on some phones the place again)
``xmp``          an XMP packet (JPEG APP1, PNG ``XML:com.adobe.xmp`` text, WebP ``XMP ``)
``iptc``         IPTC records (JPEG APP13 Photoshop resource 0x0404, or PNG raw profile text)

EXIF found in ImageMagick's PNG text chunks (``Raw profile type exif``) is
inspected like an ``eXIf`` chunk.  Other EXIF (camera model, dates) is no
finding and is left alone; the colour profile and the orientation are kept.

What is read: a JPEG's segments up to the first scan (where every writer puts
its metadata; segments between the scans of a progressive JPEG are neither
read nor changed); every chunk header of a PNG or WebP, skipping chunk bodies
by seeking, and reading only the bodies that may be metadata.  About 20-60 us
per photo from a warm page cache (:mod:`karigar.photos`).

:func:`read_layout` gives the findings and the byte span of each metadata
block, which :mod:`karigar.photos.strip` cuts out of the file.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from karigar.errors import PhotoError

__all__ = ["FINDINGS", "Block", "Layout", "read_layout", "scan_metadata", "describe", "tiff_findings"]

# Finding -> how a message names it, in the order messages list them.
FINDINGS: dict[str, str] = {
    "gps": "GPS location",
    "maker-notes": "camera maker notes",
    "xmp": "XMP metadata",
    "iptc": "IPTC metadata",
}

_XMP_JPEG = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = (b"tEXt", b"zTXt", b"iTXt")
_XMP_KEYWORDS = (b"XML:com.adobe.xmp", b"Raw profile type xmp")
_IPTC_KEYWORDS = (b"Raw profile type iptc", b"Raw profile type 8bim")
_EXIF_KEYWORDS = (b"Raw profile type exif", b"Raw profile type APP1")
# A text chunk's keyword is at most 79 bytes and ends with a NUL.
_KEYWORD_READ = 80
# Decompressed raw profiles beyond this are not inspected (EXIF fits in 64 KB in a JPEG anyway).
_MAX_PROFILE = 4 << 20

_GPS_IFD, _EXIF_IFD, _MAKER_NOTE, _ORIENTATION = 0x8825, 0x8769, 0x927C, 0x0112


@dataclass(frozen=True, slots=True)
class Block:
    """One metadata block: its kind, its byte span in the file (whole segment or chunk) and what it holds.

    ``orientation`` is the EXIF orientation (1-8) of an ``exif`` block that
    a viewer honours (a JPEG APP1, a PNG ``eXIf``, a WebP ``EXIF``), else 0.
    """

    kind: str  # exif | xmp | iptc
    start: int
    end: int
    found: frozenset[str]
    orientation: int = 0
    big_endian: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """A photo file's format and metadata blocks; ``vp8x`` is the offset of a WebP's VP8X chunk (-1: none)."""

    format: str  # JPEG | PNG | WEBP
    blocks: tuple[Block, ...]
    vp8x: int = -1

    @property
    def found(self) -> frozenset[str]:
        return frozenset().union(*(b.found for b in self.blocks))


def describe(found: Iterable[str]) -> str:
    """``GPS location, XMP metadata and IPTC metadata``: the findings in the order of :data:`FINDINGS`."""
    names = [name for key, name in FINDINGS.items() if key in set(found)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# -- EXIF (a TIFF structure) -------------------------------------------------------
def _ifd(tiff: bytes, offset: int, order: str) -> dict[int, tuple[int, int, bytes]] | None:
    """tag -> (type, count, the 4-byte value field) of the IFD at ``offset``; None when it is out of bounds."""
    if offset < 8 or offset + 2 > len(tiff):
        return None
    (count,) = struct.unpack_from(order + "H", tiff, offset)
    if offset + 2 + 12 * count > len(tiff):
        return None
    entries = {}
    for n in range(count):
        tag, kind, items = struct.unpack_from(order + "HHI", tiff, offset + 2 + 12 * n)
        entries[tag] = (kind, items, tiff[offset + 10 + 12 * n:offset + 14 + 12 * n])
    return entries


def tiff_findings(tiff: bytes) -> tuple[frozenset[str], int, bool]:
    """(findings, orientation or 0, big-endian) of an EXIF block; an optional ``Exif\\0\\0`` is skipped.

    A GPS pointer that leads nowhere readable still counts as GPS: it is
    there, and a reader more forgiving than this one may find the place.
    """
    if tiff.startswith(b"Exif\x00"):
        tiff = tiff[6:]
    if len(tiff) < 8 or tiff[:4] not in (b"II*\x00", b"MM\x00*"):
        return frozenset(), 0, False
    order = "<" if tiff[:2] == b"II" else ">"
    ifd0 = _ifd(tiff, struct.unpack_from(order + "I", tiff, 4)[0], order)
    if ifd0 is None:
        return frozenset(), 0, order == ">"
    found = set()
    orientation = 0
    if _ORIENTATION in ifd0:
        kind, _, value = ifd0[_ORIENTATION]
        number = struct.unpack(order + "H", value[:2])[0] if kind == 3 else 0
        orientation = number if 1 <= number <= 8 else 0
    if _GPS_IFD in ifd0:
        gps = _ifd(tiff, struct.unpack(order + "I", ifd0[_GPS_IFD][2])[0], order)
        if gps is None or set(gps) - {0}:
            found.add("gps")
    exif = ifd0
    if _EXIF_IFD in ifd0:
        exif = {**ifd0, **(_ifd(tiff, struct.unpack(order + "I", ifd0[_EXIF_IFD][2])[0], order) or {})}
    if _MAKER_NOTE in exif and exif[_MAKER_NOTE][1] > 0:
        found.add("maker-notes")
    return frozenset(found), orientation, order == ">"


def _has_iptc(irb: bytes) -> bool:
    """Whether Photoshop image resources (after ``Photoshop 3.0\\0``) hold IPTC (resource 0x0404).

    Resources that cannot be walked count as IPTC: the segment is removed either way.
    """
    pos = 0
    while pos + 12 <= len(irb):
        if irb[pos:pos + 4] != b"8BIM":
            return True
        (resource,) = struct.unpack_from(">H", irb, pos + 4)
        name = irb[pos + 6]
        pos += 6 + ((name + 2) & ~1)  # the Pascal name, padded to an even length with its length byte
        if pos + 4 > len(irb):
            return True
        (size,) = struct.unpack_from(">I", irb, pos)
        if resource == 0x0404:
            return True
        pos += 4 + size + (size & 1)
    return False


# -- JPEG --------------------------------------------------------------------------
def _read(handle: IO[bytes], size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise PhotoError("photo-format", "the file ends inside a metadata block")
    return data


def _jpeg_blocks(handle: IO[bytes]) -> list[Block]:
    blocks: list[Block] = []
    while True:
        start = handle.tell()
        head = handle.read(2)
        if len(head) < 2 or head[0] != 0xFF:
            return blocks  # damaged: Pillow's probe says so; nothing more is read here
        marker = head[1]
        while marker == 0xFF:  # fill bytes before a marker
            start += 1
            nxt = handle.read(1)
            if not nxt:
                return blocks
            marker = nxt[0]
        if 0xD0 <= marker <= 0xD7 or marker in (0x01, 0xD8):
            continue
        if marker in (0xD9, 0xDA):  # the end, or the first scan: metadata sits before it
            return blocks
        raw = handle.read(2)
        if len(raw) < 2 or struct.unpack(">H", raw)[0] < 2:
            return blocks
        size = struct.unpack(">H", raw)[0] - 2
        if marker not in (0xE1, 0xED):
            handle.seek(size, io.SEEK_CUR)
            continue
        body = _read(handle, size)
        end = start + 4 + size
        if marker == 0xE1 and body.startswith(b"Exif\x00"):
            found, orientation, big = tiff_findings(body)
            blocks.append(Block("exif", start, end, found, orientation, big))
        elif marker == 0xE1 and body.startswith(_XMP_JPEG):
            blocks.append(Block("xmp", start, end, frozenset({"xmp"})))
        elif marker == 0xED and body.startswith(b"Photoshop 3.0\x00") and _has_iptc(body[14:]):
            blocks.append(Block("iptc", start, end, frozenset({"iptc"})))


# -- PNG ---------------------------------------------------------------------------
def _inflate(data: bytes) -> bytes | None:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, _MAX_PROFILE)
    except zlib.error:
        return None
    return out


def _png_text(kind: bytes, body: bytes) -> bytes | None:
    """The text of a tEXt/zTXt/iTXt chunk body (None when it cannot be read)."""
    _, _, rest = body.partition(b"\x00")
    if kind == b"tEXt":
        return rest
    if kind == b"zTXt":
        return _inflate(rest[1:])
    compressed = rest[:1] == b"\x01"
    _lang, _, rest = rest[2:].partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    return _inflate(text) if compressed else text


def _raw_profile(text: bytes) -> bytes | None:
    """The bytes of an ImageMagick raw profile: ``\\n<name>\\n   <length>\\n<hex lines>``."""
    words = text.split()
    try:
        length = int(words[1])
        return bytes.fromhex(b"".join(words[2:]).decode("ascii"))[:length]
    except (IndexError, ValueError, UnicodeDecodeError):
        return None


def _png_blocks(handle: IO[bytes]) -> list[Block]:
    handle.seek(len(_PNG_SIGNATURE))
    blocks: list[Block] = []
    while True:
        start = handle.tell()
        head = handle.read(8)
        if len(head) < 8:
            return blocks
        size, kind = struct.unpack(">I", head[:4])[0], head[4:]
        end = start + 12 + size
        if kind == b"IEND":
            return blocks
        if kind == b"eXIf":
            found, orientation, big = tiff_findings(_read(handle, size))
            blocks.append(Block("exif", start, end, found, orientation, big))
        elif kind in _PNG_TEXT:
            keyword = handle.read(min(size, _KEYWORD_READ)).partition(b"\x00")[0]
            if keyword in _XMP_KEYWORDS:
                blocks.append(Block("xmp", start, end, frozenset({"xmp"})))
            elif keyword in _IPTC_KEYWORDS:
                blocks.append(Block("iptc", start, end, frozenset({"iptc"})))
            elif keyword in _EXIF_KEYWORDS:
                handle.seek(start + 8)
                text = _png_text(kind, _read(handle, size))
                profile = _raw_profile(text) if text is not None else None
                found = tiff_findings(profile)[0] if profile is not None else frozenset()
                blocks.append(Block("exif", start, end, found))  # viewers ignore its orientation: none kept
        handle.seek(end)


# -- WebP --------------------------------------------------------------------------
def _webp_blocks(handle: IO[bytes]) -> tuple[list[Block], int]:
    handle.seek(0)
    riff = _read(handle, 12)
    limit = 8 + struct.unpack("<I", riff[4:8])[0]
    blocks: list[Block] = []
    vp8x = -1
    while True:
        start = handle.tell()
        head = handle.read(8)
        if len(head) < 8 or start + 8 > limit:
            return blocks, vp8x
        kind, size = head[:4], struct.unpack("<I", head[4:])[0]
        end = start + 8 + size + (size & 1)
        if kind == b"VP8X":
            vp8x = start
        elif kind == b"EXIF":
            found, orientation, big = tiff_findings(_read(handle, size))
            blocks.append(Block("exif", start, end, found, orientation, big))
        elif kind == b"XMP ":
            blocks.append(Block("xmp", start, end, frozenset({"xmp"})))
        handle.seek(end)


# -- any photo ---------------------------------------------------------------------
def read_layout(handle: IO[bytes]) -> Layout:
    """The format and metadata blocks of a photo file, read from its first byte (spans are file offsets)."""
    handle.seek(0)
    magic = handle.read(12)
    if magic.startswith(b"\xff\xd8"):
        handle.seek(2)
        return Layout("JPEG", tuple(_jpeg_blocks(handle)))
    if magic.startswith(_PNG_SIGNATURE):
        return Layout("PNG", tuple(_png_blocks(handle)))
    if magic[:4] == b"RIFF" and magic[8:12] == b"WEBP":
        blocks, vp8x = _webp_blocks(handle)
        return Layout("WEBP", tuple(blocks), vp8x)
    raise PhotoError("photo-format", "not a JPEG, PNG or WebP image")


def scan_metadata(handle: IO[bytes]) -> frozenset[str]:
    """The findings of the photo at the handle's start; raises :class:`PhotoError` for a file of another kind."""
    try:
        return read_layout(handle).found
    except (struct.error, IndexError) as exc:
        raise PhotoError("photo-format", "the photo's metadata blocks are damaged") from exc
