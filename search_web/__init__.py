"""The web front end: a Flask app factory with the page, the JSON API and the widget.

Views stay thin: every answer comes from indexer.search.SearchService.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask

from indexer.config import Settings
from indexer.search import SearchService


def urlencode_merge(args: dict, **changes: object) -> str:
    """The current query string with some parameters changed (empty values dropped)."""
    merged = {**args, **{k: str(v) for k, v in changes.items()}}
    return urlencode({k: v for k, v in merged.items() if v not in ("", None)})


def create_app(settings: Settings, service: SearchService | None = None) -> Flask:
    from . import api, instantsearch, pages
    from .limits import accept_body, install_limits

    app = Flask(__name__)
    app.config["POLYFIND_SETTINGS"] = settings
    app.config["POLYFIND_SERVICE"] = service or SearchService(settings)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    app.jinja_env.filters["urlencode_merge"] = urlencode_merge
    app.register_blueprint(api.blueprint, url_prefix=api.VERSIONED_PREFIX, name="api_v1")
    app.register_blueprint(api.blueprint)  # /api: the unversioned alias
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(instantsearch.blueprint)  # /instantsearch: Algolia protocol
    pages.install_error_handlers(app)
    install_limits(app, settings.serve.rate_limit, settings.serve.rate_limit_loopback)
    for endpoint in instantsearch.BODY_ENDPOINTS:  # the protocol is POST
        accept_body(app, f"{instantsearch.blueprint.name}.{endpoint}")
    return app
