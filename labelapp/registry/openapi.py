"""The OpenAPI 3.1 description of the open data API (a test validates real responses against it)."""

from __future__ import annotations

from labelapp.registry.trust import OPENAPI_PATHS

STATES = ["valid", "expiring", "expired", "under_review", "revoked"]
NULLABLE_STRING = {"type": ["string", "null"]}

LABEL = {
    "type": "object",
    "required": ["public_id", "municipality", "state", "state_reason", "level", "awarded_on", "valid_until",
                 "criteria", "links"],
    "additionalProperties": False,
    "properties": {
        "public_id": {"type": "string"},
        "municipality": {
            "type": "object", "required": ["code", "name", "county", "country"], "additionalProperties": False,
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "county": {"type": "string"},
                           "country": {"type": "string", "minLength": 2, "maxLength": 2}},
        },
        "state": {"type": "string", "enum": STATES},
        "state_reason": NULLABLE_STRING,
        "level": NULLABLE_STRING,
        "awarded_on": {"type": "string", "format": "date"},
        "valid_until": {"type": "string", "format": "date"},
        "criteria": {"type": "object", "required": ["framework", "version"], "additionalProperties": False,
                     "properties": {"framework": {"type": "string"}, "version": {"type": "string"}}},
        "links": {"type": "object", "required": ["self", "verify", "badge"],
                  "properties": {k: {"type": "string", "format": "uri"} for k in ("self", "verify", "badge")}},
    },
}
LABEL_LIST = {
    "type": "object", "required": ["items", "total", "page", "per_page", "links"], "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
        "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "links": {"type": "object", "required": ["self"],
                  "properties": {k: {"type": "string", "format": "uri"} for k in ("self", "next", "prev")}},
    },
}
MUNICIPALITY = {
    "type": "object", "required": ["code", "name", "county", "kind", "labels", "verified_area_scores", "survey"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string"}, "name": {"type": "string"}, "county": {"type": "string"},
        "kind": {"type": "string"},
        "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
        "verified_area_scores": {"type": ["object", "null"], "additionalProperties": {"type": "number"}},
        "survey": {"type": "array", "items": {
            "type": "object", "required": ["year", "value", "ci_low", "ci_high", "n", "flag"],
            "properties": {"year": {"type": "integer"}, "value": {"type": "number"}, "ci_low": {"type": "number"},
                           "ci_high": {"type": "number"}, "n": {"type": "integer"},
                           "flag": {"type": "string", "enum": ["ok", "insufficient"]}}}},
    },
}
# Query text may not hold control characters (a 400, like any other invalid value).
TEXT = {"type": "string", "maxLength": 100, "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"}
PUBLIC_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$", "example": "x3Jq0cW8bU4m1aZt"}
FILTERS = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in (
        ("q", TEXT, "Part of the municipality's name"),
        ("county", TEXT, "County, exactly as listed"),
        ("state", {"type": "string", "enum": STATES}, "Label state"),
        ("year", {"type": "integer", "minimum": 1, "maximum": 9999}, "Year the label was awarded"),
        ("level", TEXT, "Label level id"),
        ("sort", {"type": "string", "enum": ["status", "name", "awarded", "valid_until"]}, "Order"),
        ("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number"),
        ("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page"),
    )
]
PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "invalid-params": {"type": "array", "items": {
            "type": "object", "required": ["name", "reason"],
            "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}}},
    },
}
EXAMPLE_LABEL = {
    "public_id": "x3Jq0cW8bU4m1aZt",
    "municipality": {"code": "0784", "name": "Tallinn", "county": "Harju maakond", "country": "EE"},
    "state": "valid", "state_reason": None, "level": None, "awarded_on": "2025-03-01", "valid_until": "2028-02-29",
    "criteria": {"framework": "kaasav-omavalitsus", "version": "2025.1"},
    "links": {"self": "https://example.org/api/v1/labels/x3Jq0cW8bU4m1aZt",
              "verify": "https://example.org/verify/x3Jq0cW8bU4m1aZt",
              "badge": "https://example.org/badge/x3Jq0cW8bU4m1aZt.svg"},
}
STATE_REASON = "one of valid, expiring, expired, under_review, revoked is expected"
RESPONSES = {
    "BadRequest": {"description": "A query parameter is not valid; ``invalid-params`` names it",
                   "content": {"application/problem+json": {
                       "schema": {"$ref": "#/components/schemas/Problem"},
                       "example": {"type": "about:blank", "title": "Bad Request", "status": 400,
                                   "detail": f"The parameter “state” is not valid: {STATE_REASON}",
                                   "invalid-params": [{"name": "state", "reason": STATE_REASON}]}}}},
    "NotFound": {"description": "No such label or municipality",
                 "content": {"application/problem+json": {
                     "schema": {"$ref": "#/components/schemas/Problem"},
                     "example": {"type": "about:blank", "title": "Not Found", "status": 404,
                                 "detail": "No label has this id."}}}},
    "ServerError": {"description": "An unexpected error (logged with the incident number in ``detail``)",
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
}
CORS = {"Access-Control-Allow-Origin": {"description": "Always ``*``: the data may be read from any web page",
                                        "schema": {"type": "string", "const": "*"}}}


# The credential (both media types), the Bitstring Status Lists and the DID document (/.well-known/did.json) are
# described where they are made; tests/registry/test_schemathesis.py fuzzes them too.
CREDENTIAL_PATHS: dict[str, dict] = OPENAPI_PATHS  # labelapp/registry/trust.py


# Paths and schemas that later packages describe (the programme's results and library): they register them in
# ``create_app``, as the registry may not import them.
EXTRA_PATHS: dict[str, dict] = {}
EXTRA_SCHEMAS: dict[str, dict] = {}


def register_paths(paths: dict[str, dict], schemas: dict[str, dict] | None = None) -> None:
    EXTRA_PATHS.update(paths)
    EXTRA_SCHEMAS.update(schemas or {})


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def _json(schema_ref: str, description: str, example: dict | None = None) -> dict:
    content = {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}
    if example is not None:
        content["example"] = example
    return {"description": description, "headers": CORS, "content": {"application/json": content}}


def _get(summary: str, ok: dict, parameters: list | None = None, errors: tuple[str, ...] = ()) -> dict:
    responses = {"200": ok, **{code: _ref(name) for code, name in (("400", "BadRequest"), ("404", "NotFound"))
                               if code in errors}, "500": _ref("ServerError")}
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def _path_id(name: str = "public_id", schema: dict = PUBLIC_ID) -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "schema": schema}]


def document(server: str) -> dict:
    svg = {"image/svg+xml": {"schema": {"type": "string"}}}
    paths = {
        "/api/v1/labels": _get("Labels, filtered and paginated",
                               _json("LabelList", "A page of labels", {
                                   "items": [EXAMPLE_LABEL], "total": 1, "page": 1, "per_page": 25,
                                   "links": {"self": "https://example.org/api/v1/labels?page=1&per_page=25"}}),
                               FILTERS, ("400",)),
        "/api/v1/labels/{public_id}": _get("One label", _json("Label", "The label", EXAMPLE_LABEL), _path_id(),
                                           ("404",)),
        "/api/v1/municipalities/{code}": _get(
            "A municipality's labels, verified area scores and survey figures",
            _json("Municipality", "The municipality"),
            _path_id("code", {"type": "string", "pattern": "^[0-9]{4}$", "example": "0784"}), ("404",)),
        "/api/v1/labels.csv": _get(
            "The registry as CSV (UTF-8 with a byte order mark; dates as YYYY-MM-DD)",
            {"description": "CSV", "headers": CORS,
             "content": {"text/csv": {"schema": {"type": "string"},
                                      "example": "public_id,ehak_code,municipality,county,state,state_reason,level,"
                                                 "awarded_on,valid_until,criteria_version\r\n"}}},
            FILTERS[:6], ("400",)),
        "/api/v1/labels/{public_id}/credential": _get(
            "The label as an Open Badges 3.0 verifiable credential",
            # The credential formats (content negotiation) are described where they are made: credentials.py.
            {"description": "The signed credential", "headers": CORS,
             "content": {"application/json": {"schema": {"type": "object"}}}},
            _path_id(), ("404",)),
        "/api/v1/issuer-key": _get(
            "The issuer's Ed25519 public key (PEM)",
            {"description": "PEM", "headers": CORS,
             "content": {"application/x-pem-file": {"schema": {"type": "string"}}}}),
        "/badge/{public_id}.svg": {"get": {
            "summary": "An SVG badge showing the label's state, for a municipality's web site",
            "parameters": _path_id(),
            "responses": {"200": {"description": "The badge", "content": svg},
                          "404": {"description": "A 'not found' badge", "content": svg}}}},
        "/registry/feed.atom": {"get": {
            "summary": "Atom feed of awards, revocations and expiries", "parameters": [],
            "responses": {"200": {"description": "Atom feed",
                                  "content": {"application/atom+xml": {"schema": {"type": "string"}}}}}}},
    }
    paths.update(CREDENTIAL_PATHS)
    paths.update(EXTRA_PATHS)
    credential = dict(paths["/api/v1/labels/{public_id}/credential"]["get"])
    credential["parameters"] = _path_id()  # the same id pattern as the other label paths
    credential["responses"] = {**credential["responses"], "404": _ref("NotFound"), "500": _ref("ServerError")}
    paths["/api/v1/labels/{public_id}/credential"] = {"get": credential}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kaasav omavalitsus — label registry open data", "version": "1.0.0",
                 "description": "Labels awarded to inclusive municipalities, their state and validity. Errors "
                                "are RFC 9457 problem details (application/problem+json); a wrong method is a "
                                "405 with an Allow header."},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": {"Label": LABEL, "LabelList": LABEL_LIST, "Municipality": MUNICIPALITY,
                                   "Problem": PROBLEM, **EXTRA_SCHEMAS},
                       "responses": RESPONSES},
    }
