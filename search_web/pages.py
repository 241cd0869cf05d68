"""The search page, the article page, the widget script, OpenSearch and the health check."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from indexer.config import SearchSettings
from indexer.errors import PolyfindError, QueryError
from indexer.limits import MAX_PAGE
from indexer.search import SearchService

from .errors import answer_for, json_error, polyfind_json, with_retry_after
from .i18n import (
    UI_LANGUAGES,
    direction,
    endonyms,
    language_name,
    number,
    plural,
    script_strings,
    texts,
    ui_language,
)

blueprint = Blueprint("pages", __name__)
# Host header: a DNS name (labels of 1-63 letters, digits and inner hyphens; an optional
# trailing dot) or an IPv4 address, or a bracketed IPv6 address; then an optional port.
HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+?)\.?(?::(?P<port>[0-9]{1,5}))?")
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def service() -> SearchService:
    return current_app.config["POLYFIND_SERVICE"]


def search_settings() -> SearchSettings:
    return current_app.config["POLYFIND_SETTINGS"].search


def query_text() -> str:
    """The q parameter, cut at the configured longest query."""
    return request.args.get("q", "")[:search_settings().max_query_length]


def page_context() -> dict:
    ui = ui_language(request)
    return {"ui": ui, "t": texts(ui), "ui_dir": direction(ui), "ui_languages": UI_LANGUAGES,
            "names": endonyms(), "direction": direction,
            "plural": lambda key, n: plural(ui, key, n), "number": lambda n: number(ui, n),
            "language_name": lambda code: language_name(ui, code)}


def render(template: str, status: int = 200, **values) -> Response:
    context = page_context()
    response = make_response(render_template(template, **context, **values), status)
    # The interface language comes from ?ui=, the "ui" cookie or Accept-Language.
    response.vary.update(("Accept-Language", "Cookie"))
    if request.args.get("ui") in UI_LANGUAGES:
        response.set_cookie("ui", request.args["ui"], max_age=365 * 86400, samesite="Lax")
    return response


def positive_int(name: str, default: int, high: int) -> int:
    try:
        return min(max(int(request.args.get(name, default)), 1), high)
    except ValueError:
        return default


@blueprint.get("/")
def search_page() -> Response:
    q = query_text()
    lang = (request.args.get("lang") or "").strip().lower() or None
    page = positive_int("page", 1, MAX_PAGE)
    per_page = search_settings().per_page
    info = service().info()
    if lang not in info["languages"]:
        lang = None
    response, error = None, None
    if q.strip():
        try:
            response = run_search(q, lang, page)
            if response.total and not response.results:  # past the last page: show the last
                page = -(-response.total // per_page)
                response = run_search(q, lang, page)
        except QueryError as exc:
            error = str(exc)
    pages = 0 if response is None else -(-response.total // per_page)
    return render("search.html", q=q, lang=lang, page=page, per_page=per_page,
                  response=response, error=error,
                  pages=pages, indexed=info["languages"], markup=Markup,
                  script_strings=script_strings())


def run_search(q: str, lang: str | None, page: int):
    # The reader's interface language breaks ties for language-neutral queries.
    return service().search(q, lang=lang, page=page, per_page=search_settings().per_page,
                            prefer=ui_language(request))


@blueprint.get("/doc/<doc_id>")
def doc_page(doc_id: str) -> Response:
    q = query_text() or None
    try:
        doc = service().document(doc_id[:200], query=q)
    except QueryError:
        doc = service().document(doc_id[:200])
    if doc is None:
        message = texts(ui_language(request))["no_article"].format(id=doc_id[:50])
        return render("error.html", 404, message=message)
    body_html = doc.get("body_html")
    paragraphs = (body_html.split("\n\n") if body_html else
                  [Markup.escape(p) for p in doc["body"].split("\n\n")])
    return render("doc.html", doc=doc, q=q, paragraphs=[Markup(p) for p in paragraphs])


@blueprint.get("/healthz")
def healthz() -> Response:
    try:
        info = service().health()
    except PolyfindError as exc:
        response = jsonify({"status": "unhealthy", "reason": str(exc)})
        response.status_code = 503
        return response
    return jsonify({"status": "ok", "generation": info["generation"],
                    "documents": info["documents"]})


@blueprint.get("/embed.js")
def embed_js() -> Response:
    """The widget: common.js and embed.js in one closure (no globals on the host page), with
    the interface strings of i18n.py (the page's own) written in."""
    folder = Path(current_app.static_folder or "")
    strings = json.dumps(script_strings(), ensure_ascii=False).replace("<", "\\u003c")
    widget = (folder / "embed.js").read_text("utf-8").replace("/*STRINGS*/{}", strings, 1)
    source = "(function () {\n" + (folder / "common.js").read_text("utf-8") + widget + "})();\n"
    response = Response(source, mimetype="text/javascript")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@blueprint.get("/opensearch.xml")
def opensearch() -> Response:
    xml = render_template("opensearch.xml", search_url=absolute_url("pages.search_page"),
                          suggest_url=absolute_url("api.suggest"))
    return Response(xml, mimetype="application/opensearchdescription+xml")


def absolute_url(endpoint: str) -> str:
    """serve.public_url + the endpoint's path when configured; else from the request's Host
    header, which check_host has already found well-formed (and trusted)."""
    public = current_app.config["POLYFIND_SETTINGS"].serve.public_url
    if public:
        return public.rstrip("/") + url_for(endpoint)
    return url_for(endpoint, _external=True)


@blueprint.before_app_request
def check_host() -> Response | None:
    """A Host header that is not a valid host[:port] (or not in serve.trusted_hosts) gets a
    plain 400 before anything else looks at it."""
    host = request.headers.get("Host")
    if host is None:
        return None  # HTTP/1.0 without Host: the server's own name is used
    name = valid_host(host)
    trusted = current_app.config["POLYFIND_SETTINGS"].serve.trusted_hosts
    if name is None or (trusted and name not in {host.lower() for host in trusted}):
        return plain_error(400, "Bad Request: the Host header is not a host this server "
                                "answers to.")
    return None


def valid_host(host: str) -> str | None:
    """The lower-cased host name of a valid host[:port] Host header, else None."""
    match = HOST.fullmatch(host)
    if match is None:
        return None
    name, port = match.group("name"), match.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return None
    if name.startswith("["):
        try:
            ipaddress.IPv6Address(name[1:-1])
        except ValueError:
            return None
    elif len(name) > 253 or not all(LABEL.fullmatch(label) for label in name.split(".")):
        return None
    return name.lower()


def plain_error(status: int, message: str) -> Response:
    """An error answer built from nothing that can fail (no template, no URL building)."""
    return Response(message + "\n", status, mimetype="text/plain")


@blueprint.after_app_request
def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                           "script-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
                           "form-action 'self'")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def install_error_handlers(app: Flask) -> None:
    """JSON for /api, a page for people; never a trace."""

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(404)
    def not_found(_exc) -> Response:
        if wants_json():
            return json_error(404, "not_found", "no such endpoint")
        return render("error.html", 404, message=texts(ui_language(request))["not_found"])

    @app.errorhandler(405)
    def not_allowed(_exc) -> Response:
        return json_error(405, "method_not_allowed", "only GET is supported")

    @app.errorhandler(PolyfindError)
    def polyfind_error(exc: PolyfindError) -> Response:
        """From the one error table (search_web/errors.py). A fault of the index: the
        reason is for the operator (logged, and in /healthz and the API); readers get a
        page in their language."""
        found = answer_for(exc)
        if found.operator:
            current_app.logger.error("index unavailable on %s: %s", request.path, exc)
        if wants_json():
            return polyfind_json(exc)
        message = str(exc) if found.page_text is None \
            else texts(ui_language(request))[found.page_text]
        return with_retry_after(render("error.html", found.status, message=message), exc)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 400
        if wants_json():
            return json_error(status, exc.name.lower().replace(" ", "_"), exc.description or "")
        try:
            return render("error.html", status, message=exc.name)
        except Exception:  # noqa: BLE001 - e.g. no URL adapter: the page cannot be built
            return plain_error(status, exc.name)

    @app.errorhandler(Exception)
    def internal(exc) -> Response:
        """The last resort: whatever went wrong (here too), a 500 and no trace for users."""
        try:
            current_app.logger.error("unhandled error on %s: %s: %s", request.path,
                                     exc.__class__.__name__, exc, exc_info=exc)
            if wants_json():
                return json_error(500, "internal", "internal error")
            return render("error.html", 500, message="Internal error.")
        except Exception:  # noqa: BLE001 - the last resort must answer something
            return plain_error(500, "Internal Server Error")

