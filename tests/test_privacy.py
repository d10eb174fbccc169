"""Artisans' contact details and identity numbers are never published: detector and validation."""

from __future__ import annotations

import pytest
from karigar.diagnostics import DiagnosticSink
from karigar.model.privacy import PrivateFinding, find_private_data, mask, normalize_digits, verhoeff_valid

from tests.test_validate import artisan, at, base_artisan, base_product, base_training, found, product, training

# 11 digits plus the Verhoeff check digit computed for them (see test_aadhaar_constant_is_valid).
AADHAAR = "2345 6789 0124"


# -- the detector: what it finds ---------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "match"), [
    ("0300-1234567", "phone", "0300-1234567"),
    ("call +92 300 1234567 after 5", "phone", "+92 300 1234567"),
    ("0092 321 7654321", "phone", "0092 321 7654321"),
    ("03001234567", "phone", "03001234567"),
    ("0300 123 4567", "phone", "0300 123 4567"),
    ("+91 98765 43210", "phone", "+91 98765 43210"),
    ("098765 43210", "phone", "098765 43210"),
    ("9876543210", "phone", "9876543210"),  # a bare Indian mobile number
    ("0091 98765 43210", "phone", "0091 98765 43210"),
    ("۰۳۰۰۱۲۳۴۵۶۷", "phone", "۰۳۰۰۱۲۳۴۵۶۷"),  # Urdu digits
    ("٠٣٠٠-١٢٣٤٥٦٧", "phone", "٠٣٠٠-١٢٣٤٥٦٧"),  # Arabic-Indic digits
    ("९८७६५४३२१०", "phone", "९८७६५४३२१०"),  # Devanagari digits
    ("021-35123456", "phone", "021-35123456"),  # a Karachi landline
    ("(021) 3512-3456", "phone", "(021) 3512-3456"),
    ("011-23456789", "phone", "011-23456789"),  # a Delhi landline
    ("https://wa.me/923001234567", "phone", "923001234567"),  # a contact link, country code and all
    ("+44 20 7946 0958", "phone", "+44 20 7946 0958"),  # any number written with its country code
    ("12345-1234567-1", "cnic", "12345-1234567-1"),
    ("CNIC 4210112345671", "cnic", "4210112345671"),
    (f"Aadhaar {AADHAAR}", "aadhaar", AADHAAR),
    ("2345-6789-0124", "aadhaar", "2345-6789-0124"),
    ("234567890124", "aadhaar", "234567890124"),
    ("ayesha@example.com", "email", "ayesha@example.com"),
    ("write to a.b+shop@mail.example.co.uk.", "email", "a.b+shop@mail.example.co.uk"),
    ("ayesha [at] gmail [dot] com", "email", "ayesha [at] gmail [dot] com"),
    ("ayesha(at)gmail.com", "email", "ayesha(at)gmail.com"),
    ("ayesha (at) gmail (dot) com", "email", "ayesha (at) gmail (dot) com"),
    ("ayesha at gmail dot com", "email", "ayesha at gmail dot com"),
    ("ayesha AT gmail.com", "email", "ayesha AT gmail.com"),
    ("AYESHA AT GMAIL DOT COM", "email", "AYESHA AT GMAIL DOT COM"),
    ("ayesha{at}example{dot}pk", "email", "ayesha{at}example{dot}pk"),
    ("ayesha @ example.com", "email", "ayesha @ example.com"),
    ("mail: عائشہ@example.pk", "email", "عائشہ@example.pk"),
])
def test_true_positives(text: str, kind: str, match: str) -> None:
    assert find_private_data(text) == [PrivateFinding(kind, text.index(match), match)]  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    # prices
    "PKR 12,000", "₹4,500", "12000", "Rs 25000", "₹1,20,000", "PKR 12,000-15,000", "1,00,00,000",
    "price 3,000,000", "USD 1250.50", "2,50,000 rupees in 2019",
    # years and dates
    "1998", "since 2005", "1998-2005", "2005–2010", "between 1998 and 2005 she sold 3000 quilts",
    "1998 2005 2010", "2024-03-15", "15/03/2024", "15.03.2024", "2024-03-15T15:00:00+05:00",
    "12/03/2024 15:30", "10:30-17:30",
    # marketplace ids (ASINs, Etsy listing and shop ids), ISBNs
    "B0KRG00001", "B0KRG00001 B0KRG00002", "1234567890", "1187654321", "4012345678", "987654321",
    "12345678", "Etsy listing 1576543210", "https://www.etsy.com/listing/9876543210/ralli-quilt",
    "https://www.daraz.pk/products/i123456789-s1234567890.html", "9780143031031", "ISBN 978-969-0-12345-6",
    # dimensions, quantities, percentages, codes
    "220 x 180 cm", "60x60", "8.5 x 11 in", "120cm x 200cm", "3 x 5 ft, 2000 knots", "1.5 kg",
    "1000000", "50000000", "thread count 10000000", "15%", "12.5%", "100% cotton",
    "ISO 3166-1", "ISO 4217", "PK-SD", "IN-UP", "pk/thatta", "sizes 36 38 40 42", "4500, 6000, 7500",
    "orders 100-150 per month since 2012", "call 1122", "version 1.2.3.4567", "PO 4500012345",
    "lot 2024-0001-17", "IMG_20240315_143022.jpg", "from 2005 2010 15 women",
    # identity-shaped numbers that are not: wrong check digit, wrong grouping, starts with 0 or 1
    "2345 6789 0125", "2345 678 90124", "1234 5678 9012", "0345 6789 0124", "12345-123456-1",
    "123456-1234567-1",
    # at-signs and "at" that are not addresses
    "Instagram @ayesha.crafts", "sells at daraz.pk", "learned at home. She", "user@localhost",
    "at the Lok Virsa festival", "meet us at stall 12 dot 5",
])
def test_near_misses(text: str) -> None:
    assert find_private_data(text) == []


def test_several_findings_in_order_each_once() -> None:
    text = "Call +92 300 1234567 or 0321-7654321, or mail ayesha@example.com; CNIC 12345-1234567-1."
    assert [(f.kind, f.text) for f in find_private_data(text)] == [
        ("phone", "+92 300 1234567"),  # found by both the PK and the IN matcher: reported once
        ("phone", "0321-7654321"),
        ("email", "ayesha@example.com"),
        ("cnic", "12345-1234567-1"),
    ]


def test_offsets_index_the_original_text() -> None:
    text = "فون نمبر: ۰۳۰۰-۱۲۳۴۵۶۷ (شام کو)"
    [finding] = find_private_data(text)
    assert text[finding.offset:finding.offset + len(finding.text)] == "۰۳۰۰-۱۲۳۴۵۶۷"
    assert finding.text == "۰۳۰۰-۱۲۳۴۵۶۷"


def test_mixed_scripts_of_digits() -> None:
    assert [f.text for f in find_private_data("0300-١٢٣٤۵۶۷")] == ["0300-١٢٣٤۵۶۷"]


def test_normalize_digits() -> None:
    assert normalize_digits("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩ ०१२३४५६७८९") == "0123456789 0123456789 0123456789"
    assert normalize_digits("০১২ ૩૪૫ ੬੭੮ ９") == "012 345 678 9"  # Bengali, Gujarati, Gurmukhi, full-width
    assert normalize_digits("Shazia, 1998") == "Shazia, 1998"
    text = "شازیہ ۱۹۹۸ سے"
    assert len(normalize_digits(text)) == len(text)


def test_aadhaar_constant_is_valid() -> None:
    digits = AADHAAR.replace(" ", "")
    assert verhoeff_valid(digits)
    assert [d for d in "0123456789" if verhoeff_valid(digits[:-1] + d)] == [digits[-1]]


def test_verhoeff_known_values() -> None:
    assert verhoeff_valid("2363")  # the usual worked example: 236 has check digit 3
    assert not verhoeff_valid("2364")
    assert verhoeff_valid("0")


def test_verhoeff_catches_single_errors_and_adjacent_swaps() -> None:
    digits = AADHAAR.replace(" ", "")
    for i in range(len(digits)):
        for d in "0123456789":
            if d != digits[i]:
                assert not verhoeff_valid(digits[:i] + d + digits[i + 1:]), (i, d)
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            assert not verhoeff_valid(swapped), i


def test_mask_hides_most_of_the_finding() -> None:
    assert mask(PrivateFinding("phone", 0, "0300-1234567")) == "03••-•••••67"
    assert mask(PrivateFinding("cnic", 0, "12345-1234567-1")) == "12•••-••••••7-1"
    assert mask(PrivateFinding("phone", 0, "۰۳۰۰۱۲۳۴۵۶۷")) == "۰۳•••••••۶۷"
    assert mask(PrivateFinding("email", 0, "ayesha@example.com")) == "a•••••@example.com"
    assert mask(PrivateFinding("email", 0, "ayesha [at] gmail [dot] com")) == "a••••• [at] gmail [dot] com"


# -- through validation -------------------------------------------------------------

def _private(sink: DiagnosticSink) -> list[tuple[str, str, int, int]]:
    return [item for item in found(sink) if item[1] == "private-data"]


def test_phone_in_name_is_located_at_the_number() -> None:
    front = base_artisan(name="Shazia Bibi 0300-1234567")
    result, sink = artisan(front)
    assert result is None
    assert found(sink) == [("error", "private-data", *at(front, "0300-1234567"))]
    [diag] = sink.items
    assert diag.message == ("`name` contains what looks like a phone number (03••-•••••67); contact details "
                            "of artisans must never be published")
    assert "programme or cooperative" in diag.hint and "`links`" in diag.hint and "`programs`" in diag.hint


def test_phone_in_story_line_3() -> None:
    front = base_artisan()
    body = "Shazia learned ralli from her mother.\n\nTo order, call +92 300 1234567 after five.\n"
    result, sink = artisan(front, body)
    assert result is None
    body_line = 3 + front.count("\n")
    assert found(sink) == [("error", "private-data", body_line + 2, 16)]
    assert sink.items[0].message.startswith("`story` contains what looks like a phone number (+92 ••• •••••67)")


def test_phone_in_product_description() -> None:
    body = "A quilt.\n\n۰۳۰۰۱۲۳۴۵۶۷\n"
    _, sink = product(base_product(), body)
    assert _private(sink) == [("error", "private-data", 3 + base_product().count("\n") + 2, 1)]
    assert sink.items[0].message.startswith("`description` contains")
    assert "`listings`" in sink.items[0].hint


def test_email_in_image_alt() -> None:
    front = base_product(photos='[{src: photos/quilt.jpg, alt: "A quilt; ask ayesha@example.com"}]')
    result, sink = product(front)
    assert result is None
    assert found(sink) == [("error", "private-data", *at(front, "ayesha@"))]
    assert "`photos.alt` contains what looks like an e-mail address (a•••••@example.com)" in sink.items[0].message


def test_cnic_in_materials() -> None:
    front = base_product(materials="[cotton, 12345-1234567-1, silk]")
    result, sink = product(front)
    assert result is None
    assert found(sink) == [("error", "private-data", *at(front, "12345"))]
    assert "`materials` contains what looks like a CNIC" in sink.items[0].message
    assert "identity number" in sink.items[0].hint


def test_aadhaar_in_dimensions_and_localized_name() -> None:
    front = base_artisan(name='{en: Shazia, ur: "شازیہ ۰۳۰۰۱۲۳۴۵۶۷"}')
    _, sink = artisan(front)
    line, col = at(front, "شازیہ ")
    assert found(sink) == [("error", "private-data", line, col + len("شازیہ "))]
    assert sink.items[0].message.startswith("`name.ur` contains")
    front = base_product(dimensions=f"220 x 180 cm, ID {AADHAAR}")
    _, sink = product(front)
    assert found(sink) == [("error", "private-data", *at(front, AADHAAR))]


def test_multi_line_value_is_located_at_its_start() -> None:
    front = base_product(dimensions="|\n  220 x 180 cm\n  ask 0300-1234567")
    _, sink = product(front)
    assert found(sink) == [("error", "private-data", *at(front, "|"))]


def test_nested_public_fields_are_scanned() -> None:
    front = base_artisan(location="{district: Thatta, province: Sindh 0300-1234567}",
                         verified="{by: ayesha@example.com, date: 2024-04-01}")
    _, sink = artisan(front)
    assert _private(sink) == [("error", "private-data", *at(front, "0300")),
                              ("error", "private-data", *at(front, "ayesha@"))]
    labels = [d.message.split(" ", 1)[0] for d in sink.items if d.code == "private-data"]
    assert labels == ["`location.province`", "`verified.by`"]


def test_private_fields_listings_and_photo_paths_are_not_scanned() -> None:
    front = base_artisan(
        _contact="0300-1234567, ayesha@example.com",
        links="[{marketplace: daraz, url: 'https://shop.daraz.pk/i9876543210-s03001234567.html'}]",
        photo="{src: 'https://media.karigar.example/pk/03001234567.jpg', alt: Shazia at her frame}",
        consent="{given: 2024-03-01, recorded_by: sana 0300-1234567}",
    )
    _, sink = artisan(front)
    assert sink.items == []
    front = base_product(listings="[{marketplace: amazon, id: B0KRG00001}]", draft="false")
    _, sink = product(front)
    assert sink.items == []


def test_drafts_are_scanned_too() -> None:
    # A draft is validated like any entry; it is what gets published once `draft` goes.
    _, sink = artisan(base_artisan(consent=None, draft="true", name="Shazia 0300-1234567"))
    assert [item[1] for item in found(sink)] == ["private-data"]


def test_every_finding_is_reported() -> None:
    front = base_product(title="Quilt 0300-1234567", materials="[cotton, ayesha@example.com]")
    _, sink = product(front, "CNIC 12345-1234567-1\n")
    assert [item[2] for item in _private(sink)] == [2, 4, 3 + front.count("\n")]


def test_near_misses_in_a_real_looking_product() -> None:
    front = base_product(
        title="Ralli quilt, 220 x 180 cm",
        price="{amount: 12000, currency: PKR}",
        materials="[100% cotton, thread 60x60]",
        dimensions="220 x 180 cm",
        listings="[{marketplace: amazon, id: B0KRG00001}, {marketplace: daraz, url: "
                 "'https://www.daraz.pk/products/i123456789-s1234567890.html'}]",
    )
    body = ("Made since 1998; PKR 12,000 (about ₹4,500). Etsy listing 1234567890 sold out in 2024.\n\n"
            "See it [on Daraz](https://www.daraz.pk/products/i123456789-s9876543210.html).\n")
    result, sink = product(front, body)
    assert sink.items == [] and result is not None


def test_training_resources_are_not_scanned() -> None:
    result, sink = training(base_training(provider="SMEDA, call 0300-1234567"),
                            "Questions: trainer@smeda.org or +92 51 1234567.\n")
    assert sink.items == [] and result is not None
