"""The search page and article page through Flask's test client."""

from __future__ import annotations

import re

import pytest

from search_web import create_app


@pytest.fixture(scope="module")
def client(built_settings, service):
    return create_app(built_settings, service).test_client()


def test_plain_get_form_shows_results(client) -> None:
    html = client.get("/?q=lejek&lang=pl").get_data(as_text=True)
    assert 'action="/"' in html and 'name="q"' in html
    assert "<mark>" in html and 'href="/doc/pl-01?q=lejek' in html
    assert "Czym jest" in html


def test_hebrew_results_are_rtl(client) -> None:
    html = client.get("/?q=%D7%9E%D7%A9%D7%A4%D7%9A").get_data(as_text=True)
    assert re.search(r'<li class="result" lang="he" dir="rtl">', html)


def test_interface_language_from_browser_and_switch(client) -> None:
    html = client.get("/", headers={"Accept-Language": "ka,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ka" dir="ltr">' in html and "ძიება" in html
    html = client.get("/?ui=he").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in html


def test_empty_state_suggestion_pagination(client) -> None:
    empty = client.get("/?ui=en&q=zzzzqqq").get_data(as_text=True)
    assert "No results" in empty
    typo = client.get("/?ui=en&q=markteing+automatyzacja&lang=pl").get_data(as_text=True)
    assert "Did you mean" in typo
    paged = client.get("/?ui=en&q=CRM&page=2").get_data(as_text=True)
    assert 'rel="prev"' in paged


def test_article_page_with_highlights_and_translations(client) -> None:
    html = client.get("/doc/kk-01?q=%D1%88%D2%B1%D2%A3%D2%9B%D1%8B%D1%80").get_data(as_text=True)
    assert "<mark>" in html and "/doc/pl-01" in html
    assert client.get("/doc/nope").status_code == 404


def test_security_headers_and_no_inline_script(client) -> None:
    response = client.get("/?q=lejek")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)


def test_query_with_markup_is_inert(client) -> None:
    html = client.get('/?q="><img src=x onerror=alert(1)>').get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img" in html


def test_widget_and_opensearch(client) -> None:
    js = client.get("/embed.js")
    assert js.status_code == 200 and "attachShadow" in js.get_data(as_text=True)
    xml = client.get("/opensearch.xml").get_data(as_text=True)
    assert "OpenSearchDescription" in xml and "{searchTerms}" in xml
    static = client.get("/static/style.css")
    assert static.headers.get("ETag") and "max-age" in static.headers.get("Cache-Control", "")


def test_interface_language_is_preferred_for_neutral_queries(client) -> None:
    html = client.get("/?ui=kk&q=ERP").get_data(as_text=True)
    assert html.index("/doc/kk-07") < html.index("/doc/pl-07")
    data = client.get("/api/search?q=ERP&prefer=he").get_json()
    assert data["results"][0]["id"] == "he-07"


@pytest.mark.parametrize(("ui", "query", "expected"), [
    ("af", "verkoopstregters", "1 resultaat"), ("en", "verkoopstregters", "1 result"),
    ("pl", "verkoopstregters", "1 wynik"), ("pl", "lejek", "2 wyniki"),
    ("pl", "marketing", "{total} wyników"), ("he", "verkoopstregters", "תוצאה אחת"),
    ("kk", "lejek", "2 нәтиже"), ("ka", "lejek", "2 შედეგი"),
])
def test_counts_follow_the_locales_plural_rules(client, ui, query, expected) -> None:
    if "{total}" in expected:  # Polish "many": 5-21, 25-31, ... (the count follows ranking)
        total = client.get(f"/api/search?q={query}").get_json()["total"]
        assert total % 10 in (0, 1, 5, 6, 7, 8, 9) or total % 100 in range(12, 15), total
        expected = expected.format(total=total)
    html = client.get(f"/?ui={ui}&q={query}").get_data(as_text=True)
    assert f'<span class="total">{expected}</span>' in html
    took = re.search(r'<span class="took">([^<]*)</span>', html).group(1)
    assert re.fullmatch(r"\D*\d+\D*", took), took  # whole milliseconds, no false precision


def test_a_page_past_the_end_shows_the_last_page(client) -> None:
    html = client.get("/?ui=en&q=CRM&page=50").get_data(as_text=True)
    assert "17 results" in html and "Page 2 of 2" in html and "class=\"empty\"" not in html
    assert 'class="result"' in html


def test_page_structure_for_keyboards_and_phones(client) -> None:
    home = client.get("/?ui=en").get_data(as_text=True)
    results = client.get("/?ui=en&q=CRM&lang=pl").get_data(as_text=True)
    assert " autofocus" in home and " autofocus" not in results
    for html in (home, results):
        assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
        assert html.count("<h1") == 1
        assert 'role="combobox"' in html and 'aria-controls="suggestions"' in html
    assert 'id="lang"' in home and 'class="facets"' not in home  # the language filter once
    assert 'id="lang"' not in results and 'class="facets"' in results
    assert '<input type="hidden" name="lang" value="pl">' in results


def test_every_string_translated(client) -> None:
    missing = client.get("/no/such/page?ui=pl")
    assert missing.status_code == 404 and "Nie ma takiej strony." in missing.get_data(as_text=True)
    html = client.get("/doc/nope?ui=ka").get_data(as_text=True)
    assert "სტატია იდენტიფიკატორით „nope“ არ არსებობს." in html


def test_no_results_links_to_all_languages(client) -> None:
    html = client.get("/?ui=en&q=lejek&lang=he").get_data(as_text=True)
    assert "No results" in html
    assert re.search(r'<a class="all" href="\?[^"]*q=lejek[^"]*">Search in all languages</a>',
                     html)
    assert "lang=he" not in re.search(r'<a class="all" href="([^"]*)"', html).group(1)


def test_latin_typed_georgian_says_so(client) -> None:
    html = client.get("/?ui=en&q=khmovani+dzieba").get_data(as_text=True)
    assert "Georgian results for “khmovani dzieba”, typed in Latin letters." in html
    html = client.get("/?ui=pl&q=khmovani+dzieba").get_data(as_text=True)
    assert "Wyniki w języku: gruziński dla „khmovani dzieba” wpisanego łacinką." in html
