"""GET /__fakeauth/openapi.json: an OpenAPI 3.1 description of the control API.

Written by hand, next to the routes it describes; tests/test_openapi.py keeps the two
in step (every registered control route is described, and every described one answers
as described), so code generators and the JavaScript client can rely on it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from fakeauth._version import __version__
from fakeauth.core.users import API_FIELDS, ROLES
from fakeauth.web.paths import CONTROL_PREFIX
from fakeauth.web.responses import json_response
from fakeauth.web.state import NAMESPACE_HEADER

routes = web.RouteTableDef()

JsonSchema = dict[str, Any]


def _ref(name: str) -> JsonSchema:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(*required: str, **props: JsonSchema) -> JsonSchema:
    """An object of these properties; ``required`` names "*" for all of them."""
    names = list(props) if required == ("*",) else list(required)
    return {"type": "object", "required": names, "properties": props}


STRING: JsonSchema = {"type": "string"}
INTEGER: JsonSchema = {"type": "integer"}
BOOLEAN: JsonSchema = {"type": "boolean"}
DATE_TIME: JsonSchema = {**STRING, "format": "date-time"}
# A user as the REST API shows it.
_USER: dict[str, JsonSchema] = {
    "id": INTEGER,
    **dict.fromkeys(API_FIELDS, STRING),
    "role": {"enum": list(ROLES)},
    "creationAt": DATE_TIME,
    "updatedAt": DATE_TIME,
}
INSTANT: JsonSchema = {
    "description": "ISO 8601 with a zone, or Unix seconds",
    "oneOf": [{"type": "string"}, {"type": "number"}],
}
DURATION: JsonSchema = {
    "description": 'a duration such as "10h", "1h30m", "250ms", or seconds',
    "oneOf": [{"type": "string"}, {"type": "number"}],
}

SCHEMAS: dict[str, JsonSchema] = {
    "Error": _object(
        "message",
        "statusCode",
        message={"oneOf": [STRING, {"type": "array", "items": STRING}]},
        error=STRING,
        statusCode=INTEGER,
    ),
    "Clock": _object(
        "*",
        now={**STRING, "format": "date-time"},
        timestamp=INTEGER,
        frozen=BOOLEAN,
    ),
    "ClockSettings": {
        **_object(now=INSTANT, frozen=BOOLEAN),
        "additionalProperties": False,
    },
    "Advance": {**_object("by", by=DURATION), "additionalProperties": False},
    "User": _object("*", **_USER),
    # As the users file writes one: every API field, and optionally the rest.
    "NewUser": _object(*API_FIELDS, **_USER, protected=BOOLEAN),
    "Revocation": _object(
        "*",
        id=INTEGER,
        email=STRING,
        revoked_until={**STRING, "format": "date-time"},
        timestamp=INTEGER,
    ),
    "LoggedRequest": _object(
        "*",
        time={**STRING, "format": "date-time"},
        api={"enum": ["graphql", "rest"]},
        method=STRING,
        path=STRING,
        operation_name={"type": ["string", "null"]},
        root_fields={"type": "array", "items": STRING},
        operation={"type": ["string", "null"]},
        fields={"type": "array", "items": STRING},
        query={"type": ["string", "null"]},
        variables={"type": "object"},
        body={"description": "the REST body, passwords masked; null for GraphQL"},
        user={
            "oneOf": [
                {"type": "null"},
                _object("*", id=INTEGER, email=STRING),
            ]
        },
        outcome=STRING,
        reason={"type": ["string", "null"], "description": "why it failed, in plain words"},
        status={"type": ["integer", "null"]},
    ),
    "NewFault": {
        **_object(
            operation={**STRING, "description": 'a root field, or "*" (the default)'},
            error={"type": ["string", "null"], "description": 'a GraphQL code, or "network"'},
            delay_ms={"type": "number"},
            times={**INTEGER, "minimum": 1},
            message={"type": ["string", "null"]},
        ),
        "additionalProperties": False,
    },
    "Fault": _object(
        "*",
        operation=STRING,
        error={"type": ["string", "null"]},
        delay_ms=INTEGER,
        times=INTEGER,
        message={"type": ["string", "null"]},
    ),
    "Catalog": _object(
        categories={"type": "array", "items": {"type": "object"}},
        products={"type": "array", "items": {"type": "object"}},
    ),
    "NamespaceSettings": {
        **_object(
            now=INSTANT,
            frozen=BOOLEAN,
            access_ttl=DURATION,
            refresh_ttl=DURATION,
            users={"type": "array", "items": _ref("NewUser")},
            refresh_rotation=BOOLEAN,
        ),
        "additionalProperties": False,
    },
    "Namespace": _object(
        "*",
        name=STRING,
        prefix=STRING,
        users=INTEGER,
        clock=_ref("Clock"),
        requests=INTEGER,
        access_ttl=STRING,
        refresh_ttl=STRING,
        refresh_rotation=BOOLEAN,
    ),
    "TokenRequest": {
        **_object("user", user={"description": "a user id or email", "oneOf": [INTEGER, STRING]}),
        "additionalProperties": False,
    },
    "TokenPair": _object("*", access_token=STRING, refresh_token=STRING),
}


def _json(schema: JsonSchema, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(
    summary: str,
    ok: int,
    answer: JsonSchema | None = None,
    *,
    body: JsonSchema | None = None,
    example: Any = None,
    errors: tuple[int, ...] = (),
) -> dict[str, Any]:
    """One operation: its success answer (None for an empty 204) and its error answers."""
    responses: dict[str, Any] = {
        str(ok): {"description": "no content"} if answer is None else _json(answer, "success")
    }
    for status in errors:
        responses[str(status)] = _json(_ref("Error"), "the request cannot be done; see message")
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if body is not None:
        content: dict[str, Any] = {"schema": body}
        if example is not None:
            content["example"] = example
        operation["requestBody"] = {"required": False, "content": {"application/json": content}}
    return operation


def _list(name: str) -> JsonSchema:
    return {"type": "array", "items": _ref(name)}


USER_ID = {"name": "id", "in": "path", "required": True, "schema": INTEGER, "example": 1}
NAME = {"name": "name", "in": "path", "required": True, "schema": STRING, "example": "w1"}
NAMESPACE = {
    "name": NAMESPACE_HEADER,
    "in": "header",
    "required": False,
    "schema": STRING,
    "description": "the namespace to work on (or prefix the path with /ns/{name})",
}
NEW_USER_EXAMPLE = {
    "email": "ann@mail.com",
    "password": "secret1",
    "name": "Ann",
    "role": "customer",
    "avatar": "https://example.com/ann.png",
}

# Paths as the default namespace sees them; every one of these also works under
# /ns/{name} (the server's own, namespaces and openapi.json, do not).
_NAMESPACED: dict[str, dict[str, Any]] = {
    "/clock": {
        "get": _op("the clock", 200, _ref("Clock")),
        "put": _op(
            "set the clock (either key optional)",
            200,
            _ref("Clock"),
            body=_ref("ClockSettings"),
            example={"now": "2023-01-03T20:44:43Z", "frozen": True},
            errors=(400,),
        ),
    },
    "/clock/advance": {
        "post": _op(
            "move the clock forward",
            200,
            _ref("Clock"),
            body=_ref("Advance"),
            example={"by": "10h"},
            errors=(400,),
        )
    },
    "/reset": {
        "post": _op(
            "users and catalogue as loaded, clock back to its start settings, no faults,"
            " an empty request log, no revocations",
            204,
        )
    },
    "/users": {
        "get": _op("the users, as the REST API shows them", 200, _list("User")),
        "post": _op(
            "add a user written as in the users file",
            201,
            _ref("User"),
            body=_ref("NewUser"),
            example=NEW_USER_EXAMPLE,
            errors=(400, 409),
        ),
    },
    "/users/{id}": {
        "parameters": [USER_ID],
        "get": _op("one user", 200, _ref("User"), errors=(404,)),
        "delete": _op("remove a user; its tokens stop working", 204, errors=(404,)),
    },
    "/users/{id}/revoke": {
        "parameters": [USER_ID],
        "post": _op(
            "end the user's sessions: its tokens issued up to now are refused",
            200,
            _ref("Revocation"),
            errors=(404,),
        ),
    },
    "/tokens": {
        "post": _op(
            "the token pair a login would give the user now, without its password",
            200,
            _ref("TokenPair"),
            body=_ref("TokenRequest"),
            example={"user": "john@mail.com"},
            errors=(400, 404),
        )
    },
    "/requests": {
        "get": _op(
            "the GraphQL and REST requests since the last reset", 200, _list("LoggedRequest")
        ),
        "delete": _op("clear the request log", 204),
    },
    "/faults": {
        "get": _op("the pending faults", 200, _list("Fault")),
        "post": _op(
            "make the next matching operations fail, wait, or both",
            201,
            _ref("Fault"),
            body=_ref("NewFault"),
            example={"operation": "login", "error": "INTERNAL_SERVER_ERROR"},
            errors=(400,),
        ),
        "delete": _op("clear the faults", 204),
    },
    "/catalog": {
        "get": _op("the catalogue, in the catalogue file's shape", 200, _ref("Catalog")),
        "put": _op(
            "replace the whole catalogue",
            200,
            _ref("Catalog"),
            body=_ref("Catalog"),
            example={"categories": [], "products": []},
            errors=(400,),
        ),
    },
}
_SERVER_WIDE: dict[str, dict[str, Any]] = {
    "/namespaces": {"get": _op("the namespaces, the default first", 200, _list("Namespace"))},
    "/namespaces/{name}": {
        "parameters": [NAME],
        "put": _op(
            "create the namespace (201), or replace it (200), with these settings",
            201,
            _ref("Namespace"),
            body=_ref("NamespaceSettings"),
            example={"now": "2023-01-03T20:44:43Z", "frozen": True},
            errors=(400, 409, 429),
        ),
        "delete": _op(
            "forget the namespace (no error when there was none)", 204, errors=(400, 409)
        ),
    },
    "/openapi.json": {"get": _op("this description", 200, {"type": "object"})},
}


def _described() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, item in _NAMESPACED.items():
        shared = [*item.get("parameters", []), NAMESPACE]
        paths[CONTROL_PREFIX + path] = {**item, "parameters": shared}
    for path, item in _SERVER_WIDE.items():
        paths[CONTROL_PREFIX + path] = item
    # A replaced namespace answers 200 with its description, as a created one does with 201.
    replaced = paths[f"{CONTROL_PREFIX}/namespaces/{{name}}"]["put"]["responses"]
    replaced["200"] = _json(_ref("Namespace"), "replaced")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fakeauth control API",
            "version": __version__,
            "description": (
                "Drive a running fakeauth from tests: its clock, users, tokens, faults and"
                " request log. Every path but /__fakeauth/namespaces... and"
                " /__fakeauth/openapi.json also works under a namespace's prefix"
                f" (/ns/{{name}}/__fakeauth/...); those with the {NAMESPACE_HEADER} header"
                " parameter work on the namespace it names."
                " Bodies must be JSON (else 415); pages of foreign origins are refused (403);"
                " a server started with --control-token wants it in X-Fakeauth-Control-Token"
                " (else 401)."
            ),
        },
        "paths": paths,
        # The token is needed only when the server was started with --control-token.
        "security": [{}, {"controlToken": []}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "controlToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Fakeauth-Control-Token",
                }
            },
        },
    }


DESCRIPTION = _described()


@routes.get("/openapi.json", allow_head=False)
async def openapi(request: web.Request) -> web.Response:
    return json_response(DESCRIPTION)
