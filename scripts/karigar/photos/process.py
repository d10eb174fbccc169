"""One photo in, clean published bytes out: probe, orient, convert to sRGB, strip, resize, encode.

Everything here works on bytes and returns bytes, with no file system and no
global state, so it runs the same in forked workers and in tests.

What is removed, and how: nothing of the source file is copied.  The pixels
are decoded, turned upright (EXIF orientation), converted to sRGB (from the
embedded ICC profile when there is one), and encoded again into a new image
whose ``info`` is empty.  EXIF (GPS included), XMP, IPTC, ICC profiles,
comments and PNG text chunks therefore cannot reach the output: the encoders
only write what they are handed, and Pillow's JPEG and PNG encoders would
otherwise pick up ``comment`` and ``icc_profile`` from ``im.info``, which is
why it is cleared on every image that gets encoded.

Output bytes depend only on the input bytes and :class:`PhotoParams`
(libjpeg, libwebp and zlib are deterministic for the same settings), so two
builds publish byte-identical photos.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageCms, ImageOps

from karigar.errors import PhotoError

__all__ = [
    "PROCESSOR_VERSION",
    "FORMATS",
    "PhotoParams",
    "PhotoInfo",
    "Variant",
    "ProcessedPhoto",
    "PhotoError",
    "probe_photo",
    "process_photo",
    "variant_plan",
    "is_share",
    "upright_width",
]

# Bump when the output of process_photo changes for the same input and params:
# it is part of the cache key, so every cached photo is made again.
PROCESSOR_VERSION = 1

# Pillow format name -> the file extensions a source of that format may carry.
FORMATS: dict[str, tuple[str, ...]] = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}

# EXIF orientations 5-8 store the picture on its side: width and height swap.
_SIDEWAYS = frozenset({5, 6, 7, 8})
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True, slots=True)
class PhotoParams:
    """What the published variants look like; :meth:`key` names them in the cache.

    ``variants=False`` makes only the sanitized original (the Image CDN mode:
    the CDN resizes from it).  ``max_pixels`` is a limit, not a look, so it is
    not part of the key.
    """

    widths: tuple[int, ...] = (320, 640, 1024)
    # A shared link's picture (Open Graph): a JPEG this wide, made when the photo is at least as wide and
    # wider than the sanitized original.  Facebook and WhatsApp show a picture of 1,200 px across in full.
    share_width: int = 1200
    jpeg_quality: int = 82
    webp_quality: int = 80
    variants: bool = True
    max_pixels: int = 40_000_000

    @property
    def max_width(self) -> int:
        return max(self.widths)

    def key(self) -> str:
        text = (f"v{PROCESSOR_VERSION}|{sorted(set(self.widths))}|{self.jpeg_quality}|{self.webp_quality}"
                f"|{self.variants}|{self.share_width}")
        return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    """What the header says: format and stored size (before orientation)."""

    format: str
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass(frozen=True, slots=True)
class Variant:
    """One published file.  ``kind`` is ``original`` or the variant's format (``webp``, ``jpg``)."""

    kind: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """The sanitized original first, then the variants by width (WebP and JPEG for each)."""

    source: PhotoInfo
    variants: tuple[Variant, ...]

    @property
    def original(self) -> Variant:
        return self.variants[0]


def _open(data: bytes | IO[bytes], max_pixels: int) -> Image.Image:
    """Open lazily (header only) and refuse unknown formats and oversized images before decoding."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        # Pillow's own bomb check warns or raises on its global limit; ours is per call
        # and checked below, so its warning is noise here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(stream, formats=list(FORMATS))
    except Image.DecompressionBombError as exc:
        raise PhotoError("photo-too-many-pixels", f"the image is far too large to decode safely ({exc})") from exc
    except Exception as exc:  # malformed headers raise all sorts of errors in the plugins
        raise PhotoError("photo-format", "not a JPEG, PNG or WebP image that can be read") from exc
    width, height = im.size
    if width < 1 or height < 1:
        raise PhotoError("photo-format", "the image has no pixels")
    if width * height > max_pixels:
        raise PhotoError(
            "photo-too-many-pixels",
            f"the image is {width}x{height} = {width * height / 1e6:.1f} megapixels; "
            f"the limit is {max_pixels / 1e6:.0f} megapixels",
        )
    return im


def probe_photo(data: bytes | IO[bytes], *, max_pixels: int, structure: bool = False) -> PhotoInfo:
    """Format and size from the header alone (cheap); raises :class:`PhotoError`.

    Given an open file, only the header is read.  ``structure`` also runs
    Pillow's ``verify()``, which checks what it can without decoding (a
    PNG's chunk checksums, for instance).
    """
    im = _open(data, max_pixels)
    info = PhotoInfo(str(im.format), *im.size)
    if structure:
        try:
            im.verify()
        except Exception as exc:  # verify() raises whatever the plugin hits: all mean "damaged"
            raise PhotoError("photo-format", f"the image file is damaged ({exc})") from exc
    return info


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block must not stop the photo: treat it as upright
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_srgb(im: Image.Image) -> Image.Image:
    """RGB or RGBA pixels in sRGB, from whatever mode and profile the source has."""
    alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode == "P" and "transparency" in im.info)
    target = "RGBA" if alpha else "RGB"
    icc = im.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if im.mode not in ("RGB", "RGBA", "CMYK", "L"):
                im = im.convert(target)
            mode = "RGBA" if im.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(im, source, _SRGB, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or unusual profile: fall back to treating the pixels as sRGB
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        # 16-bit greys: scale to 8 bits instead of clipping everything above 255 to white.
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    return im if im.mode == target else im.convert(target)


def _encode(im: Image.Image, fmt: str, params: PhotoParams) -> bytes:
    """Encode with no metadata at all: a fresh ``info`` and no exif/icc/xmp/comment arguments."""
    if fmt == "JPEG" and im.mode == "RGBA":
        # JPEG has no alpha: flatten on white, the page's background.
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    im.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        im.save(out, "JPEG", quality=params.jpeg_quality, optimize=True, progressive=True)
    elif fmt == "WEBP":
        im.save(out, "WEBP", quality=params.webp_quality, method=4)
    else:
        im.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def variant_plan(width: int, height: int, params: PhotoParams, *,
                 source_width: int = 0) -> tuple[tuple[str, int, int], ...]:
    """``(kind, width, height)`` of every file made from an original of ``width`` x ``height``.

    The one place that decides the variants: :func:`process_photo` makes
    exactly these, and the publisher derives URLs and srcsets from them
    without opening any cached file.  A photo whose upright source is
    ``source_width`` wide gets, when that is at least ``params.share_width``
    and more than the original's width, one JPEG more, wider than the
    original: the picture of a shared link (:func:`is_share`), never in a srcset.
    """
    plan = [("original", width, height)]
    if params.variants:
        for w in sorted({w for w in params.widths if w < width} | {width}):
            h = height if w == width else max(1, round(height * w / width))
            plan.append(("webp", w, h))
            if w != width:  # at full width the original is the fallback
                plan.append(("jpg", w, h))
        if width < params.share_width <= source_width:
            plan.append(("jpg", params.share_width, max(1, round(height * params.share_width / width))))
    return tuple(plan)


def is_share(kind: str, width: int, original_width: int) -> bool:
    """Whether a planned file is the picture of a shared link (the one JPEG wider than the original)."""
    return kind == "jpg" and width > original_width


def upright_width(info: PhotoInfo, width: int, height: int) -> int:
    """The upright width of a source stored as ``info`` whose sanitized original is ``width`` x ``height``
    (the source's own size is as stored, before its orientation turns it)."""
    same_way = (info.width >= info.height) == (width >= height)
    return info.width if same_way else info.height


def _resized(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    if size == im.size:
        return im
    # Bicubic: for downscaling photos it looks the same as Lanczos at about two thirds of the cost.
    return im.resize(size, Image.Resampling.BICUBIC)


def process_photo(data: bytes, *, params: PhotoParams = PhotoParams(),
                  original_format: str | None = None) -> ProcessedPhoto:
    """Decode, turn upright, convert to sRGB, strip and encode every variant.

    The sanitized original is at most ``params.max_width`` wide and encoded
    as ``original_format`` (default: the source's own; the publisher passes
    the format its file name promises, since that URL is already in rendered
    Markdown).  The variants are those of :func:`variant_plan`.  Raises
    :class:`PhotoError` for unreadable data or too many pixels.
    """
    im = _open(data, params.max_pixels)
    source = PhotoInfo(str(im.format), *im.size)
    orientation = _orientation(im)
    try:
        if im.format == "JPEG":
            # Decode at the smallest DCT scale that still covers the largest output.
            upright = (im.height, im.width) if orientation in _SIDEWAYS else im.size
            largest = max(params.max_width, params.share_width if params.variants else 0)
            scale = min(1.0, largest / upright[0])
            need = (max(1, int(upright[0] * scale)), max(1, int(upright[1] * scale)))
            im.draft(None, (need[1], need[0]) if orientation in _SIDEWAYS else need)
        im.seek(0)  # animated WebP/PNG: the first frame is the photo
        im.load()
        im = ImageOps.exif_transpose(im) if orientation != 1 else im
        im = _to_srgb(im)
    except Exception as exc:  # whatever a damaged file makes a decoder raise, it is a content problem
        raise PhotoError("photo-format", f"the image data is damaged or cut short ({exc})") from exc

    whole = im  # upright, as decoded: the shared link's picture may be wider than the original
    if im.width > params.max_width:
        im = _resized(im, (params.max_width, max(1, round(im.height * params.max_width / im.width))))
    fmt = original_format or source.format
    variants = []
    for kind, width, height in variant_plan(im.width, im.height, params, source_width=whole.width):
        sized = _resized(whole if width > im.width else im, (width, height))
        encoding = fmt if kind == "original" else ("WEBP" if kind == "webp" else "JPEG")
        variants.append(Variant(kind, width, height, _encode(sized.copy(), encoding, params)))
    return ProcessedPhoto(source, tuple(variants))
