"""Validated entries held compactly (issue 11, bounded memory): what a build holds of each entry in memory.

* An entry keeps only the lead of its plain text: the start a page's meta
  description reads, so the description is the one the whole text gives
  (the validator's side: tests/test_validate.py).
* Equal texts, prices and marketplace keys read back from the build index (or from a validation
  worker) are one object, not one copy per entry; a price keeps the amount
  as written (``10.0`` is not shown as ``10``).
"""

from __future__ import annotations

import pickle
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from karigar.diagnostics import Location
from karigar.model.summaries import lead, summary
from karigar.diagnostics import DiagnosticSink
from karigar.model.translate import apply_translations
from karigar.model.types import Listing, LocalizedText, Price, Product, Translation, shared_text

WORDS = st.lists(st.sampled_from(["quilt", "رلی،", "हाथ", "  ", "\n", "made-by-hand,", "x" * 40, "a"]), max_size=80)


@example("quiltرلی،a  quilt", 10)  # cut just after a space: the lead must still read as longer
@given(WORDS.map("".join), st.integers(min_value=10, max_value=300))
def test_the_lead_of_a_text_gives_the_description_the_whole_text_gives(text: str, limit: int) -> None:
    kept = lead(text, limit)
    assert summary(kept, limit) == summary(text, limit)
    assert len(kept) <= limit + 2


def product(source: str, materials: tuple[str, ...], amount: str, description: str = "") -> Product:
    return Product(
        slug=source.rsplit("/", 1)[-1].removesuffix(".md"), artisan_slug="shazia", source=source,
        title=LocalizedText.plain(f"Quilt {source}", "en"), photos=(), price=Price(Decimal(amount), "PKR"),
        materials=tuple(LocalizedText.plain(m, "en") for m in materials), dimensions=None, made_to_order=None,
        crafts=(), listings=(Listing("etsy" + "", None, f"https://www.etsy.com/listing/{source}", None,
                                     Location(source, 9, 5)),), draft=False, description_html=f"<p>{description}</p>",
        description_lead=lead(description), location=Location(source, 1, 1),
    )


def test_entries_read_back_share_their_equal_texts_and_prices_and_keep_the_amount_as_written() -> None:
    # Each entry is pickled on its own, as the build index stores it and as a worker sends it.
    first, second, third = (pickle.loads(pickle.dumps(p)) for p in (
        product("artisans/pk/a/p1.md", ("cotton", "silk"), "1500"),
        product("artisans/pk/b/p2.md", ("cotton",), "1500"),
        product("artisans/pk/c/p3.md", ("silk",), "1500.0"),
    ))
    assert first.materials[0] is second.materials[0] and first.materials[1] is third.materials[0]
    assert first.price is second.price
    assert first.listings[0].marketplace is second.listings[0].marketplace
    assert third.price is not None and str(third.price.amount) == "1500.0"  # equal to 1500, shown apart
    assert first.title is not second.title and first.title.default == "Quilt artisans/pk/a/p1.md"


def test_a_translated_material_is_shared_by_the_entries_that_translate_it_alike() -> None:
    products = [product(f"artisans/pk/a/p{i}.md", ("cotton",), "100") for i in range(2)]
    translations = [Translation("ur", f"artisans/pk/a/p{i}.ur.md", f"artisans/pk/a/p{i}.md",
                                (("materials", ("سوتی",)),), "", "", Location(f"artisans/pk/a/p{i}.ur.md", 1, 1))
                    for i in range(2)]
    _, merged = apply_translations([], products, translations, entry_paths={p.source for p in products},
                                   sink=DiagnosticSink())
    assert merged[0].materials[0].get("ur") == "سوتی"
    assert merged[0].materials[0] is merged[1].materials[0]
    assert shared_text("en", (("en", "cotton"), ("ur", "سوتی"))) is merged[0].materials[0]
