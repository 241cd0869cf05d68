"""The JSON API other sites build on: /api/v1/search, /suggest, /doc/<id>, /info, described by
/api/v1/openapi.json (the same endpoints answer under /api, the unversioned alias).

Every error is JSON {"error": {"code", "message"}} with a 4xx status for the caller's
mistakes; CORS headers for GET from the configured origins.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from indexer.config import Settings
from indexer.errors import ExplainNotAllowedError, PolyfindError, QueryError
from indexer.limits import MAX_PAGE, MAX_PER_PAGE
from indexer.query import PREFIX_MODES
from indexer.search import SearchService

from .errors import json_error, polyfind_json

blueprint = Blueprint("api", __name__, url_prefix="/api")
VERSIONED_PREFIX = "/api/v1"
OPENAPI = Path(__file__).parent / "openapi" / "openapi.json"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def service() -> SearchService:
    return current_app.config["POLYFIND_SERVICE"]


def settings() -> Settings:
    return current_app.config["POLYFIND_SETTINGS"]


@blueprint.errorhandler(ApiError)
def api_error(exc: ApiError) -> Response:
    return json_error(exc.status, exc.code, exc.message)


@blueprint.errorhandler(PolyfindError)
def polyfind_error(exc: PolyfindError) -> Response:
    """Status, code and message from the one error table (search_web/errors.py)."""
    return polyfind_json(exc)


@blueprint.after_request
def cors(response: Response) -> Response:
    origins = settings().serve.cors_origins
    origin = request.headers.get("Origin")
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    response.headers["Access-Control-Allow-Methods"] = "GET"
    response.headers["Cache-Control"] = "no-store"
    return response


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"bad_{name}", f"{name} must be a whole number, got {raw[:20]!r}"
                       ) from None
    if not low <= value <= high:
        raise ApiError(400, f"bad_{name}", f"{name} must be between {low} and {high}")
    return value


def query_arg(required: bool = True) -> str:
    q = request.args.get("q", "")
    longest = settings().search.max_query_length
    if len(q) > longest:
        raise ApiError(400, "q_too_long", f"q is too long ({len(q)} characters; limit {longest})")
    if required and not q.strip():
        raise ApiError(400, "missing_q", "q is required: /api/search?q=words")
    return q


def explain_arg() -> bool:
    """explain=1 asks each hit's score taken apart: only where [api] explain allows it."""
    raw = request.args.get("explain", "0").strip().lower()
    if raw not in ("0", "1", "false", "true"):
        raise QueryError(f"explain must be 1 or 0, got {raw[:20]!r}")
    if raw in ("0", "false"):
        return False
    if not settings().api.explain:
        raise ExplainNotAllowedError("explain=1 is not allowed on this server: its operator "
                                     "can set explain = true under [api] in config.toml")
    return True


@blueprint.get("/search")
def search() -> Response:
    q = query_arg()
    page = int_arg("page", 1, 1, MAX_PAGE)
    per_page = int_arg("per_page", settings().search.per_page, 1, MAX_PER_PAGE)
    prefer = (request.args.get("prefer") or "").strip().lower()[:3] or None
    lang = (request.args.get("lang") or "").strip().lower()[:10] or None
    prefix = request.args.get("prefix", "off").strip().lower()
    if prefix not in PREFIX_MODES:
        raise ApiError(400, "bad_prefix",
                       f"prefix must be one of {', '.join(PREFIX_MODES)} (auto: the last word "
                       "is a beginning unless the query ends in a space)")
    response = service().search(q, lang=lang, page=page, per_page=per_page, prefer=prefer,
                                prefix=prefix, explain=explain_arg())
    data = response.to_dict()
    for hit, found in zip(data["results"], response.results, strict=True):
        hit["title_html"] = found.title_html  # escaped text with only <mark> tags
    return jsonify(data)


@blueprint.get("/suggest")
def suggest() -> Response:
    """Completions of the last word; ?format=opensearch answers the browsers' suggestion
    format, [query, [completions]] (application/x-suggestions+json)."""
    q = query_arg(required=False)
    suggestions = service().suggest(q)
    if request.args.get("format") == "opensearch":
        return current_app.response_class(json.dumps([q, suggestions], ensure_ascii=False),
                                          mimetype="application/x-suggestions+json")
    return jsonify({"query": q, "suggestions": suggestions})


@blueprint.get("/doc/<doc_id>")
def document(doc_id: str) -> Response:
    doc = service().document(doc_id[:200], query=query_arg(required=False) or None)
    if doc is None:
        raise ApiError(404, "not_found", f"no document with id {doc_id[:50]!r}")
    keys = ("id", "lang", "title", "body", "url", "source", "position", "translations",
            "meta", "body_html", "partial")
    return jsonify({k: doc[k] for k in keys if k in doc})


@blueprint.get("/info")
def info() -> Response:
    data = service().info()
    return jsonify({"languages": data["languages"], "documents": data["documents"],
                    "generation": data["generation"], "built_at": data["built_at"]})


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The published contract (OpenAPI 3.1) that every response of this API follows."""
    return current_app.response_class(OPENAPI.read_bytes(), mimetype="application/json")


@blueprint.route("/<path:_rest>")
def unknown(_rest: str) -> Response:
    return json_error(404, "not_found", "no such API endpoint; see the README")
