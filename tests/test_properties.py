"""Property-based tests: any text a user can send gets results or a clear QueryError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.errors import QueryError
from search_web import create_app

# Text from every script we serve, plus the syntax characters people and attackers type.
ALPHABET = st.sampled_from(
    list("aąłżeêënś") + list("ქართულიწჭ") + list("עבריתדוא״׳ְּ") + list("қазақшаәіү")
    + list(' "\'-*?~^():!&|\\/<>%\u200d\u200f\u202e\x00\t\n') + ["🔍", "𝔸", "ﬁ"]
)
QUERIES = st.one_of(st.text(alphabet=ALPHABET, max_size=60), st.text(max_size=60))
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(query=QUERIES, lang=st.sampled_from([None, "pl", "he", "ka", "kk", "af"]),
       page=st.integers(min_value=1, max_value=3))
def test_search_service_answers_or_refuses_clearly(service, query, lang, page) -> None:
    try:
        response = service.search(query, lang=lang, page=page, per_page=5)
    except QueryError as exc:
        assert str(exc)
        return
    assert response.total >= 0 and len(response.results) <= 5
    for hit in response.results:
        text = hit.snippet.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in text


@pytest.fixture(scope="module")
def client(built_settings, service):
    return create_app(built_settings, service).test_client()


@SETTINGS
@given(query=QUERIES, page=st.text(max_size=4), lang=st.text(max_size=3))
def test_api_never_answers_5xx(client, query, page, lang) -> None:
    response = client.get("/api/search", query_string={"q": query, "page": page, "lang": lang})
    assert response.status_code in (200, 400)
    assert response.is_json


@SETTINGS
@given(query=QUERIES)
def test_page_and_suggest_never_fail(client, query) -> None:
    assert client.get("/", query_string={"q": query}).status_code == 200
    assert client.get("/api/suggest", query_string={"q": query}).status_code in (200, 400)
