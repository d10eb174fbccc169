"""Lossless cleaning of a source photo: cut the metadata blocks out, keep every byte of the picture.

No pixel is decoded or encoded: the blocks :func:`~karigar.photos.metadata.read_layout`
found are spliced out of the file and everything else -- the compressed image
data, the colour profile (JPEG APP2 ``ICC_PROFILE``, PNG ``iCCP``, WebP
``ICCP``), JFIF, Adobe and other segments -- is copied byte for byte, so the
picture is exactly the same, only the file is shorter.

What goes, only from a file that has a finding (a clean file is never changed,
so cleaning twice changes nothing the second time):

* an EXIF block with GPS or maker notes: replaced, in its place, by a minimal
  EXIF holding the orientation alone when the block had one (a photo stored
  on its side must stay upright), or removed;
* every XMP block, and every IPTC block (a JPEG's whole APP13 segment).

A WebP's VP8X flags are set to the EXIF and XMP chunks left and its RIFF size
to the new length; a PNG's new ``eXIf`` chunk gets its CRC.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

from karigar.errors import PhotoError
from karigar.photos.metadata import Block, Layout, read_layout

__all__ = ["Cleaned", "clean_photo", "minimal_exif"]

_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A photo's bytes after cleaning, what was removed and whether the orientation was kept."""

    data: bytes
    removed: frozenset[str]
    kept_orientation: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.removed)


def minimal_exif(orientation: int, *, big_endian: bool) -> bytes:
    """A TIFF structure with one IFD holding the orientation alone (no ``Exif\\0\\0`` prefix)."""
    order = ">" if big_endian else "<"
    header = (b"MM\x00*" if big_endian else b"II*\x00") + struct.pack(order + "I", 8)
    entry = struct.pack(order + "HHIHH", 0x0112, 3, 1, orientation, 0)  # SHORT, left-justified in its field
    return header + struct.pack(order + "H", 1) + entry + struct.pack(order + "I", 0)


def _exif_container(fmt: str, tiff: bytes) -> bytes:
    if fmt == "JPEG":
        body = b"Exif\x00\x00" + tiff
        return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    if fmt == "PNG":
        return struct.pack(">I", len(tiff)) + b"eXIf" + tiff + struct.pack(">I", zlib.crc32(b"eXIf" + tiff))
    return b"EXIF" + struct.pack("<I", len(tiff)) + tiff + b"\x00" * (len(tiff) & 1)


def _replacement(layout: Layout, block: Block, keep_orientation: bool) -> bytes:
    if block.kind == "exif" and keep_orientation and block.orientation:
        return _exif_container(layout.format, minimal_exif(block.orientation, big_endian=block.big_endian))
    return b""


def _fix_webp(data: bytearray, layout: Layout, remaining: list[Block]) -> None:
    """RIFF size and VP8X flags after chunks were cut (VP8X is the first chunk, before every cut)."""
    struct.pack_into("<I", data, 4, len(data) - 8)
    if layout.vp8x < 0:
        return
    flags = data[layout.vp8x + 8] & ~(_VP8X_EXIF | _VP8X_XMP)
    kinds = {b.kind for b in remaining}
    flags |= (_VP8X_EXIF if "exif" in kinds else 0) | (_VP8X_XMP if "xmp" in kinds else 0)
    data[layout.vp8x + 8] = flags


def clean_photo(data: bytes) -> Cleaned:
    """The photo without its GPS, maker notes, XMP and IPTC; unchanged (``removed`` empty) when it has none.

    Raises :class:`PhotoError` for a file that is not a JPEG, PNG or WebP or
    whose metadata blocks run past its end.
    """
    try:
        return _clean(data)
    except (struct.error, IndexError) as exc:  # a structure cut short where no length said so
        raise PhotoError("photo-format", "the photo's metadata blocks are damaged") from exc


def _clean(data: bytes) -> Cleaned:
    layout = read_layout(io.BytesIO(data))
    if not layout.found:
        return Cleaned(data, frozenset())
    out = bytearray()
    pos = 0
    kept: list[Block] = []
    orientation = 0
    for block in sorted(layout.blocks, key=lambda b: b.start):
        if not block.found or block.start < pos or block.end > len(data):
            if block.found:
                raise PhotoError("photo-format", "the photo's metadata blocks overlap or run past its end")
            kept.append(block)  # EXIF without GPS or maker notes stays as it is
            continue
        out += data[pos:block.start]
        replacement = _replacement(layout, block, keep_orientation=not orientation)
        if replacement:
            orientation = block.orientation
            kept.append(block)
        out += replacement
        pos = block.end
    out += data[pos:]
    if layout.format == "WEBP":
        _fix_webp(out, layout, kept)
    cleaned = bytes(out)
    if read_layout(io.BytesIO(cleaned)).found:  # never write a file that would still be flagged
        raise PhotoError("photo-format", "the photo's metadata could not be removed cleanly")
    return Cleaned(cleaned, layout.found, orientation)
