"""Stories and product descriptions in the Markdown subset the contract allows.

Bodies are assembled from sentence templates rather than random words: it is
several times faster (a handful of ``format_map`` calls per body instead of a
random draw per word) and reads like a catalog.  What they may hold is kept
narrow on purpose so validation of the demo is simple: paragraphs, ``##`` to
``####`` headings, bullet lists, ``*emphasis*`` and ``**strong**``; no raw
HTML, links, images, digits or addresses.

Word counts are exact: every template token is a word, so a sentence's
``len(split())`` is what a reader (and the tests) count.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from karigar.demo.draw import between, pick

__all__ = [
    "story",
    "description",
    "count_words",
    "quality",
    "relative",
    "STORY_WORDS",
    "DESCRIPTION_WORDS",
]

STORY_WORDS = (60, 200)
DESCRIPTION_WORDS = (30, 120)

_OPENING = (
    "{Who} practises *{craft}* in {district}, {province}.",
    "{Who} comes from {district} and has worked in {craft} for most of a lifetime.",
    "In {district}, {who} is known for careful {craft} and honest prices.",
    "{Who} learned {craft} from {their} {relative}, sitting beside the work every evening.",
    "{Who} works from a small courtyard workshop in {district}.",
    "The work of {who} carries the patterns of {province} to buyers far away.",
    "{Who} has kept {craft} going through good years and bad.",
    "For {who}, **{craft}** is both a living and a way of keeping the family's patterns alive.",
    "{Who} makes each {item} by hand, from the first sketch to the last stitch or stroke.",
)
_CRAFT = (
    "The work depends on {technique}.",
    "Everything starts with {material}, bought in small lots from trusted traders.",
    "A single {item} can take many weeks when the pattern is dense.",
    "The colours come from {material} and from what the season allows.",
    "{Who} still prefers {technique}, even when faster ways exist.",
    "Younger relatives help with {technique} after school.",
    "Each piece is checked twice before it leaves the workshop.",
    "The motifs are older than anyone in the family can remember.",
    "Good light matters, so most of the work happens in the morning.",
    "Nothing is rushed: *{technique}* cannot be hurried without the piece showing it.",
)
_CLOSING = (
    "Today {who} sells through online marketplaces with help from a local trainer.",
    "Buyers abroad now order directly, which keeps more of the price in {district}.",
    "Training in photography and packaging changed how the work reaches buyers.",
    "Orders from overseas arrive in bursts, so {who} keeps a small stock ready.",
    "{Who} hopes to teach the craft to more young women nearby.",
    "The income pays for school fees and for better tools.",
    "Each {item} is packed with care and a short note about its maker.",
    "Custom colours are possible when there is enough time before a festival.",
    "Fair prices let the workshop buy better {material}.",
    "Visitors are welcome to watch, and many leave with a small piece.",
    "Winter is the busiest season, when wedding orders come in.",
    "{Who} plans to add new designs while keeping the old ones.",
    "Every sale is a reason for {their} neighbours to keep the craft going.",
    "Selling online was new, but the first reviews gave {who} confidence.",
    "{Who} answers questions about care and sizing through the marketplace.",
    "The hardest part is not the work but reaching the right buyers.",
    "**Patience** is the word {who} uses most when describing the craft.",
)
_HEADINGS_STORY = (
    "## How the work is done",
    "## The craft",
    "## From the workshop",
    "### Materials and methods",
    "## Selling online",
    "### A family skill",
)
_LIST_INTRO_ITEMS = "What {who} makes most often:"
_LIST_INTRO_MATERIALS = "Materials used in the workshop:"
_LIST_INTRO_FACTS = "A few things to know about the work:"
_PRODUCT_OPENING = (
    "This {title_lower} is made by hand in {district}.",
    "This {quality} {item} was finished by {who} in {district}.",
    "This piece shows the {craft} of {province} at its best.",
    "Made from {material}, this {item} is **one of a kind**.",
    "Every {item} from this workshop is slightly different, and this one is no exception.",
)
_PRODUCT_BODY = (
    "The colours are {quality} and hold well with gentle care.",
    "Small irregularities are part of *handmade* work, not flaws.",
    "It makes a thoughtful gift for a wedding or a new home.",
    "The pattern follows a design {who} learned long ago.",
    "It is finished with {technique}.",
    "The main material is {material}, chosen for how it ages.",
    "Colours may look slightly different on a screen.",
    "Each order supports an artisan household in {district}.",
    "It is packed flat or wrapped, depending on the shape.",
    "Ask through the marketplace if you need another size or colour.",
)
_MADE_TO_ORDER = (
    "It is *made to order*, so allow some weeks before it ships.",
    "Because it is made to order, colours can be adjusted on request.",
)
_CARE = (
    "Keep away from direct sun",
    "Clean gently by hand",
    "Store folded in a cotton bag",
    "Wipe with a soft dry cloth",
    "Air it out now and then",
)
_HEADINGS_PRODUCT = ("## Details", "### Care", "#### Good to know", "### About the maker")
_QUALITY = ("rich", "deep", "soft", "bright", "earthy", "subtle", "warm", "bold")
# Primes above every pool's length: strides that visit each template once.
_STRIDES = (31, 37, 41, 43, 47, 53, 59, 61)
_RELATIVES = ("mother", "grandmother", "father", "aunt", "uncle", "elder sister", "neighbour")


def count_words(text: str) -> int:
    """Words as the generator counts them: tokens with at least one letter."""
    return sum(1 for token in text.split() if any(ch.isalpha() for ch in token))


def _fill(
    rng: random.Random,
    pool: tuple[str, ...],
    slots: Mapping[str, str],
    count: int,
    limits: tuple[int, int],
    target: int,
    out: list[str],
) -> int:
    """Append sentences from ``pool`` to ``out`` until ``count`` reaches ``target``.

    Each template is used at most once: the pool is walked from a random
    start with a random prime stride larger than the pool (so coprime to its
    length), a repeat-free order that costs two draws instead of a shuffle.
    A sentence that would pass the upper limit is skipped, so the result
    stays within ``limits``.
    """
    size = len(pool)
    start, stride = int(rng.random() * size), pick(rng, _STRIDES)
    for k in range(size):
        if count >= target:
            break
        sentence = pool[(start + k * stride) % size].format_map(slots)
        n = len(sentence.split())
        if count + n <= limits[1]:
            out.append(sentence)
            count += n
    return count


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item[0].upper()}{item[1:]}" for item in items)


def story(
    rng: random.Random, slots: Mapping[str, str], items: list[str], materials: list[str]
) -> str:
    """An artisan's story of 60-200 words.

    ``slots`` fills the templates (``who``, ``Who``, ``their``, ``craft``,
    ``district``, ``province``, ``item``, ``material``, ``technique``);
    ``items`` and ``materials`` feed the optional bullet list.
    """
    lo, hi = STORY_WORDS
    target = between(rng, lo + 10, hi - 30)
    blocks: list[str] = []
    opening: list[str] = []
    count = _fill(rng, _OPENING, slots, 0, (lo, hi), between(rng, 12, 40), opening)
    blocks.append(" ".join(opening))
    if rng.random() < 0.5:
        heading = pick(rng, _HEADINGS_STORY)
        craft: list[str] = []
        count = _fill(rng, _CRAFT, slots, count + count_words(heading), (lo, hi), count + 30, craft)
        blocks += [heading, " ".join(craft)]
    if rng.random() < 0.4:
        kind = int(rng.random() * 3)
        if kind == 0:
            intro = _LIST_INTRO_ITEMS.format_map(slots)
            chosen = rng.sample(items, k=min(3, len(items)))
        elif kind == 1:
            intro = _LIST_INTRO_MATERIALS
            chosen = rng.sample(materials, k=min(3, len(materials)))
        else:
            intro = _LIST_INTRO_FACTS
            chosen = [
                f"Work is done with {slots['technique']}",
                f"The main material is **{slots['material']}**",
                "Every piece is signed off by hand",
            ]
        listed = _bullets(chosen)
        count += count_words(intro) + count_words(listed)
        blocks += [intro, listed]
    closing: list[str] = []
    count = _fill(rng, _CLOSING, slots, count, (lo, hi), max(target, lo), closing)
    if closing:
        blocks.append(" ".join(closing))
    return "\n\n".join(blocks) + "\n"


def description(
    rng: random.Random, slots: Mapping[str, str], materials: list[str], made_to_order: bool
) -> str:
    """A product description of 30-120 words.

    ``slots`` as for :func:`story`, plus ``quality`` and ``title_lower``.
    """
    lo, hi = DESCRIPTION_WORDS
    target = between(rng, lo + 5, hi - 25)
    blocks: list[str] = []
    opening: list[str] = []
    count = _fill(rng, _PRODUCT_OPENING, slots, 0, (lo, hi), 1, opening)
    if made_to_order:
        sentence = pick(rng, _MADE_TO_ORDER)
        opening.append(sentence)
        count += len(sentence.split())
    blocks.append(" ".join(opening))
    if rng.random() < 0.35:
        heading = pick(rng, _HEADINGS_PRODUCT)
        if heading.endswith("Care"):
            listed = _bullets(rng.sample(_CARE, k=3))
        else:
            listed = _bullets(
                [f"Made from {m}" for m in materials] + [f"Finished in {slots['district']}"]
            )
        count += count_words(heading) + count_words(listed)
        blocks += [heading, listed]
    body: list[str] = []
    count = _fill(rng, _PRODUCT_BODY, slots, count, (lo, hi), max(target, lo), body)
    if body:
        blocks.append(" ".join(body))
    return "\n\n".join(blocks) + "\n"


def quality(rng: random.Random) -> str:
    """An adjective for colours and finishes."""
    return pick(rng, _QUALITY)


def relative(rng: random.Random) -> str:
    """Who taught the craft."""
    return pick(rng, _RELATIVES)
