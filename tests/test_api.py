"""The content API (``/api/v1/``) as a partner meets it: documents that validate against the schemas the site
publishes, an entry point from which links alone reach every artisan and product once, nothing private or
unpublished, the headers a deploy sends, and quick builds that rewrite only what an edit changed."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import jsonschema
from openapi_spec_validator import validate as validate_openapi

from karigar.commands.demo import run_demo
from karigar.diagnostics import format_text
from karigar.hosting.netlify_headers import deploy_header_rules, headers_for
from karigar.render import api_types
from karigar.render.api_schema import json_schema
from tests.conftest import REPO, build, settings_for
from tests.test_search import private_entries
from tests.test_quick_build import build as build_tree
from tests.test_quick_build import TABLE_COVER, checkout, origin, replace_in

__all__ = ["origin"]  # test_quick_build's fixture: part of the sample site in Git, built once

SITE_URL = "https://karigar.netlify.app/"
API = "api/v1/"


def documents(site: Path) -> Iterator[tuple[str, dict[str, object]]]:
    """(path under api/v1/, document) of every document of the API (not its schemas)."""
    root = site / API
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith("schema/") and rel != "openapi.json":
            yield rel, json.loads(path.read_text("utf-8"))


def schema_name(rel: str, document: dict[str, object]) -> str:
    """Which schema a document claims to follow: the entry point, a list page, an id page, or its type."""
    if rel == "index.json":
        return "index"
    if rel.startswith("lists/"):
        return "list"
    if rel.startswith("ids/"):
        return "ids"
    return str(document["type"])


def validate_site(site: Path, *, strict_too: bool = True) -> Counter[str]:
    """Validate every document with the schema the site publishes for it, and with the strict one (no property
    its type does not declare) if ``strict_too``; the published schemas and the OpenAPI description are
    checked too."""
    published = {}
    for name in api_types.DOCUMENTS:
        schema = json.loads((site / API / "schema" / f"{name}.json").read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"{SITE_URL}{API}schema/{name}.json"
        published[name] = jsonschema.Draft202012Validator(schema)
    strict = {name: jsonschema.Draft202012Validator(json_schema(cls, schema_id=name, strict=True))
              for name, cls in api_types.DOCUMENTS.items()}
    validate_openapi(json.loads((site / API / "openapi.json").read_text("utf-8")))
    seen: Counter[str] = Counter()
    for rel, document in documents(site):
        name = schema_name(rel, document)
        for validator in (published[name], strict[name]) if strict_too else (published[name],):
            errors = sorted(validator.iter_errors(document), key=str)
            assert not errors, f"{rel}: {errors[0].message} at {list(errors[0].absolute_path)}"
        seen[name] += 1
    return seen


def test_every_document_of_the_sample_validates_against_its_published_schema(sample_site: Path) -> None:
    seen = validate_site(sample_site)
    assert set(seen) == set(api_types.DOCUMENTS), seen  # every type of document was there to check
    assert seen["index"] == 1


def test_every_document_of_a_thousand_artisans_in_three_languages_validates(tmp_path: Path) -> None:
    """The synthetic demo (translations, cooperatives, districts of two countries, drafts) at 1,000 artisans."""
    dest = tmp_path / "demo"
    assert run_demo(site_root=REPO, dest=dest, artisans=1000, seed=7, photos=False, force=False,
                    out=io.StringIO()) == 0
    settings = settings_for(dest / "mkdocs.yml", site_dir=dest / "site", cache_dir=dest / "cache")
    assert settings.languages == ("en", "ur", "hi")
    result = build(settings, run_mkdocs=False, jobs=2)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    seen = validate_site(settings.site_dir, strict_too=False)
    assert seen["artisan"] > 900 and seen["product"] > 5000, seen
    artisans, products = published_entries(settings.site_dir)
    assert (seen["artisan"], seen["product"]) == (len(artisans), len(products))


def _links(value: object) -> Iterator[str]:
    """Every URL of the API a document holds (not its schemas')."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _links(item)
    elif isinstance(value, str) and value.startswith(SITE_URL + API) and value.endswith("index.json"):
        yield value


def walk(site: Path) -> dict[str, dict[str, object]]:
    """Follow links from the entry point, as a partner's crawler would: URL -> document, each fetched once."""
    start = SITE_URL + API + "index.json"
    found: dict[str, dict[str, object]] = {}
    todo = [start]
    while todo:
        url = todo.pop()
        if url in found:
            continue
        path = site / url[len(SITE_URL):]
        assert path.is_file(), f"a link to {url}, which the site does not have"
        found[url] = json.loads(path.read_text("utf-8"))
        todo.extend(link for link in _links(found[url]) if link not in found)
    return found


def published_entries(site: Path) -> tuple[set[str], set[str]]:
    """The ids of the artisans and products the site has pages for (the default language's pages)."""
    artisans = {p.parent.relative_to(site).as_posix() + "/" for p in site.glob("artisans/*/*/*/index.html")
                if "page" not in p.parts}
    products = {p.parent.relative_to(site).as_posix() + "/" for p in site.glob("artisans/*/*/*/*/index.html")
                if "page" not in p.parts}
    return artisans, products


def test_links_from_the_entry_point_reach_every_artisan_and_product_once_in_every_language(sample_site: Path) -> None:
    reached = walk(sample_site)
    by_type: dict[str, Counter[str]] = {"artisan": Counter(), "product": Counter()}
    for url, document in reached.items():
        if document.get("type") in by_type:
            by_type[str(document["type"])][str(document["id"])] += 1
            assert document["url"] == url
            assert API + str(document["id"]) + "index.json" == url[len(SITE_URL):]
    artisans, products = published_entries(sample_site)
    assert len(artisans) > 10 and len(products) > 30
    assert set(by_type["artisan"]) == artisans and set(by_type["product"]) == products
    # One document per entity: no id is published twice (not once per language, not under another path).
    every = Counter(str(doc["id"]) for _rel, doc in documents(sample_site) if doc.get("type") in by_type)
    assert every == by_type["artisan"] + by_type["product"] and set(every.values()) == {1}
    # Every language inside each: the page of each language the site has, and its texts.
    for url, document in reached.items():
        if document.get("type") in by_type:
            name = document["name" if document["type"] == "artisan" else "title"]
            assert name["fallback"] == "en" and "en" in name["values"], url  # type: ignore[index]
            assert list(document["pages"]) == ["en", "ur", "hi"], url  # type: ignore[call-overload]
            for lang, page in document["pages"].items():  # type: ignore[attr-defined]
                assert (sample_site / page[len(SITE_URL):] / "index.html").is_file(), (url, lang)


def test_a_translated_text_is_given_in_its_language_and_an_untranslated_one_falls_back_to_the_default(
        sample_site: Path) -> None:
    """Shazia Bibi's name is translated into Urdu in the sample and not into Hindi: her Urdu page shows the Urdu
    name, her Hindi page the English one, and her document says the same."""
    document = json.loads((sample_site / API / "artisans/pk/thatta/shazia-bibi/index.json").read_text("utf-8"))
    name = document["name"]
    assert name["fallback"] == "en" and set(name["values"]) == {"en", "ur"}
    urdu_page = (sample_site / "ur/artisans/pk/thatta/shazia-bibi/index.html").read_text("utf-8")
    hindi_page = (sample_site / "hi/artisans/pk/thatta/shazia-bibi/index.html").read_text("utf-8")
    assert name["values"]["ur"] in urdu_page and name["values"]["ur"] not in hindi_page
    assert name["values"]["en"] in hindi_page


def test_values_are_typed_prices_dates_countries_and_marketplace_links(sample_site: Path) -> None:
    docs = dict(documents(sample_site))
    products = [doc for doc in docs.values() if doc.get("type") == "product"]
    priced = [doc for doc in products if doc["price"] is not None]
    assert priced and all(isinstance(doc["price"]["amount"], (int, float)) for doc in priced)  # type: ignore[index]
    assert {doc["price"]["currency"] for doc in priced} <= {"PKR", "INR", "USD"}  # type: ignore[index]
    assert {doc["country_code"] for doc in products} == {"PK", "IN"}
    listings = [listing for doc in products for listing in doc["listings"]]  # type: ignore[attr-defined]
    assert listings and all(listing["url"].startswith("https://") for listing in listings)
    # The HTML page of each product shows the same price and the same buy links as its document.
    doc = next(d for d in priced if d["listings"])
    page = (sample_site / str(doc["pages"]["en"])[len(SITE_URL):] / "index.html").read_text("utf-8")  # type: ignore[index]
    for listing in doc["listings"]:  # type: ignore[attr-defined]
        assert listing["url"].replace("&", "&amp;") in page
    events = [d for d in docs.values() if d.get("type") == "training" and d["starts"]]
    assert events and all(str(d["starts"])[10] == "T" and str(d["starts"])[-6] in "+-" for d in events)


def test_lists_are_paged_with_links_and_the_id_lists_hold_every_entry_once(sample_site: Path) -> None:
    artisans, products = published_entries(sample_site)
    for collection, expected in (("artisans", artisans), ("products", products)):
        listed: list[str] = []
        url: str | None = SITE_URL + API + f"lists/{collection}/index.json"
        first = True
        while url:
            page = json.loads((sample_site / url[len(SITE_URL):]).read_text("utf-8"))
            assert (page["count"] == len(expected)) if first else page["count"] is None
            listed += [item["id"] for item in page["items"]]
            url, first = page["next"], False
        assert sorted(listed) == sorted(expected)
        ids = json.loads((sample_site / API / f"ids/{collection}/index.json").read_text("utf-8"))
        assert sorted(entry["id"] for entry in ids["ids"]) == sorted(expected) and ids["next"] is None


def test_the_entry_point_lists_the_collections_languages_schemas_and_documentation(sample_site: Path) -> None:
    entry = json.loads((sample_site / API / "index.json").read_text("utf-8"))
    assert entry["api_version"] == "1" and entry["languages"] == ["en", "ur", "hi"]
    assert {c["name"] for c in entry["collections"]} >= {"artisans", "products", "training", "crafts"}
    assert entry["openapi"] == SITE_URL + API + "openapi.json"
    docs_page = entry["documentation"][len(SITE_URL):]
    assert (sample_site / docs_page / "index.html").is_file(), "the partners' page in content/"
    assert SITE_URL + API + "lists/events/index.json" in entry["lists"]


def test_drafts_consentless_entries_and_private_fields_never_reach_the_api(make_site) -> None:  # type: ignore[no-untyped-def]
    files = private_entries()
    root = make_site(files)
    settings = settings_for(root / "mkdocs.yml")
    result = build(settings, run_mkdocs=False)
    assert result.ok, [format_text(d) for d in result.check.diagnostics if d.is_error]
    site = settings.site_dir
    every = " ".join(json.dumps(document, ensure_ascii=False) for _rel, document in documents(site))
    assert "Blue ralli quilt" in every and "Shazia Bibi" in every
    for secret in ("0300", "ayesha", "House 12", "sana", "Hidden Weaver", "hidden-weaver", "Unreleased", "secret",
                   "Nameless", "no-consent", "2025-03-01", "consent", "_contact"):
        assert secret not in every, secret
    assert sorted(rel for rel, doc in documents(site) if doc.get("type") in ("artisan", "product")) == [
        "artisans/pk/thatta/shazia-bibi/index.json", "artisans/pk/thatta/shazia-bibi/quilt/index.json"]


def test_a_deploy_serves_the_api_as_json_to_any_origin_and_leaves_the_pages_headers_alone(sample_site: Path) -> None:
    rules = deploy_header_rules(sample_site, REPO / "netlify.toml")
    api = headers_for(rules, "/api/v1/artisans/pk/thatta/shazia-bibi/index.json")
    assert api["Content-Type"] == "application/json; charset=utf-8"
    assert api["Access-Control-Allow-Origin"] == "*" and "GET" in api["Access-Control-Allow-Methods"]
    assert "max-age=" in api["Cache-Control"] and api["X-Robots-Tag"] == "noindex"
    page = headers_for(rules, "/artisans/pk/thatta/shazia-bibi/")
    assert "Access-Control-Allow-Origin" not in page and "Content-Type" not in page
    assert page["Content-Security-Policy"] == headers_for(rules, "/")["Content-Security-Policy"]
    assert "Cache-Control" not in page and "X-Robots-Tag" not in page


def test_a_quick_edit_rewrites_the_products_document_and_the_list_pages_showing_it_and_nothing_else(
        origin: Path, tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "edit")
    replace_in(root / TABLE_COVER, "amount: 2100", "amount: 2150")  # its price: on its lists too
    quick = build_tree(root)
    assert quick.quick, "the edit took the quick path"
    written = [p for p in quick.report.written if p.startswith(API)]  # type: ignore[union-attr]
    product = "artisans/in/lucknow/rukhsana-parveen/chikankari-table-cover/"
    assert API + product + "index.json" in written
    others = [p for p in written if not p.startswith(("api/v1/lists/", "api/v1/ids/")) and product not in p]
    assert others == [], "only its own document among the entities' documents"
    for path in written:
        if path.startswith((API + "lists/", API + "ids/")):
            page = json.loads((root / "site" / path).read_text("utf-8"))
            assert any(item["id"] == product for item in page.get("items", page.get("ids", []))), path
    assert API + "ids/products/index.json" in written  # its revision changed
    assert API + "index.json" not in written and not any(p.startswith(API + "ids/artisans") for p in written)


def test_the_dev_server_serves_the_api_documents_on_demand(tmp_path: Path) -> None:
    """``karigar serve`` renders documents when asked, like pages: a partner can try the API locally."""
    from karigar.serve import DevServer
    from tests.conftest import NOW
    from tests.test_serve import WAIT, fetch, read_settings
    from tests.test_serve import make_site as serve_site

    server = DevServer(read_settings(serve_site(tmp_path)), NOW, host="127.0.0.1", port=0, out=io.StringIO(),
                       err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_change(0, WAIT) >= 1, "the first build did not finish"
        status, headers, body = fetch(server, "/api/v1/index.json")
        assert status == 200 and headers["content-type"].startswith("application/json"), headers
        lists = {c["name"]: c["list"] for c in json.loads(body)["collections"]}
        status, _headers, body = fetch(server, lists["artisans"][len(SITE_URL) - 1:])
        artisan = json.loads(body)["items"][0]
        status, _headers, body = fetch(server, artisan["url"][len(SITE_URL) - 1:])
        assert status == 200 and json.loads(body)["id"] == artisan["id"]
    finally:
        server.stop()
