"""What a verifier elsewhere needs: the issuer's DID document, the status lists, and the credential in the
format it asks for (Accept: application/vc+ld+json, the default, or application/vc+jwt)."""

from __future__ import annotations

import hashlib
import json
import threading

from flask import Blueprint, Response, abort, render_template, request

from labelapp.auth.permissions import access, public
from labelapp.core.inputs import refuse_unknown
from labelapp.labels.models import Label
from labelapp.registry import cache, credentials, issuer, queries
from labelapp.registry.views import PUBLIC_ID, is_valid_now

bp = Blueprint("trust", __name__)
LD_TYPE = "application/vc+ld+json"
JWT_TYPE = "application/vc+jwt"
STATUS_LIST_MAX_AGE = 60  # seconds a verifier may keep a status list before asking again (then mostly a 304)


def _wants_jwt() -> bool:
    return request.accept_mimetypes.best_match([LD_TYPE, JWT_TYPE, "application/ld+json", "application/json"],
                                               default=LD_TYPE) == JWT_TYPE


def _secured(unsigned: dict, created=None) -> Response:
    if _wants_jwt():
        response = Response(credentials.as_jwt(unsigned), mimetype=JWT_TYPE)
    else:
        response = Response(json.dumps(credentials.with_proof(unsigned, created), ensure_ascii=False, indent=1),
                            mimetype=LD_TYPE)
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def credential_response(label: Label) -> Response:
    """The label's OpenBadgeCredential, secured as the Accept header asks."""
    response = _secured(credentials.document(label))
    suffix = "jwt" if response.mimetype == JWT_TYPE else "json"
    response.headers["Content-Disposition"] = f"attachment; filename=label-{label.public_id}.{suffix}"
    return response


OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"


def baked_badge(label: Label, valid: bool) -> str:
    """The label's badge SVG with its credential baked in (Open Badges 3.0 baking): the Data Integrity credential
    as CDATA in an ``openbadges:credential`` element, so the image file carries its own proof."""
    svg = render_template("registry/badge.svg", label=label, valid=valid)
    credential = json.dumps(credentials.credential(label), ensure_ascii=False, indent=1)
    cdata = credential.replace("]]>", "]]]]><![CDATA[>")  # the only sequence CDATA cannot hold
    svg = svg.replace('<svg xmlns="http://www.w3.org/2000/svg"',
                      f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{OB_NAMESPACE}"', 1)
    head, tail = svg.rsplit("</svg>", 1)
    return f"{head}  <openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>\n</svg>{tail}"


@bp.route("/verify/<public_id>/badge.svg")
@access(public)
def baked(public_id: str):
    """The badge with the label's credential inside, as a file to keep or hand on (not for embedding)."""
    label = queries.label_by_public_id(public_id) if PUBLIC_ID.fullmatch(public_id) else None
    if label is None:
        abort(404)
    response = Response(baked_badge(label, is_valid_now(label)), mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f"attachment; filename=label-{label.public_id}.svg"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/.well-known/did.json")
@access(public)
def did_document():
    response = Response(json.dumps(issuer.did_document(), indent=1), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# The signed status lists, one per (purpose, format), with the registry version and key they were made for.
_signed_lists: dict[tuple[str, bool], tuple[tuple, str, bytes, str, object]] = {}
_signed_lock = threading.Lock()


def _status_list(purpose: str) -> Response:
    """The status list, signed once per registry change: its ETag comes from the change marker and the signing
    key, so a conditional GET is answered (304) without reading the labels or signing anything, and an unchanged
    list is served from memory."""
    refuse_unknown(set())
    version, wants_jwt = queries.registry_version(), _wants_jwt()
    if version is None:  # no change marker: nothing to key a cache on
        changed = queries.last_change()
        return cache.conditional(_secured(credentials.status_list(purpose, changed), created=changed), changed)
    key_id = issuer.multikey_id(issuer.public_key(), issuer.did())
    made_for = (version, key_id)
    etag = hashlib.sha256(repr((purpose, wants_jwt, made_for)).encode()).hexdigest()[:32]
    if etag in request.if_none_match:  # the client has this very list: no need to build or sign it
        response = Response(status=304)
        response.vary.add("Accept")
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.set_etag(etag)
        response.headers["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
        return response
    with _signed_lock:
        stored = _signed_lists.get((purpose, wants_jwt))
    if stored is None or stored[0] != made_for:
        changed = queries.last_change()
        response = _secured(credentials.status_list(purpose, changed), created=changed)
        stored = (made_for, etag, response.get_data(), response.mimetype, changed)
        with _signed_lock:
            _signed_lists[(purpose, wants_jwt)] = stored
    _made_for, _etag, body, mimetype, changed = stored
    response = Response(body, mimetype=mimetype)
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(etag)
    if changed is not None:
        response.last_modified = changed
    response.headers["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    return response.make_conditional(request)


@bp.route("/api/v1/status-lists/revocation")
@access(public)
def status_list_revocation():
    """Bit set: the label was revoked or has expired."""
    return _status_list("revocation")


@bp.route("/api/v1/status-lists/suspension")
@access(public)
def status_list_suspension():
    """Bit set: the label is under review."""
    return _status_list("suspension")


def _secured_content(description: str) -> dict:
    return {"description": description, "content": {
        LD_TYPE: {"schema": {"type": "object", "required": ["@context", "type", "issuer", "proof"]}},
        JWT_TYPE: {"schema": {"type": "string", "pattern": r"^[\w-]+\.[\w-]+\.[\w-]+$"}}}}


_STATUS_LIST = {"get": {"summary": "W3C Bitstring Status List credential (signed like the credentials)",
                        "responses": {"200": _secured_content("BitstringStatusListCredential"),
                                      "304": {"description": "Not modified"}}}}
# The routes above, for the OpenAPI document (openapi.py merges them into its paths).
OPENAPI_PATHS = {
    "/api/v1/labels/{public_id}/credential": {"get": {
        "summary": "The label's OpenBadgeCredential: Data Integrity eddsa-rdfc-2022 (default) or VC-JWT by Accept",
        "parameters": [{"name": "public_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": _secured_content("OpenBadgeCredential"), "404": {"description": "Not found"}}}},
    "/api/v1/status-lists/revocation": _STATUS_LIST,
    "/api/v1/status-lists/suspension": _STATUS_LIST,
    "/.well-known/did.json": {"get": {
        "summary": "The issuer's DID document (did:web): its keys as Multikey and JsonWebKey",
        "responses": {"200": {"description": "DID document", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "verificationMethod", "assertionMethod"]}}}}}}},
}
