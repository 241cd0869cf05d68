"""Every /api response the tests receive is checked against the published OpenAPI document
(search_web/openapi/openapi.json): status documented, JSON body valid for it."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

SPEC = Path(__file__).resolve().parent.parent / "search_web" / "openapi" / "openapi.json"
API_PREFIX = re.compile(r"^/api(?:/v1)?(?=/)")


@cache
def spec() -> dict:
    return json.loads(SPEC.read_text("utf-8"))


@cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for template in spec()["paths"]:
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        out.append((re.compile(f"^{pattern}$"), template))
    return out


def operation_for(path: str) -> dict | None:
    """The documented GET operation for a request path under /api or /api/v1."""
    relative = API_PREFIX.sub("", path, count=1)
    for pattern, template in _path_patterns():
        if pattern.match(relative):
            return spec()["paths"][template]["get"]
    return None


def check_api_response(path: str, status: int, body: object) -> None:
    """AssertionError unless `body` is what the document promises for this path and status;
    an undocumented path must answer the documented error shape."""
    components = spec()["components"]
    operation = operation_for(path)
    if operation is None:
        schema: dict = {"$ref": "#/components/schemas/Error"}
        assert status >= 400, f"{path} answered {status} but is not in the OpenAPI document"
    else:
        documented = operation["responses"].get(str(status))
        assert documented is not None, f"{path}: status {status} is not documented"
        schema = documented["content"]["application/json"]["schema"]
    errors = sorted(Draft202012Validator({**schema, "components": components})
                    .iter_errors(body), key=str)
    assert not errors, f"{path} ({status}) breaks the OpenAPI document: {errors[0].message}"


class ValidatingClient(FlaskClient):
    """A Flask test client that checks each JSON answer of the API against the document."""

    def open(self, *args, **kwargs):  # type: ignore[override]
        response = super().open(*args, **kwargs)
        path = response.request.path
        if path.startswith("/api/") and response.is_json and response.status_code != 405:
            check_api_response(path, response.status_code, response.get_json())
        return response
