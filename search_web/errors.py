"""One table from polyfind's error types to what a client is told: HTTP status, the JSON
error code, and the page's text for people. The API, the InstantSearch endpoint and the
app-level handlers of the page all answer from it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, jsonify

from indexer.errors import (
    BusyError,
    ExplainNotAllowedError,
    IndexDamagedError,
    IndexMissingError,
    IndexUntrustedError,
    PolyfindError,
    QueryError,
    UnknownLanguageError,
)


@dataclass(frozen=True)
class Answer:
    """How one kind of error is answered."""

    status: int
    code: str  # the JSON API's error code
    page_text: str | None  # key of the page's text in i18n (None: the error's own message)
    operator: bool = False  # a fault of the index, logged for the operator


# Most specific first: the first type an error is an instance of answers it.
TABLE: tuple[tuple[type[PolyfindError], Answer], ...] = (
    (UnknownLanguageError, Answer(400, "unknown_lang", None)),
    (ExplainNotAllowedError, Answer(403, "explain_not_allowed", None)),
    (QueryError, Answer(400, "bad_query", None)),
    (IndexMissingError, Answer(503, "index_missing", None)),
    (IndexDamagedError, Answer(503, "index_damaged", "unavailable", operator=True)),
    (IndexUntrustedError, Answer(503, "index_untrusted", "unavailable", operator=True)),
    (BusyError, Answer(503, "busy", "busy")),
    (PolyfindError, Answer(503, "index_unavailable", "unavailable", operator=True)),
)


def answer_for(exc: PolyfindError) -> Answer:
    return next(found for kind, found in TABLE if isinstance(exc, kind))


def json_error(status: int, code: str, message: str) -> Response:
    """The API's error body: {"error": {"code", "message"}}."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def with_retry_after(response: Response, exc: PolyfindError) -> Response:
    """A busy answer says when to retry."""
    if isinstance(exc, BusyError):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def polyfind_json(exc: PolyfindError) -> Response:
    found = answer_for(exc)
    return with_retry_after(json_error(found.status, found.code, str(exc)), exc)
