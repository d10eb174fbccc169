"""Translation files for a synthetic artisan: ``index.<lang>.md`` and ``<product>.<lang>.md``.

Real catalogs are translated unevenly: volunteers translate some stories
into the artisan's own script and leave the rest in English.  The demo does
the same -- about a third of the artisans of a country get their story in
that country's local language (Urdu in Pakistan, Hindi in India) when the
site has that language, and about a third of their products get a title and
description -- so the benchmark measures fallbacks and translations mixed.
The text is drawn from short phrases written for this generator, from its
own random stream, so adding languages never changes any other file.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from karigar.demo.places import LOCAL_SCRIPT

__all__ = ["translation_files", "STORY_SHARE", "PRODUCT_SHARE"]

STORY_SHARE = 0.35
PRODUCT_SHARE = 0.35

_STORY = {
    "ur": (
        "یہ کام انہوں نے بچپن میں اپنے گھر کی بزرگ خواتین سے سیکھا۔",
        "ہر ٹکڑا ہاتھ سے بنتا ہے اور اس میں کئی دن لگتے ہیں۔",
        "وہ مقامی منڈی سے کپڑا اور دھاگا خود چنتے ہیں۔",
        "ایک رضاکار ان کی تصویریں کھینچنے اور آن لائن فہرست بنانے میں مدد کرتا ہے۔",
        "خریدار رنگ اور ناپ کے بارے میں پیغام بھیج سکتے ہیں۔",
        "ان کے نمونے پرانے خاندانی ڈیزائنوں سے لیے گئے ہیں۔",
        "کام زیادہ تر دوپہر کے وقت گھر کے صحن میں ہوتا ہے۔",
    ),
    "hi": (
        "यह काम उन्होंने बचपन में अपने घर की बुज़ुर्ग महिलाओं से सीखा।",
        "हर टुकड़ा हाथ से बनता है और इसमें कई दिन लगते हैं।",
        "वे स्थानीय बाज़ार से कपड़ा और धागा ख़ुद चुनते हैं।",
        "एक स्वयंसेवी उनकी तस्वीरें लेने और ऑनलाइन लिस्टिंग बनाने में मदद करता है।",
        "ख़रीदार रंग और नाप के बारे में संदेश भेज सकते हैं।",
        "उनके नमूने पुराने पारिवारिक डिज़ाइनों से लिए गए हैं।",
        "काम ज़्यादातर दोपहर में घर के आँगन में होता है।",
    ),
}
_PRODUCT_WORDS = {
    "ur": (("ہاتھ سے بنی", "روایتی", "رنگین", "نفیس", "چھوٹی", "بڑی"),
           ("چادر", "تھیلا", "دوپٹہ", "کشن کور", "دیوار آویزہ", "میز پوش")),
    "hi": (("हाथ से बनी", "पारंपरिक", "रंगीन", "नफ़ीस", "छोटी", "बड़ी"),
           ("चादर", "थैला", "दुपट्टा", "कुशन कवर", "दीवार सजावट", "मेज़पोश")),
}
_PRODUCT_BODY = {
    "ur": ("اسے ہاتھ سے تیار کیا گیا ہے۔", "رنگ تصویر سے تھوڑا مختلف ہو سکتا ہے۔", "ہلکے ہاتھ سے دھوئیں۔"),
    "hi": ("इसे हाथ से तैयार किया गया है।", "रंग तस्वीर से थोड़ा अलग हो सकता है।", "हल्के हाथ से धोएँ।"),
}


def translation_files(seed: int, country: str, slug: str, product_slugs: Sequence[str],
                      languages: Sequence[str]) -> list[tuple[str, str]]:
    """(path relative to the artisan folder, text) of this artisan's translation files."""
    lang = LOCAL_SCRIPT.get(country)
    if lang not in languages[1:] or lang not in _STORY:
        return []
    rng = random.Random(f"{seed}:translations:{slug}")
    files: list[tuple[str, str]] = []
    if rng.random() < STORY_SHARE:
        sentences = rng.sample(_STORY[lang], k=4)
        files.append((f"index.{lang}.md", " ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:]) + "\n"))
    adjectives, nouns = _PRODUCT_WORDS[lang]
    for product in product_slugs:
        if rng.random() >= PRODUCT_SHARE:
            continue
        title = f"{rng.choice(adjectives)} {rng.choice(nouns)}"
        body = " ".join(rng.sample(_PRODUCT_BODY[lang], k=2))
        files.append((f"products/{product}.{lang}.md", f"---\ntitle: {title}\n---\n\n{body}\n"))
    return files
