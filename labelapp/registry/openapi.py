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
FILTERS = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in (
        ("q", {"type": "string"}, "Part of the municipality's name"),
        ("county", {"type": "string"}, "County, exactly as listed"),
        ("state", {"type": "string", "enum": STATES}, "Label state"),
        ("year", {"type": "integer"}, "Year the label was awarded"),
        ("level", {"type": "string"}, "Label level id"),
        ("sort", {"type": "string", "enum": ["status", "name", "awarded", "valid_until"]}, "Order"),
        ("page", {"type": "integer", "minimum": 1}, "Page number"),
        ("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page"),
    )
]


def _json(schema_ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


def document(server: str) -> dict:
    not_found = {"description": "Not found"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kaasav omavalitsus — label registry open data", "version": "1.0.0",
                 "description": "Labels awarded to inclusive municipalities, their state and validity."},
        "servers": [{"url": server}],
        "paths": {
            "/api/v1/labels": {"get": {"summary": "Labels, filtered and paginated", "parameters": FILTERS,
                                       "responses": {"200": _json("LabelList", "A page of labels")}}},
            "/api/v1/labels/{public_id}": {"get": {
                "summary": "One label",
                "parameters": [{"name": "public_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("Label", "The label"), "404": not_found}}},
            "/api/v1/municipalities/{code}": {"get": {
                "summary": "A municipality's labels, verified area scores and survey figures",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("Municipality", "The municipality"), "404": not_found}}},
            "/api/v1/labels.csv": {"get": {
                "summary": "The registry as CSV", "parameters": FILTERS[:6],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}},
            **OPENAPI_PATHS,
        },
        "components": {"schemas": {"Label": LABEL, "LabelList": LABEL_LIST, "Municipality": MUNICIPALITY}},
    }
