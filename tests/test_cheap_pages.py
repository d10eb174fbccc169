"""Cheap pages (issue 11): what is decided once per language or build must give the bytes the slow way gave.

* Product cards are kept packed (zlib with a preset dictionary): what comes
  out is exactly what went in, in any script, and much smaller.
* Interface strings without placeholders are translated when a template
  compiles: the page shows what gettext would have given, and the compiled
  template calls no gettext for them.
* Template indentation is dropped from the source, never inside ``<pre>`` or
  a ``{% trans %}`` block (its text is a message id).
* The catalog frame's white space is dropped only where it cannot render.
* The frame's icons come from one sprite made from the theme's own icons.
* A page's meta description is what a search result shows: cut at a word.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import material
from markupsafe import Markup

from karigar.frame import compact_whitespace
from karigar.material import icon_sprite
from karigar.render.build_views import DESCRIPTION_LIMIT, summary
from karigar.render.cards import PackedHtml
from karigar.render.environment import make_environment
from karigar.render.locale import ui_locale
from tests.conftest import REPO

TEMPLATES = REPO / "theme" / "karigar"
CARD = ('<article class="kg-card kg-card--product">\n<h3 class="kg-card__title"><a href="/artisans/pk/thatta/{slug}/">'
        '{title}</a></h3>\n<p class="kg-card__price"><span class="kg-visually-hidden">Indicative price: </span>'
        "Rs\u00a04,500</p>\n</article>")


def test_packed_cards_unpack_to_the_same_html_in_every_script() -> None:
    packer = PackedHtml()
    titles = ["Ralli quilt", "رلی رضائی", "रल्ली रज़ाई", "Quilt & <cover>", ""]
    cards = [CARD.format(slug=f"maker-{n}", title=title) for n, title in enumerate(titles)]
    packed = [packer.pack(card) for card in cards]
    assert [packer.unpack(p) for p in packed] == cards
    assert all(isinstance(packer.unpack(p), Markup) for p in packed)
    # Later cards find their markup in the first one: each keeps little more than its own words.
    assert all(len(p) < len(card.encode()) / 3 for p, card in zip(packed[1:], cards[1:]))


def environment(lang: str, source: str) -> jinja2.Environment:
    env = make_environment(TEMPLATES, ui_locale(lang))
    env.loader = jinja2.DictLoader({"t.html": source})
    return env


def test_interface_strings_are_translated_when_the_template_compiles() -> None:
    ui = ui_locale("ur")
    source = ('<p title="{{ _(\'Breadcrumb\') }}">{{ _("Description") }} '
              '{{ _("Page %(page)s of %(pages)s", page=1, pages=2) }}</p>')
    env = environment("ur", source)
    html = env.get_template("t.html").render()
    expected = (f'<p title="{Markup(ui.gettext("Breadcrumb")) % {}}">{Markup(ui.gettext("Description")) % {}} '
                f'{Markup(ui.gettext("Page %(page)s of %(pages)s")) % {"page": 1, "pages": 2}}</p>')
    assert html == expected and ui.gettext("Description") in html and "Description" not in html
    code = env.compile(source, raw=True)
    assert ui.gettext("Description") in code  # compiled in as the page's text
    # Only the call with placeholders still asks gettext when a page renders.
    assert "'Page %(page)s of %(pages)s'" in code and "'Description'" not in code and "'Breadcrumb'" not in code


def test_a_translation_is_markup_as_gettext_made_it_and_other_underscores_are_left_alone() -> None:
    env = environment("en", '{{ _("100%% handmade") }}|{{ x._("Description") }}|{{ _ }}')
    env.globals["x"] = type("X", (), {"_": staticmethod(lambda text: f"<{text}>")})()
    html = env.get_template("t.html").render()
    first, second, _third = html.split("|")
    assert first == "100% handmade"  # new-style gettext formats, so %% is one %
    assert second == "&lt;Description&gt;"  # an attribute named _ is not gettext: escaped as any value


def test_template_indentation_is_dropped_but_not_in_pre_or_a_message() -> None:
    source = ("<ul>\n    <li>a</li>\n\t<li>b</li>\n</ul>\n<pre>\n    kept\n</pre>\n"
              "{% trans n=1 %}one\n    line{% endtrans %}")
    env = environment("en", source)
    html = env.get_template("t.html").render()
    assert html.startswith("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre>\n    kept\n</pre>\n")
    assert html.endswith("one\n    line")


def test_frame_white_space_goes_only_where_it_cannot_render() -> None:
    html = ('<div>\n  <nav>\n <a href="/">A</a>\n <a href="/b">B</a> <span>c</span>\n</nav>\n'
            '<script>var a = "<b>  <i>";</script>\n<pre>  <b> x </b>\n</pre>\n</div>')
    assert compact_whitespace(html) == ('<div><nav><a href="/">A</a>\n<a href="/b">B</a> <span>c</span></nav>'
                                        '<script>var a = "<b>  <i>";</script><pre>  <b> x </b>\n</pre></div>\n')


def test_the_icon_sprite_holds_the_themes_icons_with_their_view_boxes() -> None:
    dirs = [str(REPO / "theme"), str(Path(material.__file__).parent / "templates")]
    sprite, boxes = icon_sprite(["material/menu", "material/translate", "no/such-icon"], dirs)
    assert boxes == {"material/menu": "0 0 24 24", "material/translate": "0 0 24 24"}
    assert sprite.startswith('<svg xmlns="http://www.w3.org/2000/svg"><symbol id="material-menu" viewBox="0 0 24 24">')
    assert sprite.count("<symbol ") == 2 and "<path" in sprite
    assert icon_sprite(["no/such-icon"], dirs) == ("", {})


def test_a_description_is_cut_at_a_word_where_a_search_result_would_cut_it() -> None:
    assert summary("  A quilt,\n  made by hand. ") == "A quilt, made by hand."
    text = "This beaded khussa pair is made by hand in Agra. " * 6
    cut = summary(text)
    assert len(cut) <= DESCRIPTION_LIMIT + 1 and cut.endswith("\u2026") and text.startswith(cut[:-1])
    assert text[len(cut) - 1] == " "  # a whole word ends where the ellipsis starts
    urdu = "رلی، " * 60  # every word ends with Urdu's comma
    assert summary(urdu).endswith("رلی\u2026")  # the comma is not left before the ellipsis
    assert len(summary("x" * 500)) == DESCRIPTION_LIMIT + 1  # no space to cut at: cut at the limit
