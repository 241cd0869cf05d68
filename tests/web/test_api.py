"""The JSON API through Flask's test client, on the real index."""

from __future__ import annotations

import pytest

from search_web import create_app


@pytest.fixture(scope="module")
def client(built_settings, service):
    return create_app(built_settings, service).test_client()


def test_search_contract(client) -> None:
    response = client.get("/api/search?q=lejek%20sprzeda%C5%BCy&lang=pl&per_page=3")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"query", "lang", "total", "page", "per_page", "took_ms", "suggestion",
                         "facets", "results", "partial", "transliterated"}
    first = data["results"][0]
    assert first["id"] == "pl-01" and first["url"] == "/doc/pl-01"
    assert {t["lang"] for t in first["translations"]} == {"kk", "af", "he"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert data["facets"]["lang"] == {"pl": data["total"]}
    assert data["transliterated"] == []
    assert "<mark>" in first["title_html"] and "<" not in first["title"]


def test_latin_typed_georgian_is_reported(client) -> None:
    data = client.get("/api/search?q=khmovani%20dzieba").get_json()
    assert data["transliterated"] == ["ka"] and data["results"][0]["lang"] == "ka"


@pytest.mark.parametrize(("query", "reported"), [
    ("שיווק דיגיט", []),        # Hebrew half-typed in Hebrew letters
    ("verkoopstreg", []),       # Afrikaans half-typed: Latin is its own script
    ("cross-dock", []),         # Latin words found as written in Kazakh and Hebrew articles
    ("lejek sprzed", []),
    ("khmovani dzie", ["ka"]),  # Georgian half-typed in Latin letters
])
def test_transliterated_only_when_a_reading_found_it(client, query, reported) -> None:
    """A half-typed word's completions found as typed are not a transliteration."""
    data = client.get("/api/search", query_string={"q": query, "prefix": "on"}).get_json()
    assert data["total"] > 0
    assert data["transliterated"] == reported


def test_suggest_in_the_browsers_opensearch_format(client) -> None:
    plain = client.get("/api/suggest?q=lej").get_json()
    response = client.get("/api/suggest?q=lej&format=opensearch")
    assert response.mimetype == "application/x-suggestions+json"
    assert response.get_json() == ["lej", plain["suggestions"]] and plain["suggestions"]
    xml = client.get("/opensearch.xml").get_data(as_text=True)
    assert "suggest?format=opensearch&amp;q={searchTerms}" in xml


@pytest.mark.parametrize(("query", "code"), [
    ("q=lejek&page=0", "bad_page"),
    ("q=lejek&page=abc", "bad_page"),
    ("q=lejek&per_page=101", "bad_per_page"),
    ("q=lejek&lang=xx", "unknown_lang"),
    ("q=" + "a" * 600, "q_too_long"),
    ("q=", "missing_q"),
    ("q=%20%20", "missing_q"),
    ("q=AND%20*", "bad_query"),
])
def test_caller_mistakes_are_json_4xx(client, query: str, code: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("q", [
    '"unbalanced', "((", "title:x", "lang:xx lejek", "*lejek", "lej?k", "a~2", "^", "\x00",
    "%ZZ", "\u202e\u200dלקוח", "🔍 emoji", "ქართული עברית қазақ Polski",
    "<script>alert(1)</script>",
])
def test_odd_queries_never_fail(client, q: str) -> None:
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400)
    assert response.is_json


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%ZZ", "%", "%00", "%C3%28"])
def test_invalid_encodings_never_fail(client, raw: str) -> None:
    response = client.get(f"/api/search?q={raw}lejek")
    assert response.status_code in (200, 400) and response.is_json


def test_script_in_query_is_escaped_in_results(client) -> None:
    data = client.get("/api/search", query_string={"q": "<script>lejek"}).get_json()
    for hit in data["results"]:
        assert "<script" not in hit["snippet"]


def test_suggest_doc_info_health(client) -> None:
    assert "lejek sprzedaży" in client.get("/api/suggest?q=lejek%20sprzed").get_json()[
        "suggestions"]
    doc = client.get("/api/doc/he-01?q=משפך").get_json()
    assert doc["lang"] == "he" and "<mark>" in doc["body_html"]
    assert client.get("/api/doc/nope").status_code == 404
    assert client.get("/api/doc/..%2f..%2fetc%2fpasswd").status_code == 404
    info = client.get("/api/info").get_json()
    assert info["documents"] == 50 and info["languages"]["he"] == 10
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert client.get("/api/nothing").get_json()["error"]["code"] == "not_found"
    assert client.post("/api/search?q=x").status_code == 405


def test_missing_index_is_503_json(tmp_path) -> None:
    from ..conftest import settings_for

    client = create_app(settings_for(tmp_path / "none")).test_client()
    response = client.get("/api/search?q=lejek")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "index_missing"
    health = client.get("/healthz")
    assert health.status_code == 503 and "polyfind index" in health.get_json()["reason"]


def test_rate_limit_per_client(built_settings, service) -> None:
    from dataclasses import replace

    settings = replace(built_settings, serve=replace(built_settings.serve, rate_limit=3))
    client = create_app(settings, service).test_client()
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    codes = [client.get("/api/info", environ_base=remote).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert client.get("/api/info").status_code == 200  # loopback is exempt by default
    assert client.get("/healthz", environ_base=remote).status_code == 200


def test_megabyte_query_and_traversal(client) -> None:
    response = client.get("/api/search", query_string={"q": "a" * (1024 * 1024)})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "q_too_long"
    for path in ("/static/../config.toml", "/static/%2e%2e/config.toml", "/doc/..%2F..%2Fetc"):
        assert client.get(path).status_code == 404


def test_ranking_time_limit_keeps_partial_hits(service, monkeypatch) -> None:
    import indexer.search.service as search_module

    monkeypatch.setattr(search_module, "SEARCH_SECONDS", 0.0)
    response = service.search("lejek sprzedaży kampania", lang="pl")  # not cached yet
    assert response.total > 0  # scoring stopped after its first term, without an error


def test_openapi_document_is_valid_and_served_under_v1(client) -> None:
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())
    assert response.get_json() == client.get("/api/openapi.json").get_json()


@pytest.mark.parametrize("path", ["/search?q=lejek", "/suggest?q=lej", "/doc/pl-01?q=lejek",
                                  "/info", "/doc/nope", "/search?q=lejek&page=0", "/nope"])
def test_v1_paths_answer_like_their_aliases(client, path: str) -> None:
    versioned, alias = client.get(f"/api/v1{path}"), client.get(f"/api{path}")
    assert versioned.status_code == alias.status_code
    strip = ("took_ms",)
    assert ({k: v for k, v in versioned.get_json().items() if k not in strip}
            == {k: v for k, v in alias.get_json().items() if k not in strip})


def test_the_check_catches_a_broken_answer() -> None:
    """The OpenAPI check itself fails on an answer that breaks the document."""
    from ..openapi_check import check_api_response

    with pytest.raises(AssertionError):
        check_api_response("/api/v1/info", 200, {"documents": "many"})
    with pytest.raises(AssertionError):
        check_api_response("/api/v1/search", 418, {"error": {"code": "x", "message": "y"}})


@pytest.mark.parametrize(("query", "lang", "marked"), [
    ("sprzed", "pl", "sprzeda"),
    ("sprzedazo", "pl", "sprzeda"),
    ("khmov", "ka", "ხმოვ"),
    ("шұңқ", "kk", "шұңқ"),
    ("шунк", "kk", "шұңқ"),
    ("שיוו", "he", "שיוו"),
    ("verkoopstr", "af", "erkoopstr"),
])
def test_prefix_matches_half_words_in_every_script(client, query, lang, marked) -> None:
    """A half word finds nothing as a whole word, and its completions with prefix=auto (as
    written, folded, Georgian typed in Latin, Kazakh without its special letters)."""
    from urllib.parse import quote

    whole = client.get(f"/api/search?q={quote(query)}&lang={lang}").get_json()
    data = client.get(f"/api/search?q={quote(query)}&lang={lang}&prefix=auto").get_json()
    # (typed without special letters, a half word may already be a typo of a whole one)
    assert data["total"] > whole["total"] or (query == "sprzedazo" and data["total"])
    assert data["results"][0]["lang"] == lang
    assert marked in data["results"][0]["snippet"].lower() or \
        marked in data["results"][0]["title_html"].lower()
    assert "<mark>" in data["results"][0]["snippet"]


def test_prefix_modes(client, service) -> None:
    """auto: the last word is a beginning unless the query ends in a space or sentence
    punctuation or the word is quoted or excluded; on: always; whole words rank above
    completions."""
    def total(q: str, mode: str) -> int:
        from urllib.parse import quote
        return client.get(f"/api/search?q={quote(q)}&prefix={mode}").get_json()["total"]

    assert total("lejek sprz", "auto") > total("lejek sprz", "off")
    assert total("lejek sprz ", "auto") == total("lejek sprz", "off")
    assert total("lejek sprz ", "on") == total("lejek sprz", "auto")
    assert total('lejek "sprz"', "auto") == total('lejek "sprz"', "off")
    assert total("lejek sprz?", "auto") == total("lejek sprz?", "off")  # a finished word
    bad = client.get("/api/search?q=x&prefix=maybe")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_prefix"
    # A document with the whole word outranks those with its completions only.
    ranked = service.search("lejek", lang="pl", prefix="on").results
    plain = {h.id for h in service.search("lejek", lang="pl").results}
    whole = [h.id in plain for h in ranked]
    assert whole == sorted(whole, reverse=True)


def test_suggestions_co_occur_with_the_words_typed(client) -> None:
    def suggest(q: str) -> list[str]:
        from urllib.parse import quote
        return client.get(f"/api/suggest?q={quote(q)}").get_json()["suggestions"]

    assert "sprzedajemy" in suggest("sprzedaj")
    assert suggest("lejek sprzedaj") == []  # no document has both
    after = suggest("lejek sprz")
    assert after and all(s.startswith("lejek sprz") for s in after)
    assert suggest("sprzedaz")[0] == "sprzedaż"  # folded, completed as written
    assert "ხმოვანი" in suggest("khmov")  # Georgian typed in Latin letters
    assert suggest("lejek zzzq") == []


def test_did_you_mean_prefers_the_frequent_spelling(client) -> None:
    data = client.get("/api/search?q=verkoopstreter").get_json()
    assert data["suggestion"] == "verkoopstregter"
    assert data["results"][0]["id"] == "af-01"


def test_the_page_size_and_query_length_come_from_the_settings(built_settings, service) -> None:
    """One source for limits: the API, the page and its numbering read search.per_page
    and search.max_query_length from the settings."""
    from dataclasses import replace
    settings = replace(built_settings, search=replace(built_settings.search, per_page=3,
                                                      max_query_length=12))
    client = create_app(settings, service).test_client()
    data = client.get("/api/search?q=e-commerce").get_json()
    assert data["per_page"] == 3 and len(data["results"]) == 3 < data["total"]
    refused = client.get("/api/search?q=" + "sklep" * 3)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "q_too_long" and "limit 12" in \
        refused.get_json()["error"]["message"]
    page = client.get("/?q=e-commerce&page=2").get_data(as_text=True)
    assert '<ol class="results" start="4">' in page
    assert page.count('<li class="result"') == 3


def test_one_error_table_answers_json_and_pages(client) -> None:
    from indexer.errors import BusyError, IndexDamagedError, QueryError, UnknownLanguageError
    from search_web.errors import answer_for
    assert answer_for(UnknownLanguageError("x")).code == "unknown_lang"
    assert answer_for(QueryError("x")).status == 400
    assert answer_for(IndexDamagedError("x")).operator
    assert answer_for(BusyError("x")).page_text == "busy"
    assert client.get("/api/search?q=lejek&lang=xx").get_json()["error"]["code"] == \
        "unknown_lang"
