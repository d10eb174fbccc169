"""Real districts of Pakistan and India for the synthetic catalog.

Each row is a real district with its real province (or state), its name in
Urdu (Pakistan) or Hindi (India), the crafts it is known for and a weight:
the share of demo artisans it receives within its country.  The weights are
uneven on purpose, so listings of a big district paginate, but no district
gets more than about 3.5% of all artisans (under 1,800 at 50,000), far from
the 50,000-entry folder cap.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["District", "DISTRICTS", "PK_SHARE", "LOCAL_SCRIPT", "district_languages"]


@dataclass(frozen=True, slots=True)
class District:
    """One real district; ``local`` is its name in the country's second script."""

    country: str
    name: str
    local: str
    province: str
    weight: int
    crafts: tuple[str, ...]
    languages: tuple[str, ...] = ()


# Share of artisans from Pakistan; the rest are from India.
PK_SHARE = 0.6

# Which language code the localized district and artisan names use.
LOCAL_SCRIPT: dict[str, str] = {"pk": "ur", "in": "hi"}

_SINDH = "Sindh"
_PUNJAB = "Punjab"
_KP = "Khyber Pakhtunkhwa"
_BALOCH = "Balochistan"
_GB = "Gilgit-Baltistan"
_AJK = "Azad Jammu and Kashmir"
_ICT = "Islamabad Capital Territory"
_GUJ = "Gujarat"
_RAJ = "Rajasthan"
_UP = "Uttar Pradesh"
_JK = "Jammu and Kashmir"


def _d(
    country: str,
    name: str,
    local: str,
    province: str,
    weight: int,
    crafts: str,
    languages: str = "",
) -> District:
    # Space-separated strings keep the table one readable line per district.
    return District(
        country, name, local, province, weight, tuple(crafts.split()), tuple(languages.split())
    )


DISTRICTS: tuple[District, ...] = (
    # Pakistan: Sindh
    _d("pk", "Thatta", "ٹھٹھہ", _SINDH, 7, "ralli-quilting ajrak-block-printing"),
    _d(
        "pk",
        "Hyderabad",
        "حیدرآباد",
        _SINDH,
        6,
        "ajrak-block-printing ralli-quilting khussa-footwear",
    ),
    _d("pk", "Matiari", "مٹیاری", _SINDH, 5, "ajrak-block-printing blue-pottery ralli-quilting"),
    _d("pk", "Tharparkar", "تھرپارکر", _SINDH, 6, "ralli-quilting bandhani", "sd ur mwr"),
    _d("pk", "Khairpur", "خیرپور", _SINDH, 4, "ralli-quilting ajrak-block-printing"),
    _d("pk", "Sanghar", "سانگھڑ", _SINDH, 3, "ralli-quilting ajrak-block-printing"),
    _d("pk", "Umerkot", "عمرکوٹ", _SINDH, 3, "ralli-quilting bandhani"),
    _d("pk", "Badin", "بدین", _SINDH, 2, "ralli-quilting"),
    _d("pk", "Jamshoro", "جامشورو", _SINDH, 2, "ajrak-block-printing"),
    _d("pk", "Larkana", "لاڑکانہ", _SINDH, 2, "ralli-quilting"),
    _d("pk", "Sukkur", "سکھر", _SINDH, 2, "ralli-quilting khussa-footwear"),
    _d("pk", "Shikarpur", "شکارپور", _SINDH, 1, "wood-carving"),
    _d("pk", "Mirpur Khas", "میرپورخاص", _SINDH, 2, "ralli-quilting bandhani"),
    _d("pk", "Dadu", "دادو", _SINDH, 1, "ralli-quilting"),
    # Pakistan: Punjab
    _d("pk", "Multan", "ملتان", _PUNJAB, 7, "blue-pottery camel-skin-lamps khussa-footwear"),
    _d("pk", "Lahore", "لاہور", _PUNJAB, 6, "khussa-footwear hand-knotted-carpets truck-art"),
    _d(
        "pk",
        "Bahawalpur",
        "بہاولپور",
        _PUNJAB,
        5,
        "khussa-footwear ralli-quilting camel-skin-lamps",
    ),
    _d("pk", "Chiniot", "چنیوٹ", _PUNJAB, 4, "wood-carving"),
    _d(
        "pk",
        "Dera Ghazi Khan",
        "ڈیرہ غازی خان",
        _PUNJAB,
        3,
        "balochi-embroidery ralli-quilting",
        "skr bal ur",
    ),
    _d("pk", "Rawalpindi", "راولپنڈی", _PUNJAB, 3, "truck-art"),
    _d("pk", "Sheikhupura", "شیخوپورہ", _PUNJAB, 2, "hand-knotted-carpets"),
    _d("pk", "Sialkot", "سیالکوٹ", _PUNJAB, 2, "khussa-footwear"),
    _d("pk", "Faisalabad", "فیصل آباد", _PUNJAB, 2, "phulkari bandhani"),
    _d("pk", "Hafizabad", "حافظ آباد", _PUNJAB, 2, "phulkari"),
    _d("pk", "Jhang", "جھنگ", _PUNJAB, 2, "phulkari ralli-quilting"),
    _d("pk", "Kasur", "قصور", _PUNJAB, 3, "khussa-footwear"),
    _d("pk", "Rahim Yar Khan", "رحیم یار خان", _PUNJAB, 2, "ralli-quilting bandhani", "skr ur"),
    _d("pk", "Bahawalnagar", "بہاولنگر", _PUNJAB, 1, "ralli-quilting"),
    _d("pk", "Gujrat", "گجرات", _PUNJAB, 2, "wood-carving"),
    _d("pk", "Muzaffargarh", "مظفرگڑھ", _PUNJAB, 2, "ralli-quilting", "skr ur"),
    _d("pk", "Chakwal", "چکوال", _PUNJAB, 1, "khussa-footwear phulkari"),
    _d("pk", "Layyah", "لیہ", _PUNJAB, 1, "ralli-quilting", "skr ur"),
    # Pakistan: Khyber Pakhtunkhwa
    _d("pk", "Swat", "سوات", _KP, 5, "phulkari wood-carving"),
    _d("pk", "Peshawar", "پشاور", _KP, 5, "truck-art wood-carving khussa-footwear"),
    _d("pk", "Chitral", "چترال", _KP, 3, "pashmina-shawls wood-carving", "khw ur"),
    _d("pk", "Mansehra", "مانسہرہ", _KP, 2, "pashmina-shawls", "hno ur"),
    _d("pk", "Abbottabad", "ایبٹ آباد", _KP, 1, "pashmina-shawls wood-carving", "hno ur"),
    _d("pk", "Mardan", "مردان", _KP, 2, "phulkari"),
    _d("pk", "Charsadda", "چارسدہ", _KP, 2, "khussa-footwear hand-knotted-carpets"),
    _d("pk", "Kohat", "کوہاٹ", _KP, 1, "truck-art"),
    _d("pk", "Dera Ismail Khan", "ڈیرہ اسماعیل خان", _KP, 1, "khussa-footwear", "skr ps ur"),
    _d("pk", "Bannu", "بنوں", _KP, 1, "hand-knotted-carpets"),
    # Pakistan: Balochistan
    _d(
        "pk",
        "Quetta",
        "کوئٹہ",
        _BALOCH,
        5,
        "balochi-embroidery hand-knotted-carpets onyx-carving",
        "ps bal brh ur",
    ),
    _d("pk", "Kech", "کیچ", _BALOCH, 3, "balochi-embroidery"),
    _d("pk", "Chagai", "چاغی", _BALOCH, 2, "onyx-carving balochi-embroidery"),
    _d("pk", "Khuzdar", "خضدار", _BALOCH, 2, "balochi-embroidery", "brh bal ur"),
    _d("pk", "Gwadar", "گوادر", _BALOCH, 1, "balochi-embroidery"),
    _d("pk", "Kalat", "قلات", _BALOCH, 1, "balochi-embroidery", "brh bal ur"),
    _d("pk", "Lasbela", "لسبیلہ", _BALOCH, 1, "balochi-embroidery ralli-quilting"),
    _d("pk", "Panjgur", "پنجگور", _BALOCH, 1, "balochi-embroidery"),
    _d(
        "pk",
        "Mastung",
        "مستونگ",
        _BALOCH,
        1,
        "balochi-embroidery hand-knotted-carpets",
        "brh bal ur",
    ),
    # Pakistan: Gilgit-Baltistan, Azad Jammu and Kashmir, Islamabad
    _d("pk", "Hunza", "ہنزہ", _GB, 3, "pashmina-shawls wood-carving", "bsk ur"),
    _d("pk", "Gilgit", "گلگت", _GB, 2, "pashmina-shawls hand-knotted-carpets", "scl ur"),
    _d("pk", "Skardu", "سکردو", _GB, 2, "wood-carving pashmina-shawls", "bft ur"),
    _d("pk", "Ghizer", "غذر", _GB, 1, "pashmina-shawls", "scl khw ur"),
    _d("pk", "Muzaffarabad", "مظفرآباد", _AJK, 3, "pashmina-shawls wood-carving"),
    _d("pk", "Neelum", "نیلم", _AJK, 1, "wood-carving"),
    _d("pk", "Mirpur", "میرپور", _AJK, 1, "phulkari"),
    _d("pk", "Bagh", "باغ", _AJK, 1, "pashmina-shawls"),
    _d("pk", "Islamabad", "اسلام آباد", _ICT, 2, "truck-art blue-pottery"),
    # India: Gujarat
    _d(
        "in", "Kutch", "कच्छ", _GUJ, 7, "kutch-embroidery bandhani ajrak-block-printing", "kfr gu hi"
    ),
    _d("in", "Ahmedabad", "अहमदाबाद", _GUJ, 4, "bandhani kutch-embroidery"),
    _d("in", "Jamnagar", "जामनगर", _GUJ, 3, "bandhani"),
    _d("in", "Rajkot", "राजकोट", _GUJ, 2, "bandhani kutch-embroidery"),
    _d("in", "Surat", "सूरत", _GUJ, 2, "bandhani"),
    _d("in", "Banaskantha", "बनासकांठा", _GUJ, 2, "kutch-embroidery"),
    _d("in", "Bhavnagar", "भावनगर", _GUJ, 1, "kutch-embroidery bandhani"),
    # India: Rajasthan
    _d("in", "Jaipur", "जयपुर", _RAJ, 6, "blue-pottery bandhani ajrak-block-printing"),
    _d("in", "Barmer", "बाड़मेर", _RAJ, 4, "ajrak-block-printing kutch-embroidery"),
    _d("in", "Jodhpur", "जोधपुर", _RAJ, 4, "bandhani khussa-footwear"),
    _d("in", "Jaisalmer", "जैसलमेर", _RAJ, 2, "ralli-quilting kutch-embroidery"),
    _d("in", "Bikaner", "बीकानेर", _RAJ, 2, "camel-skin-lamps hand-knotted-carpets"),
    _d("in", "Udaipur", "उदयपुर", _RAJ, 2, "wood-carving bandhani"),
    # India: Uttar Pradesh
    _d("in", "Lucknow", "लखनऊ", _UP, 7, "chikankari"),
    _d("in", "Varanasi", "वाराणसी", _UP, 3, "wood-carving hand-knotted-carpets"),
    _d("in", "Bhadohi", "भदोही", _UP, 4, "hand-knotted-carpets"),
    _d("in", "Mirzapur", "मिर्ज़ापुर", _UP, 2, "hand-knotted-carpets"),
    _d("in", "Saharanpur", "सहारनपुर", _UP, 3, "wood-carving"),
    _d("in", "Agra", "आगरा", _UP, 2, "khussa-footwear onyx-carving"),
    _d("in", "Bulandshahr", "बुलंदशहर", _UP, 1, "blue-pottery"),
    _d("in", "Rampur", "रामपुर", _UP, 1, "chikankari"),
    # India: Punjab
    _d("in", "Patiala", "पटियाला", _PUNJAB, 4, "phulkari khussa-footwear"),
    _d("in", "Amritsar", "अमृतसर", _PUNJAB, 3, "phulkari"),
    _d("in", "Bathinda", "बठिंडा", _PUNJAB, 2, "phulkari"),
    _d("in", "Sangrur", "संगरूर", _PUNJAB, 1, "phulkari"),
    _d("in", "Fazilka", "फ़ाज़िल्का", _PUNJAB, 1, "khussa-footwear phulkari"),
    _d("in", "Ludhiana", "लुधियाना", _PUNJAB, 1, "phulkari"),
    # India: Jammu and Kashmir, Ladakh, Himachal Pradesh and further south
    _d("in", "Srinagar", "श्रीनगर", _JK, 6, "pashmina-shawls wood-carving hand-knotted-carpets"),
    _d("in", "Anantnag", "अनंतनाग", _JK, 2, "pashmina-shawls"),
    _d("in", "Baramulla", "बारामूला", _JK, 2, "wood-carving pashmina-shawls"),
    _d("in", "Budgam", "बडगाम", _JK, 2, "pashmina-shawls hand-knotted-carpets"),
    _d("in", "Leh", "लेह", "Ladakh", 1, "pashmina-shawls", "lbj hi"),
    _d("in", "Kullu", "कुल्लू", "Himachal Pradesh", 2, "pashmina-shawls"),
    _d("in", "Kangra", "कांगड़ा", "Himachal Pradesh", 1, "pashmina-shawls wood-carving"),
    _d("in", "Kanchipuram", "कांचीपुरम", "Tamil Nadu", 2, "wood-carving bandhani"),
    _d("in", "Mysuru", "मैसूरु", "Karnataka", 2, "wood-carving"),
    _d("in", "Dhar", "धार", "Madhya Pradesh", 1, "ajrak-block-printing"),
)

# Languages spoken in a province, where the district row names none.
_PROVINCE_LANGUAGES: dict[tuple[str, str], tuple[str, ...]] = {
    ("pk", _SINDH): ("sd", "ur"),
    ("pk", _PUNJAB): ("pa-Arab", "ur", "skr"),
    ("pk", _KP): ("ps", "ur"),
    ("pk", _BALOCH): ("bal", "ur"),
    ("pk", _GB): ("ur",),
    ("pk", _AJK): ("ur", "hno"),
    ("pk", _ICT): ("ur", "pa-Arab", "en"),
    ("in", _GUJ): ("gu", "hi"),
    ("in", _RAJ): ("hi", "mwr"),
    ("in", _UP): ("hi", "ur"),
    ("in", _PUNJAB): ("pa", "hi"),
    ("in", _JK): ("ks", "ur", "hi"),
    ("in", "Himachal Pradesh"): ("hi",),
    ("in", "Tamil Nadu"): ("ta", "en"),
    ("in", "Karnataka"): ("kn", "en"),
    ("in", "Madhya Pradesh"): ("hi",),
}


def district_languages(district: District) -> tuple[str, ...]:
    """The languages an artisan of ``district`` may speak, most common first."""
    return district.languages or _PROVINCE_LANGUAGES[(district.country, district.province)]
