"""InstantSearch compatibility: the part of Algolia's search protocol that `algoliasearch/lite`
and InstantSearch (JS, React, Vue) use, POST /instantsearch/1/indexes/*/queries, answered by
polyfind's SearchService. Point the client's host at polyfind (see README, "InstantSearch").

The one facet is `lang`; `facetFilters` on it filter by language. An index name that is a
language code of the index ranks that language first (like the API's `prefer`). Highlight
values are HTML-escaped, except for the placeholder tags of InstantSearch and Autocomplete,
whose clients escape the plain text themselves (escaping it here too would show `&amp;`).
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from indexer.errors import PolyfindError, QueryError
from indexer.limits import MAX_PER_PAGE
from indexer.query import parse_query
from indexer.search import Hit, SearchService

from . import api
from .errors import answer_for, with_retry_after

blueprint = Blueprint("instantsearch", __name__, url_prefix="/instantsearch")
QUERIES = "/1/indexes/*/queries"
MAX_REQUESTS = 10
# Algolia's default `paginationLimitedTo`: hits beyond the first 1000 are never served.
PAGINATION_LIMIT = 1000
DEFAULT_HITS_PER_PAGE = 20
DEFAULT_MAX_VALUES_PER_FACET = 100
DEFAULT_TAGS = ("<em>", "</em>")
# Tag pairs of clients that escape the highlighted value themselves (escapeHTML in InstantSearch).
CLIENT_ESCAPED_TAGS = {("__ais-highlight__", "__/ais-highlight__"),
                       ("__aa-highlight__", "__/aa-highlight__")}
UNSUPPORTED_FILTERS = ("filters", "numericFilters", "tagFilters", "optionalFilters")
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
ALLOWED_HEADERS = ("content-type, x-algolia-api-key, x-algolia-application-id, "
                   "x-algolia-agent, x-algolia-usertoken")


class ProtocolError(Exception):
    """A request polyfind cannot answer; the client sees Algolia's {"message", "status"}."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def algolia_error(status: int, message: str) -> Response:
    response = jsonify({"message": message, "status": status})
    response.status_code = status
    return response


@blueprint.errorhandler(ProtocolError)
def protocol_error(exc: ProtocolError) -> Response:
    return algolia_error(exc.status, exc.message)


@blueprint.errorhandler(PolyfindError)
def polyfind_error(exc: PolyfindError) -> Response:
    """Algolia's error shape, the status from the one error table (search_web/errors.py)."""
    return with_retry_after(algolia_error(answer_for(exc).status, str(exc)), exc)


@blueprint.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Response:
    if exc.code == 413:
        return algolia_error(413, "the request body is too large (16 kB at most)")
    return algolia_error(exc.code or 400, exc.description or exc.name)


@blueprint.after_request
def cors(response: Response) -> Response:
    """The API's CORS answer (configured origins), for POST and its preflight."""
    response = api.cors(response)
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


# Endpoints that read a request body (Algolia's protocol is POST); the rest of polyfind
# refuses bodies.
BODY_ENDPOINTS = ("queries", "unknown")


@blueprint.post(QUERIES)
def queries() -> Response:
    """Algolia's multi-index search: one result per request, in order."""
    requests = parse_body(request.get_data())
    indexed = set(service().info()["languages"])
    return jsonify({"results": [answer(search_request(r), indexed) for r in requests]})


@blueprint.route("/<path:_rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(_rest: str) -> Response:
    return algolia_error(404, f"polyfind answers only POST {blueprint.url_prefix}{QUERIES}")


def service() -> SearchService:
    return current_app.config["POLYFIND_SERVICE"]


# -- reading the request ------------------------------------------------------------------
def parse_body(body: bytes) -> list[dict]:
    """The `requests` of the body (JSON, whatever the Content-Type: Algolia's clients send
    text/plain so that browsers skip the preflight)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(400, 'the body must be JSON: {"requests": [{"indexName": ..., '
                                 '"params": ...}]}') from None
    requests = data.get("requests") if isinstance(data, dict) else None
    if not isinstance(requests, list) or not all(isinstance(r, dict) for r in requests):
        raise ProtocolError(400, '"requests" must be a list of objects')
    if not 1 <= len(requests) <= MAX_REQUESTS:
        raise ProtocolError(400, f'"requests" must hold 1 to {MAX_REQUESTS} searches')
    return requests


@dataclass
class SearchRequest:
    """One search of a `queries` body, in polyfind's terms."""

    index: str
    query: str
    page: int
    hits_per_page: int
    facets: list[str]
    lang_filter: list[list[str]]
    tags: tuple[str, str]
    max_values_per_facet: int
    query_languages: list[str]
    params: str


def search_request(raw: dict) -> SearchRequest:
    """Params from the urlencoded string (values of arrays JSON-encoded, as the clients do),
    the `params` object, or the request itself (algoliasearch v5 flattens them)."""
    params = {k: v for k, v in raw.items() if k not in ("indexName", "params", "type")}
    given = raw.get("params", {})
    if isinstance(given, str):
        params.update(parse_qsl(given, keep_blank_values=True))
    elif isinstance(given, dict):
        params.update(given)
    else:
        raise ProtocolError(400, '"params" must be a urlencoded string or an object')
    if raw.get("type", "default") != "default":
        raise ProtocolError(400, "only searches for hits are supported (no facet value search)")
    index = raw.get("indexName")
    if not isinstance(index, str) or not index:
        raise ProtocolError(400, 'every request needs an "indexName" (any name)')
    for name in UNSUPPORTED_FILTERS:
        if params.get(name) not in (None, "", []):
            raise ProtocolError(400, f"{name} is not supported: polyfind filters by language "
                                     'only, with facetFilters ["lang:pl"]')
    return SearchRequest(
        index=index,
        query=text_param(params, "query"),
        page=int_param(params, "page", 0, 0, 10**6),
        hits_per_page=int_param(params, "hitsPerPage", DEFAULT_HITS_PER_PAGE, 0, MAX_PER_PAGE),
        facets=list_param(params, "facets"),
        lang_filter=facet_filters(params.get("facetFilters")),
        tags=(text_param(params, "highlightPreTag") or DEFAULT_TAGS[0],
              text_param(params, "highlightPostTag") or DEFAULT_TAGS[1]),
        max_values_per_facet=int_param(params, "maxValuesPerFacet",
                                       DEFAULT_MAX_VALUES_PER_FACET, 0, 1000),
        query_languages=list_param(params, "queryLanguages"),
        params=urlencode({k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                          for k, v in params.items()}),
    )


def decoded(value: object) -> object:
    """A value of the urlencoded form: arrays and objects arrive JSON-encoded."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            raise ProtocolError(400, f"malformed JSON in a parameter: {value[:40]!r}") from None
    return value


def text_param(params: dict, name: str) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        raise ProtocolError(400, f"{name} must be a string")
    return value


def int_param(params: dict, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value) if not isinstance(value, bool | float) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise ProtocolError(400, f"{name} must be a whole number from {low} to {high}, "
                                 f"got {str(value)[:20]!r}")
    return number


def list_param(params: dict, name: str) -> list[str]:
    """A list of strings given as a list, a JSON array or a comma-separated string."""
    value = decoded(params.get(name, []))
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError(400, f"{name} must be a list of strings")
    return value


def facet_filters(value: object) -> list[list[str]]:
    """facetFilters as a list of OR-groups (AND between groups): "lang:pl", ["lang:pl"] or
    [["lang:pl", "lang:he"], "lang:-kk"]; only the lang facet exists."""
    value = decoded(value)
    if value is None or value == "":
        return []
    groups = [value] if isinstance(value, str) else value
    if not isinstance(groups, list):
        raise ProtocolError(400, "facetFilters must be a list")
    out = []
    for group in groups:
        members = [group] if isinstance(group, str) else group
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise ProtocolError(400, 'facetFilters holds "lang:xx" strings or lists of them')
        for member in members:
            if member.partition(":")[0].strip() != "lang":
                raise ProtocolError(400, f"unknown facet in facetFilters {member[:40]!r}: "
                                         "polyfind has one facet, lang")
        out.append(members)
    return out


def allowed_languages(groups: list[list[str]], indexed: set[str]) -> set[str] | None:
    """The languages the filter lets through (None: no filter). "lang:-kk" excludes kk;
    a backslash keeps a leading minus literal, as in Algolia."""
    allowed: set[str] | None = None
    for group in groups:
        passed: set[str] = set()
        for member in group:
            value = member.partition(":")[2].strip()
            if value.startswith("-"):
                passed |= indexed - {value[1:].lower()}
            else:
                passed.add(value.removeprefix("\\").lower())
        allowed = passed if allowed is None else allowed & passed
    return allowed if allowed is None else allowed & indexed


# -- answering ----------------------------------------------------------------------------
@dataclass
class Found:
    total: int
    facets: dict[str, int]
    hits: list[Hit]
    took_ms: float


def answer(req: SearchRequest, indexed: set[str]) -> dict:
    """One Algolia search result."""
    langs = allowed_languages(req.lang_filter, indexed)
    prefer = next((code for code in [*req.query_languages, req.index] if code in indexed), None)
    wanted = req.hits_per_page if req.page * req.hits_per_page < PAGINATION_LIMIT else 0
    found = find(req.query, langs, req.page, wanted, prefer)
    per_page, words = req.hits_per_page, query_words(req.query)
    pages = math.ceil(min(found.total, PAGINATION_LIMIT) / per_page) if per_page else 0
    result = {
        "hits": [record(hit, req.tags, words) for hit in found.hits],
        "nbHits": found.total, "page": req.page, "nbPages": pages, "hitsPerPage": per_page,
        "exhaustiveNbHits": True, "exhaustiveFacetsCount": True,
        "exhaustive": {"nbHits": True, "facetsCount": True},
        "processingTimeMS": round(found.took_ms), "query": req.query, "params": req.params,
        "index": req.index,
    }
    if "lang" in req.facets or "*" in req.facets:
        counts = sorted(found.facets.items(), key=lambda kv: (-kv[1], kv[0]))
        result["facets"] = {"lang": dict(counts[:req.max_values_per_facet])}
    return result


def find(query: str, langs: set[str] | None, page: int, hits_per_page: int,
         prefer: str | None) -> Found:
    """Hits of one page (0-based) in the allowed languages. An empty query finds nothing:
    polyfind searches, it does not list its documents (Algolia would return them all)."""
    if not has_words(query) or langs == set():
        return Found(0, {}, [], 0.0)
    if langs is None or len(langs) == 1:
        lang = next(iter(langs)) if langs else None
        response = service().search(query, lang=lang, page=page + 1 if hits_per_page else 1,
                                    per_page=hits_per_page or 1, prefer=prefer)
        return Found(response.total, response.facets.get("lang", {}),
                     response.results if hits_per_page else [], response.took_ms)
    return merged(query, sorted(langs), page, hits_per_page, prefer)


def merged(query: str, langs: list[str], page: int, hits_per_page: int,
           prefer: str | None) -> Found:
    """Several languages: each language's best hits, merged by score. The service filters by
    one language at a time; a document scores alike in its language's search and in the
    unfiltered one (only typo correction can differ: it is tried per language here)."""
    wanted = (page + 1) * hits_per_page
    size = max(1, min(wanted, MAX_PER_PAGE))
    total, facets, hits, took = 0, {}, [], 0.0
    for lang in langs:
        collected, number = [], 1
        while True:
            response = service().search(query, lang=lang, page=number, per_page=size,
                                        prefer=prefer)
            collected += response.results
            took += response.took_ms
            if len(collected) >= min(wanted, response.total) or not response.results:
                break
            number += 1
        total += response.total
        facets.update({k: v for k, v in response.facets.get("lang", {}).items() if v})
        hits += collected[:wanted]
    hits.sort(key=lambda hit: -hit.score)
    return Found(total, facets, hits[page * hits_per_page:wanted], took)


def has_words(query: str) -> bool:
    """Whether polyfind finds anything to search for in the query (InstantSearch sends the
    empty query on load and every keystroke, so "no words" is no error here)."""
    if len(query) > current_app.config["POLYFIND_SETTINGS"].search.max_query_length:
        return True  # the service says what is wrong
    return query_words(query) > 0


def query_words(query: str) -> int:
    """How many words and phrases the query has (0 when nothing in it is searchable)."""
    try:
        parsed = parse_query(query)
    except QueryError:
        return 0
    return len(parsed.words) + len(parsed.phrases)


def record(hit: Hit, tags: tuple[str, str], words: int) -> dict:
    """An Algolia hit: attributes as plain text, highlights in _highlightResult and
    _snippetResult (the snippet is polyfind's best passage of the body)."""
    title = highlight(hit.title_html or html.escape(hit.title, quote=False), tags, words)
    snippet = highlight(hit.snippet, tags, words)
    return {
        "objectID": hit.id, "title": hit.title, "snippet": plain(hit.snippet),
        "url": hit.url, "lang": hit.lang,
        "translations": [{"lang": t.lang, "objectID": t.id, "title": t.title, "url": t.url}
                         for t in hit.translations],
        "_highlightResult": {"title": title, "snippet": snippet},
        "_snippetResult": {name: {"value": snippet["value"], "matchLevel": snippet["matchLevel"]}
                           for name in ("body", "snippet")},
    }


def plain(marked_html: str) -> str:
    return html.unescape(MARK.sub(r"\1", marked_html))


def highlight(marked_html: str, tags: tuple[str, str], query_words: int) -> dict:
    """polyfind's escaped text with <mark>s as an Algolia highlight. matchedWords are the
    marked forms (polyfind matches stems, folded and transliterated forms, not only the
    words typed); matchLevel is full when there are as many forms as query words."""
    pre, post = tags
    marked = list(dict.fromkeys(html.unescape(m).lower() for m in MARK.findall(marked_html)))
    value = marked_html.replace("<mark>", pre).replace("</mark>", post)
    if tags in CLIENT_ESCAPED_TAGS:
        value = html.unescape(value)
    level = "none" if not marked else "full" if len(marked) >= query_words else "partial"
    outside = MARK.sub("", marked_html).strip(" \t\n…")
    return {"value": value, "matchLevel": level, "matchedWords": marked,
            "fullyHighlighted": bool(marked) and not outside}
