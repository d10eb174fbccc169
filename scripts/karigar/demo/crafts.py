"""What each craft makes, from what, and for how much: the raw stuff of products.

Keys are the contract's shipped craft keys.  A site registry may hold crafts
this table does not know; :func:`craft_info` then derives a plain profile
from the key, so the demo works with any registry.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Item", "CraftInfo", "craft_info"]


@dataclass(frozen=True, slots=True)
class Item:
    """One kind of object: its name and how its size is written.

    ``size`` is a format with ``{a}`` and ``{b}``; ``a`` and ``b`` are drawn
    from the inclusive ranges ``(a_lo, a_hi, b_lo, b_hi)``.
    """

    name: str
    size: str
    ranges: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class CraftInfo:
    """A craft as the prose and the products talk about it."""

    phrase: str
    items: tuple[Item, ...]
    qualifiers: tuple[str, ...]
    materials: tuple[str, ...]
    usd: tuple[int, int]
    technique: tuple[str, ...]


_FLAT = "{a} x {b} cm"
_TALL = "{a} cm tall, {b} cm wide"


def _i(name: str, size: str, a_lo: int, a_hi: int, b_lo: int = 0, b_hi: int = 0) -> Item:
    return Item(name, size, (a_lo, a_hi, b_lo, b_hi))


_CRAFTS: dict[str, CraftInfo] = {
    "ralli-quilting": CraftInfo(
        "ralli quilting",
        (
            _i("ralli quilt", _FLAT, 180, 240, 150, 220),
            _i("ralli bedspread", _FLAT, 220, 260, 200, 240),
            _i("ralli cushion cover", _FLAT, 40, 50, 40, 50),
            _i("ralli table runner", _FLAT, 120, 180, 30, 40),
            _i("baby ralli blanket", _FLAT, 90, 110, 70, 90),
        ),
        ("Indigo star", "Madder red", "Patchwork", "Applique", "Cut-work", "Sindhi tile"),
        ("cotton", "natural dyes", "cotton thread", "recycled cotton fabric"),
        (25, 220),
        (
            "cutting patches from old cloth",
            "running stitch in long even rows",
            "appliqued triangles",
        ),
    ),
    "ajrak-block-printing": CraftInfo(
        "ajrak block printing",
        (
            _i("ajrak shawl", _FLAT, 220, 260, 100, 120),
            _i("ajrak dupatta", _FLAT, 220, 250, 90, 110),
            _i("ajrak table cloth", _FLAT, 140, 180, 140, 180),
            _i("ajrak cushion cover", _FLAT, 40, 50, 40, 50),
            _i("ajrak tote bag", _FLAT, 35, 45, 40, 50),
        ),
        ("Indigo and madder", "Double-sided", "Resist-printed", "Star motif", "Crimson", "Classic"),
        ("cotton", "indigo", "madder", "alum", "carved sheesham blocks"),
        (15, 90),
        (
            "carved wooden blocks",
            "resist pastes of clay and lime",
            "washing in the canal between dye baths",
        ),
    ),
    "blue-pottery": CraftInfo(
        "blue pottery",
        (
            _i("blue pottery vase", _TALL, 20, 45, 10, 25),
            _i("blue pottery plate", _FLAT, 20, 35, 20, 35),
            _i("tile panel", _FLAT, 30, 60, 30, 60),
            _i("blue pottery bowl", _TALL, 8, 14, 15, 25),
            _i("lamp base", _TALL, 25, 40, 12, 20),
        ),
        ("Cobalt floral", "Turquoise", "Kashi", "Hand-painted", "Persian motif", "Glazed"),
        ("quartz", "glass frit", "cobalt oxide", "copper oxide", "glaze"),
        (12, 150),
        (
            "a quartz paste instead of clay",
            "painting cobalt on a white slip",
            "firing in a small kiln",
        ),
    ),
    "phulkari": CraftInfo(
        "phulkari",
        (
            _i("phulkari dupatta", _FLAT, 220, 250, 100, 120),
            _i("bagh shawl", _FLAT, 220, 250, 120, 140),
            _i("phulkari cushion cover", _FLAT, 40, 50, 40, 50),
            _i("phulkari wall hanging", _FLAT, 60, 120, 60, 90),
        ),
        ("Golden", "Sainchi", "Darning-stitch", "Marigold", "Full bagh", "Geometric"),
        ("khaddar cotton", "silk floss", "cotton thread"),
        (30, 260),
        (
            "darning stitches worked from the back",
            "untwisted silk floss",
            "counting threads by eye",
        ),
    ),
    "pashmina-shawls": CraftInfo(
        "pashmina weaving",
        (
            _i("pashmina shawl", _FLAT, 200, 220, 90, 110),
            _i("pashmina stole", _FLAT, 180, 200, 60, 75),
            _i("pashmina muffler", _FLAT, 150, 180, 25, 35),
            _i("embroidered pashmina wrap", _FLAT, 200, 220, 100, 120),
        ),
        ("Undyed", "Sozni-embroidered", "Herringbone", "Walnut brown", "Ivory", "Kani"),
        ("pashmina wool", "silk thread", "natural dyes"),
        (60, 450),
        (
            "hand-spinning fine pashm",
            "weaving on a wooden handloom",
            "sozni needlework along the border",
        ),
    ),
    "truck-art": CraftInfo(
        "truck art",
        (
            _i("truck art kettle", _TALL, 18, 26, 15, 22),
            _i("painted tray", _FLAT, 30, 45, 20, 30),
            _i("truck art panel", _FLAT, 40, 90, 30, 60),
            _i("painted trunk", _FLAT, 50, 80, 30, 45),
            _i("truck art lantern", _TALL, 25, 40, 12, 18),
        ),
        ("Peacock", "Floral", "Chamakpatti", "Mirror-bright", "Bold", "Parrot"),
        ("tin sheet", "enamel paint", "reflective tape", "wood"),
        (10, 160),
        (
            "enamel paint in bright layers",
            "chamakpatti reflective cut-outs",
            "freehand brush lines",
        ),
    ),
    "wood-carving": CraftInfo(
        "wood carving",
        (
            _i("carved jewellery box", _FLAT, 15, 30, 10, 20),
            _i("carved side table", _TALL, 45, 60, 35, 50),
            _i("carved mirror frame", _FLAT, 40, 90, 30, 60),
            _i("carved tray", _FLAT, 30, 50, 20, 35),
            _i("carved wall panel", _FLAT, 40, 120, 30, 60),
        ),
        ("Walnut", "Sheesham", "Deodar", "Lattice", "Floral relief", "Chinar leaf"),
        ("walnut wood", "sheesham wood", "deodar wood", "linseed oil", "brass hinges"),
        (20, 400),
        (
            "chisels sharpened every morning",
            "relief carving in walnut",
            "a slow linseed oil finish",
        ),
    ),
    "camel-skin-lamps": CraftInfo(
        "camel skin lamp making",
        (
            _i("camel skin lamp", _TALL, 25, 45, 12, 20),
            _i("camel skin table lamp", _TALL, 30, 50, 15, 25),
            _i("camel skin vase", _TALL, 20, 35, 10, 18),
        ),
        ("Naqashi", "Amber", "Gold-leaf", "Painted", "Glowing", "Moulded"),
        ("camel hide", "natural pigments", "gold leaf", "clay mould"),
        (25, 180),
        ("shaping wet hide over a clay mould", "naqashi painting", "gold leaf laid by hand"),
    ),
    "kutch-embroidery": CraftInfo(
        "Kutch embroidery",
        (
            _i("embroidered cushion cover", _FLAT, 40, 50, 40, 50),
            _i("mirror-work wall hanging", _FLAT, 60, 120, 40, 90),
            _i("embroidered tote bag", _FLAT, 35, 45, 40, 50),
            _i("embroidered jacket panel", _FLAT, 50, 70, 40, 60),
        ),
        ("Mirror-work", "Rabari", "Ahir", "Pako-stitch", "Soof", "Bright"),
        ("cotton", "silk thread", "mirrors", "cotton thread"),
        (15, 160),
        (
            "small mirrors held in a web of stitches",
            "counted soof stitches",
            "chain stitch outlines",
        ),
    ),
    "bandhani": CraftInfo(
        "bandhani tie-dye",
        (
            _i("bandhani dupatta", _FLAT, 220, 250, 100, 120),
            _i("bandhani saree", _FLAT, 540, 560, 110, 120),
            _i("bandhani scarf", _FLAT, 170, 190, 50, 70),
            _i("bandhani turban cloth", _FLAT, 300, 900, 90, 100),
        ),
        ("Leheriya", "Fine-dot", "Red and yellow", "Gharchola", "Ekdali", "Sunrise"),
        ("cotton", "silk", "georgette", "natural dyes", "cotton thread"),
        (12, 200),
        (
            "tying thousands of tiny knots with a fingernail",
            "dye baths from light to dark",
            "opening the knots after drying",
        ),
    ),
    "chikankari": CraftInfo(
        "chikankari",
        (
            _i("chikankari kurta", _FLAT, 100, 120, 45, 60),
            _i("chikankari dupatta", _FLAT, 220, 250, 90, 110),
            _i("chikankari table cloth", _FLAT, 140, 180, 140, 180),
            _i("chikankari cushion cover", _FLAT, 40, 50, 40, 50),
        ),
        ("White-on-white", "Shadow-work", "Bakhiya", "Murri", "Jaali", "Pastel"),
        ("cotton muslin", "georgette", "cotton thread"),
        (20, 180),
        (
            "shadow work from the back of sheer cloth",
            "printing the pattern with wooden blocks first",
            "fine murri knots",
        ),
    ),
    "balochi-embroidery": CraftInfo(
        "Balochi embroidery",
        (
            _i("embroidered dress panel", _FLAT, 60, 90, 40, 60),
            _i("embroidered pouch", _FLAT, 15, 25, 12, 20),
            _i("embroidered cushion cover", _FLAT, 40, 50, 40, 50),
            _i("embroidered shawl border", _FLAT, 180, 220, 10, 20),
        ),
        ("Pashk", "Geometric", "Mirror-set", "Crimson", "Dense-stitch", "Coastal"),
        ("cotton", "silk thread", "mirrors"),
        (20, 250),
        (
            "dense geometric stitches",
            "a front panel worked for months",
            "mirrors set into silk thread",
        ),
    ),
    "khussa-footwear": CraftInfo(
        "khussa making",
        (
            _i("khussa pair", "EU size {a}", 36, 44),
            _i("embroidered khussa", "EU size {a}", 36, 41),
            _i("leather jutti", "EU size {a}", 36, 44),
            _i("children's khussa", "EU size {a}", 26, 33),
        ),
        ("Tilla", "Gold-thread", "Plain leather", "Bridal", "Beaded", "Soft-sole"),
        ("leather", "tilla thread", "cotton lining", "glass beads"),
        (10, 70),
        (
            "cutting leather by eye",
            "tilla thread stitched in tight curls",
            "a sole that softens with wear",
        ),
    ),
    "onyx-carving": CraftInfo(
        "onyx carving",
        (
            _i("onyx bowl", _TALL, 6, 12, 12, 25),
            _i("onyx candle holder", _TALL, 8, 15, 6, 10),
            _i("onyx vase", _TALL, 15, 30, 8, 14),
            _i("onyx chess set", _FLAT, 30, 40, 30, 40),
        ),
        ("Green", "Banded", "Polished", "Honey", "Translucent", "Turned"),
        ("onyx stone", "beeswax polish"),
        (15, 180),
        (
            "turning stone on a lathe",
            "polishing until light passes through",
            "choosing blocks by their bands",
        ),
    ),
    "hand-knotted-carpets": CraftInfo(
        "carpet weaving",
        (
            _i("hand-knotted rug", _FLAT, 120, 200, 80, 140),
            _i("hand-knotted runner", _FLAT, 200, 300, 60, 80),
            _i("prayer rug", _FLAT, 100, 125, 65, 80),
            _i("hand-knotted carpet", _FLAT, 240, 300, 170, 200),
        ),
        ("Bokhara", "Tribal", "Vegetable-dyed", "Silk-highlight", "Medallion", "Gul pattern"),
        ("wool", "silk", "cotton warp", "vegetable dyes"),
        (80, 1500),
        (
            "knots tied one by one on an upright loom",
            "wool dyed with pomegranate and walnut",
            "a long wash and sun-drying",
        ),
    ),
}

_GENERIC_ITEMS: tuple[Item, ...] = (
    _i("wall hanging", _FLAT, 40, 90, 30, 60),
    _i("cushion cover", _FLAT, 40, 50, 40, 50),
    _i("gift box", _FLAT, 15, 30, 10, 20),
    _i("decorative piece", _TALL, 15, 40, 10, 25),
)


def craft_info(key: str) -> CraftInfo:
    """The profile of craft ``key``; unknown keys get a plain one from the key."""
    known = _CRAFTS.get(key)
    if known is not None:
        return known
    phrase = key.replace("-", " ")
    return CraftInfo(
        phrase,
        tuple(Item(f"{phrase} {item.name}", item.size, item.ranges) for item in _GENERIC_ITEMS),
        ("Traditional", "Handmade", "Heirloom", "Bright", "Natural"),
        ("cotton", "wood", "natural dyes"),
        (15, 150),
        ("tools passed down in the family", "patient hand finishing"),
    )
