"""The programme's open data in the registry's OpenAPI document (registered in ``create_app``)."""

from __future__ import annotations

TEXT = {"type": "string", "maxLength": 100, "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"}
TYPE = {"type": "string", "enum": ["city", "rural"]}
BOTH = {"type": "object", "required": ["et", "en"], "properties": {"et": {"type": "string"},
                                                                   "en": {"type": "string"}}}
NULLABLE_BOTH = {"anyOf": [BOTH, {"type": "null"}]}
TARGET = {"type": "object", "required": ["value", "target"], "additionalProperties": False,
          "properties": {"value": {"type": "integer", "minimum": 0}, "target": {"type": ["integer", "null"]}}}
RESULTS = {
    "type": "object", "required": ["title", "as_of", "filters", "indicators", "years"], "additionalProperties": False,
    "properties": {
        "title": BOTH, "as_of": {"type": "string", "format": "date"},
        "filters": {"type": "object", "properties": {"county": {"type": ["string", "null"]},
                                                     "type": {"type": ["string", "null"]}}},
        "indicators": {"type": "array", "items": {
            "type": "object", "required": ["id", "title", "description"],
            "properties": {"id": {"type": "string"}, "title": BOTH, "description": BOTH}}},
        "years": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["year", "complete", "started", "indicators", "municipalities", "labels_awarded",
                         "good_examples"],
            "properties": {
                "year": {"type": "integer"}, "complete": {"type": "boolean"}, "started": {"type": "boolean"},
                "indicators": {"type": "object", "additionalProperties": {
                    "type": "object", "required": ["verified", "self_assessed"],
                    "properties": {"verified": {"type": "integer", "minimum": 0},
                                   "self_assessed": {"type": "integer", "minimum": 0}}}},
                "municipalities": {"type": "object", "required": ["verified", "self_assessed"],
                                   "properties": {"verified": {"type": "integer", "minimum": 0},
                                                  "self_assessed": {"type": "integer", "minimum": 0}}},
                "labels_awarded": TARGET, "good_examples": TARGET}}},
    },
}
EXAMPLE = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "municipality", "area", "criterion", "level", "description", "links", "files", "published_at"],
    "properties": {
        "id": {"type": "integer"},
        "municipality": {"type": "object", "required": ["code", "name", "county", "type"], "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}, "county": {"type": "string"},
            "type": {"type": ["string", "null"]}}},
        "area": {"type": "object", "required": ["id", "title"], "properties": {"id": {"type": "string"},
                                                                             "title": NULLABLE_BOTH}},
        "criterion": {"type": "object", "required": ["id", "title"], "properties": {"id": {"type": "string"},
                                                                                  "title": NULLABLE_BOTH}},
        "level": {"type": "integer"}, "description": {"type": "string"},
        "links": {"type": "array", "items": {"type": "object", "required": ["title", "url"]}},
        "files": {"type": "array", "items": {"type": "object", "required": ["title", "url"]}},
        "published_at": {"type": "string", "format": "date-time"},
    },
}
EXAMPLE_LIST = {
    "type": "object", "required": ["items", "total", "page", "per_page"], "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/GoodExample"}},
                   "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
                   "per_page": {"type": "integer", "minimum": 1, "maximum": 100}},
}
CORS = {"Access-Control-Allow-Origin": {"description": "Always ``*``", "schema": {"type": "string", "const": "*"}}}


def _param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


RESULT_FILTERS = [_param("county", TEXT, "County, exactly as listed"),
                  _param("type", TYPE, "Municipality type: city (linn) or rural (vald)")]
LIBRARY_FILTERS = [_param("q", TEXT, "Words in the description or the municipality's name"),
                   _param("area", TEXT, "Criteria area id"), _param("criterion", TEXT, "Criterion id"),
                   *RESULT_FILTERS,
                   _param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number"),
                   _param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page")]
ERRORS = {"400": {"$ref": "#/components/responses/BadRequest"}, "500": {"$ref": "#/components/responses/ServerError"}}


def _ok(description: str, media: str, schema: dict) -> dict:
    return {"description": description, "headers": CORS, "content": {media: {"schema": schema}}}


PATHS = {
    "/api/v1/programme/results": {"get": {
        "summary": "The programme's indicators per year (panel-verified; self-assessed apart) against its targets",
        "parameters": RESULT_FILTERS,
        "responses": {"200": _ok("Results", "application/json", {"$ref": "#/components/schemas/ProgrammeResults"}),
                      **ERRORS}}},
    "/api/v1/programme/results.csv": {"get": {
        "summary": "The same figures as CSV (UTF-8 with a byte order mark)",
        "parameters": RESULT_FILTERS,
        "responses": {"200": _ok("CSV", "text/csv", {"type": "string"}), **ERRORS}}},
    "/api/v1/examples": {"get": {
        "summary": "The library of good practice: criteria the panel verified at the top level, published by "
                   "the municipality",
        "parameters": LIBRARY_FILTERS,
        "responses": {"200": _ok("A page of examples", "application/json",
                                 {"$ref": "#/components/schemas/GoodExampleList"}), **ERRORS}}},
    "/library/feed.atom": {"get": {
        "summary": "Atom feed of newly published good practice", "parameters": [],
        "responses": {"200": {"description": "Atom feed",
                              "content": {"application/atom+xml": {"schema": {"type": "string"}}}}}}},
}
SCHEMAS = {"ProgrammeResults": RESULTS, "GoodExample": EXAMPLE, "GoodExampleList": EXAMPLE_LIST}
