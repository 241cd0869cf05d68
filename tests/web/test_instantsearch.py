"""InstantSearch compatibility (search_web/instantsearch.py): Algolia's search protocol through
Flask's test client, and the real InstantSearch.js with algoliasearch/lite (vendored in
tests/web/instantsearch/) in headless Chromium against a real server on another origin."""

from __future__ import annotations

import html
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from search_web import create_app

from .test_hostile_content import EVIL, evil_service  # noqa: F401 - a fixture

QUERIES = "/instantsearch/1/indexes/*/queries"
PAGE = Path(__file__).resolve().parent / "instantsearch"
PLACEHOLDERS = {"highlightPreTag": "__ais-highlight__", "highlightPostTag": "__/ais-highlight__"}


@pytest.fixture(scope="module")
def client(built_settings, service):
    return create_app(built_settings, service).test_client()


def post(client, *requests: dict, headers: dict | None = None):
    return client.post(QUERIES, data=json.dumps({"requests": list(requests)}),
                       headers={"Content-Type": "text/plain", **(headers or {})})


def results(client, *requests: dict) -> list[dict]:
    response = post(client, *requests)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def params(**values: object) -> str:
    """Params as algoliasearch v4 sends them: urlencoded, arrays JSON-encoded."""
    return urlencode({k: v if isinstance(v, str | int) else json.dumps(v)
                      for k, v in values.items()})


# -- the protocol -------------------------------------------------------------------------
def test_params_string_and_object_forms_answer_alike(client) -> None:
    as_string = {"indexName": "articles",
                 "params": params(query="CRM", hitsPerPage=5, facets=["lang"])}
    as_object = {"indexName": "articles",
                 "params": {"query": "CRM", "hitsPerPage": 5, "facets": ["lang"]}}
    flattened = {"indexName": "articles", "query": "CRM", "hitsPerPage": 5, "facets": ["lang"]}
    answers = results(client, as_string, as_object, flattened)
    first = answers[0]
    assert first["nbHits"] == sum(first["facets"]["lang"].values()) > 5
    assert first["hitsPerPage"] == 5 and first["page"] == 0
    assert first["nbPages"] == -(-first["nbHits"] // 5)
    assert first["query"] == "CRM" and first["index"] == "articles"
    assert first["exhaustiveNbHits"] is True and isinstance(first["processingTimeMS"], int)
    assert "query=CRM" in first["params"] and "hitsPerPage=5" in first["params"]
    for other in answers[1:]:
        assert [h["objectID"] for h in other["hits"]] == [h["objectID"] for h in first["hits"]]
        assert other["facets"] == first["facets"] and other["nbHits"] == first["nbHits"]


def test_hits_carry_object_ids_highlights_and_snippets(client, service) -> None:
    [answer] = results(client, {"indexName": "articles", "params": params(query="lejek")})
    native = service.search("lejek", per_page=20)
    assert [h["objectID"] for h in answer["hits"]] == [h.id for h in native.results]
    hit = answer["hits"][0]
    assert {hit["lang"], hit["url"]} == {"pl", "/doc/pl-01"}
    title = hit["_highlightResult"]["title"]
    assert title["value"] == "Czym jest <em>lejek</em> sprzedażowy?"  # Algolia's default tags
    assert title["matchLevel"] == "full" and title["matchedWords"] == ["lejek"]
    assert title["fullyHighlighted"] is False
    snippet = hit["_highlightResult"]["snippet"]
    assert "<em>" in snippet["value"] and "<mark>" not in snippet["value"]
    assert hit["_snippetResult"]["body"]["value"] == snippet["value"]
    assert hit["snippet"] == html.unescape(snippet["value"].replace("<em>", "")
                                           .replace("</em>", ""))
    assert {t["lang"] for t in hit["translations"]} == {"af", "he", "kk"}


def test_highlight_tags_are_honoured_and_values_stay_escaped(client) -> None:
    tags = {"highlightPreTag": '<b class="x">', "highlightPostTag": "</b>"}
    [custom] = results(client, {"indexName": "a", "params": {"query": 'בדוא"ל', **tags}})
    value = custom["hits"][0]["_highlightResult"]["snippet"]["value"]
    assert '<b class="x">בדוא"ל</b>' in value  # quotes need no escaping in text
    assert "<em>" not in value and "<mark>" not in value
    assert custom["hits"][0]["_highlightResult"]["snippet"]["matchedWords"] == ['בדוא"ל']


def test_instantsearch_placeholders_get_plain_text_it_escapes_itself(evil_service) -> None:  # noqa: F811
    settings, service = evil_service
    client = create_app(settings, service).test_client()
    [escaped, plain] = results(client, {"indexName": "a", "query": "lejek"},
                               {"indexName": "a", "query": "lejek", **PLACEHOLDERS})
    title = escaped["hits"][0]["_highlightResult"]["title"]["value"]
    assert "<script>" not in title and "&lt;script&gt;" in title
    body = escaped["hits"][0]["_snippetResult"]["body"]["value"]
    assert "<img" not in body and "&lt;img" in body
    # InstantSearch (escapeHTML, its default) escapes these values before it renders them
    title = plain["hits"][0]["_highlightResult"]["title"]["value"]
    assert title == EVIL["title"].replace("Lejek", "__ais-highlight__Lejek__/ais-highlight__")
    assert escaped["hits"][0]["title"] == plain["hits"][0]["title"] == EVIL["title"]


def test_facet_filters_by_language(client) -> None:
    def hits(filters: object) -> tuple[set[str], dict, int]:
        [answer] = results(client, {"indexName": "a", "query": "CRM", "hitsPerPage": 100,
                                    "facets": ["lang"], "facetFilters": filters})
        return {h["lang"] for h in answer["hits"]}, answer["facets"]["lang"], answer["nbHits"]

    everything = hits([])
    assert everything[0] == {"af", "he", "ka", "kk", "pl"}
    counts = everything[1]
    assert hits(["lang:he"]) == ({"he"}, {"he": counts["he"]}, counts["he"])
    assert hits("lang:he")[0] == {"he"}
    assert hits(json.dumps([["lang:he", "lang:pl"]])) == (
        {"he", "pl"}, {"he": counts["he"], "pl": counts["pl"]}, counts["he"] + counts["pl"])
    assert hits(["lang:-kk"])[0] == {"af", "he", "ka", "pl"}
    assert hits([["lang:he", "lang:pl"], "lang:pl"])[0] == {"pl"}
    assert hits(["lang:xx"]) == (set(), {}, 0)  # as in Algolia: a value nothing has


def test_several_languages_merge_by_score_and_page_on(client, service) -> None:
    def page(number: int) -> list[str]:
        [answer] = results(client, {"indexName": "a", "query": "kliënte", "hitsPerPage": 4,
                                    "page": number, "facetFilters": [["lang:af", "lang:pl"]]})
        return [h["objectID"] for h in answer["hits"]]

    native = service.search("kliënte", per_page=100)
    assert {h.lang for h in native.results} == {"af", "pl"}
    ranked = [h.id for h in native.results]
    assert page(0) + page(1) + page(2) + page(3) == ranked[:16]


def test_disjunctive_faceting_requests_of_instantsearch(client) -> None:
    """A refinementList with one value chosen: the filtered search, and the one without the
    facet's own filter for the counts of the other values."""
    main, facet = results(
        client,
        {"indexName": "a", "params": params(query="CRM", hitsPerPage=3, facets=["lang"],
                                             facetFilters=[["lang:he"]], **PLACEHOLDERS)},
        {"indexName": "a", "params": params(query="CRM", hitsPerPage=0, page=0, facets="lang",
                                             analytics="false", clickAnalytics="false")},
    )
    assert {h["lang"] for h in main["hits"]} == {"he"} and len(main["hits"]) == 3
    assert set(main["facets"]["lang"]) == {"he"}
    assert facet["hits"] == [] and facet["nbPages"] == 0 and facet["hitsPerPage"] == 0
    assert set(facet["facets"]["lang"]) == {"af", "he", "ka", "kk", "pl"}
    assert facet["nbHits"] == sum(facet["facets"]["lang"].values())


def test_max_values_per_facet_keeps_the_biggest(client) -> None:
    [answer] = results(client, {"indexName": "a", "query": "kliënte", "facets": ["*"],
                                "maxValuesPerFacet": 1})
    assert answer["facets"] == {"lang": {"pl": 8}}


def test_index_name_or_query_languages_rank_a_language_first(client) -> None:
    def first_lang(**request: object) -> str:
        [answer] = results(client, {"indexName": "articles", "query": "SEO", **request})
        return answer["hits"][0]["lang"]

    assert first_lang(indexName="pl") == "pl"
    assert first_lang(indexName="kk") == "kk"
    assert first_lang(indexName="articles", queryLanguages=["af"]) == "af"
    best = client.get("/api/v1/search?q=SEO").get_json()["results"][0]["lang"]
    assert first_lang() == best  # no preference: the best score, as the API ranks it


def test_empty_query_finds_nothing_and_is_no_error(client) -> None:
    for query in ("", "   ", '"', "-"):
        [answer] = results(client, {"indexName": "a", "query": query, "facets": ["lang"]})
        assert answer["hits"] == [] and answer["nbHits"] == 0 and answer["nbPages"] == 0
        assert answer["query"] == query
        assert answer["facets"] == {"lang": {}}


def test_pages_past_the_last_hit_are_empty(client) -> None:
    [last, past, limit] = results(client, {"indexName": "a", "query": "CRM", "hitsPerPage": 5,
                                           "page": 3},
                                  {"indexName": "a", "query": "CRM", "page": 7},
                                  {"indexName": "a", "query": "CRM", "hitsPerPage": 100,
                                   "page": 10})
    assert len(last["hits"]) == last["nbHits"] - 15 > 0
    assert past["hits"] == [] and past["nbHits"] == last["nbHits"]
    assert limit["hits"] == [] and limit["nbPages"] == 1


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "must be JSON"),
    (b"\xff\xfe", "must be JSON"),
    (b'{"requests": {}}', "must be a list"),
    (b'{"requests": []}', "1 to 10"),
    (b'[{"indexName": "a"}]', "must be a list"),
    (b'{"requests": [{"params": "query=a"}]}', "indexName"),
    (b'{"requests": [{"indexName": "a", "params": 5}]}', "urlencoded string or an object"),
    (b'{"requests": [{"indexName": "a", "page": "two"}]}', "page must be a whole number"),
    (b'{"requests": [{"indexName": "a", "page": -1}]}', "page must be a whole number"),
    (b'{"requests": [{"indexName": "a", "hitsPerPage": 1000}]}', "from 0 to 100"),
    (b'{"requests": [{"indexName": "a", "facetFilters": ["brand:x"]}]}', "one facet, lang"),
    (b'{"requests": [{"indexName": "a", "facetFilters": [[1]]}]}', "lang:xx"),
    (b'{"requests": [{"indexName": "a", "params": "facetFilters=%5B"}]}', "malformed JSON"),
    (b'{"requests": [{"indexName": "a", "filters": "lang:pl"}]}', "filters is not supported"),
    (b'{"requests": [{"indexName": "a", "type": "facet", "facet": "lang"}]}', "facet value"),
])
def test_bad_requests_get_algolia_errors(client, body: bytes, message: str) -> None:
    response = client.post(QUERIES, data=body, content_type="application/json")
    assert response.status_code == 400
    error = response.get_json()
    assert error["status"] == 400 and message in error["message"]


def test_too_long_query_and_too_big_body(client) -> None:
    response = post(client, {"indexName": "a", "query": "słowo " * 200})
    assert response.status_code == 400 and "too long" in response.get_json()["message"]
    response = post(client, {"indexName": "a", "query": "x" * 20_000})
    assert response.status_code == 413
    assert response.get_json() == {"message": "the request body is too large (16 kB at most)",
                                   "status": 413}


def test_missing_index_is_a_503_in_algolias_shape(tmp_path) -> None:
    from ..conftest import settings_for

    client = create_app(settings_for(tmp_path / "no-index")).test_client()
    response = post(client, {"indexName": "a", "query": "lejek"})
    assert response.status_code == 503
    error = response.get_json()
    assert error["status"] == 503 and "polyfind index" in error["message"]


def test_other_paths_and_methods(client) -> None:
    for method in ("get", "put"):
        response = getattr(client, method)(QUERIES)
        assert response.status_code == 404 and "POST" in response.get_json()["message"]
    response = client.post("/instantsearch/1/indexes/articles/browse", data="{}")
    assert response.get_json()["status"] == 404


def test_cors_preflight_and_post_from_configured_origins(built_settings, service) -> None:
    serve = replace(built_settings.serve, cors_origins=["https://shop.example"])
    client = create_app(replace(built_settings, serve=serve), service).test_client()
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type, x-algolia-api-key"}
    allowed = client.options(QUERIES, headers={"Origin": "https://shop.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    assert "x-algolia-api-key" in allowed.headers["Access-Control-Allow-Headers"]
    other = client.options(QUERIES, headers={"Origin": "https://evil.example", **preflight})
    assert "Access-Control-Allow-Origin" not in other.headers
    response = post(client, {"indexName": "a", "query": "CRM"},
                    headers={"Origin": "https://shop.example", "X-Algolia-API-Key": "k",
                             "X-Algolia-Application-Id": "app"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"


# -- the real InstantSearch.js in Chromium ------------------------------------------------
@contextmanager
def static_site(folder: Path) -> Iterator[str]:
    """A host site on its own origin (another port than polyfind's)."""
    from .test_browser import free_port

    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(folder), **k)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def polyfind_server(settings, service) -> Iterator[str]:
    from werkzeug.serving import make_server

    from .test_browser import free_port

    port = free_port()
    wsgi = make_server("127.0.0.1", port, create_app(settings, service), threaded=True)
    threading.Thread(target=wsgi.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        wsgi.shutdown()
        wsgi.server_close()


@pytest.fixture(scope="module")
def site(built_settings, service) -> Iterator[str]:
    with polyfind_server(built_settings, service) as polyfind, static_site(PAGE) as page:
        yield f"{page}?{urlencode({'polyfind': polyfind})}"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """test_browser's headless Chromium (imported here: that module skips without it)."""
    from . import test_browser

    yield from test_browser.browser.__wrapped__()


def wait_for(browser, condition, timeout: float = 20):
    return WebDriverWait(browser, timeout).until(lambda _: condition())


def articles(browser) -> list:
    return browser.find_elements(By.CSS_SELECTOR, "#hits article")


def shown(browser) -> list[tuple[str, str]]:
    """(lang, objectID) of the hits on screen, read at once (InstantSearch re-renders)."""
    return [tuple(pair) for pair in browser.execute_script(
        "return [...document.querySelectorAll('#hits article')]"
        ".map((a) => [a.lang, a.dataset.id])")]


def type_query(browser, query: str) -> None:
    box = browser.find_element(By.CSS_SELECTOR, ".ais-SearchBox-input")
    box.clear()
    box.send_keys(query)
    wait_for(browser, lambda: rendered(browser, "Query") == query, timeout=30)


def rendered(browser, what: str) -> str | None:
    """The query or page of the results InstantSearch shows (set by the page's app.js)."""
    return browser.execute_script(f"return document.body.dataset.rendered{what}")


def refine(browser, lang: str) -> None:
    wanted = ",".join(sorted({*(rendered(browser, "Langs") or "").split(","), lang} - {""}))
    browser.find_element(By.CSS_SELECTOR, f'#lang input[value="{lang}"]').click()
    wait_for(browser, lambda: rendered(browser, "Langs") == wanted)


def go_to_page(browser, number: int) -> None:
    link = f'.ais-Pagination-item--page a[aria-label="Page {number}"]'
    browser.find_element(By.CSS_SELECTOR, link).click()
    wait_for(browser, lambda: rendered(browser, "Page") == str(number - 1))
    selected = browser.find_element(By.CSS_SELECTOR, ".ais-Pagination-item--selected")
    assert selected.text == str(number)


def open_site(browser, url: str) -> None:
    browser.get(url)
    wait_for(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".no-hits"))


@pytest.mark.parametrize(("query", "lang", "marked"), [
    ("lejek sprzedazowy", "pl", "sprzedażowy"),
    ("маркетинг", "kk", "маркетинг"),
    ('בדוא"ל', "he", 'בדוא"ל'),
    ("bemarking", "af", "bemarking"),
    ("მომხმარებლები", "ka", "მომხმარებლები"),
])
def test_instantsearch_page_in_each_language(browser, site, query, lang, marked) -> None:
    open_site(browser, site)  # the empty query on load: no hits, no error
    type_query(browser, query)
    wait_for(browser, lambda: articles(browser))
    assert shown(browser)[0][0] == lang
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#hits mark")]
    assert marks and all(marks) and marked in {m.lower() for m in marks}
    assert "&" not in browser.find_element(By.ID, "hits").text  # nothing escaped twice
    refine(browser, lang)
    assert {hit_lang for hit_lang, _ in shown(browser)} == {lang} and len(shown(browser)) == 3
    page_one = shown(browser)
    go_to_page(browser, 2)
    assert {hit_lang for hit_lang, _ in shown(browser)} == {lang}
    assert not set(shown(browser)) & set(page_one)
    assert browser.execute_script("return window.polyfindErrors") == []


def test_instantsearch_refinements_are_disjunctive(browser, site, service) -> None:
    counts = service.search("CRM").facets["lang"]
    open_site(browser, site)
    type_query(browser, "CRM")
    wait_for(browser, lambda: len(browser.find_elements(By.CSS_SELECTOR, "#lang li")) == 5)
    refine(browser, "he")
    wait_for(browser, lambda: {lang for lang, _ in shown(browser)} == {"he"})
    assert len(browser.find_elements(By.CSS_SELECTOR, "#lang li")) == 5  # others still offered
    refine(browser, "pl")
    total = counts["he"] + counts["pl"]
    wait_for(browser, lambda: f"{total} results" in browser.find_element(By.ID, "stats").text)
    assert {lang for lang, _ in shown(browser)} <= {"he", "pl"}
    labels = {i.get_attribute("value"): i.find_element(By.XPATH, "..").text
              for i in browser.find_elements(By.CSS_SELECTOR, "#lang input")}
    assert all(str(counts[lang]) in label for lang, label in labels.items())


def test_algoliasearch_4_lite_client_works_too(browser, site) -> None:
    """Version 4 sends params as one urlencoded string, as a form, with its own URL builder."""
    open_site(browser, f"{site}&client=v4")
    type_query(browser, "kliënte")
    offered = browser.find_elements(By.CSS_SELECTOR, "#lang input")
    assert {i.get_attribute("value") for i in offered} == {"af", "pl"}
    assert browser.find_elements(By.CSS_SELECTOR, "#hits h2 mark, #hits .snippet mark")
    refine(browser, "pl")
    page_one = shown(browser)
    go_to_page(browser, 2)
    assert {lang for lang, _ in shown(browser)} == {"pl"} and shown(browser) != page_one
    assert browser.execute_script("return window.polyfindErrors") == []


def test_instantsearch_shows_hostile_articles_as_text(browser, evil_service) -> None:  # noqa: F811
    from selenium.common.exceptions import NoAlertPresentException

    settings, service = evil_service
    with polyfind_server(settings, service) as polyfind, static_site(PAGE) as page:
        open_site(browser, f"{page}?{urlencode({'polyfind': polyfind})}")
        type_query(browser, "lejek")
        wait_for(browser, lambda: articles(browser))
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018 - raises when no alert opened
        assert not browser.find_elements(By.CSS_SELECTOR, "#hits img, #hits script")
        title = browser.find_element(By.CSS_SELECTOR, "#hits h2").text
        assert title == EVIL["title"]
        assert browser.find_element(By.CSS_SELECTOR, "#hits h2 mark").text == "Lejek"
