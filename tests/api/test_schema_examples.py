"""The OpenAPI schema describes every operation with an example and with the errors it may answer.

It walks the schema the application serves, so an endpoint added later is held to the same rule; a
failure lists every operation still lacking, so the list can be worked through at once.
"""

import pytest

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
WRITES = ("post", "put", "patch", "delete")


def has_example(content: dict) -> bool:
    """Whether any media type of a request body or an answer carries an example."""
    return any("example" in media or media.get("examples") for media in content.values())


def json_content(content: dict) -> dict:
    return {kind: media for kind, media in content.items() if "json" in kind}


def lacking_examples(schema: dict) -> list[str]:
    """Operations without an example: of the request body for a write that takes one, else of a JSON
    success answer. An operation with neither (a download, a delete) has nothing to show."""
    lacking = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            answers = [
                json_content(answer.get("content", {}))
                for code, answer in operation["responses"].items()
                if code.startswith("2")
            ]
            answers = [answer for answer in answers if answer]
            if method in WRITES and body:
                covered = has_example(body)
            elif answers:
                covered = any(has_example(answer) for answer in answers)
            else:
                continue
            if not covered:
                lacking.append(f"{method.upper()} {path}")
    return sorted(lacking)


def lacking_errors(schema: dict) -> list[str]:
    """Operations that do not document 401, 403 and 404 (and 400 when they take input)."""
    lacking = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            needed = {"401", "403", "404"}
            if method in WRITES or operation.get("parameters"):
                needed.add("400")
            missing = sorted(needed - set(operation["responses"]))
            if missing:
                lacking.append(f"{method.upper()} {path}: {', '.join(missing)}")
    return sorted(lacking)


def test_every_operation_has_an_example(schema):
    lacking = lacking_examples(schema)
    assert not lacking, f"{len(lacking)} operation(s) without an example:\n" + "\n".join(lacking)


def test_every_operation_documents_its_errors(schema):
    lacking = lacking_errors(schema)
    assert not lacking, "Operations missing error answers:\n" + "\n".join(lacking)


def test_the_walk_notices_a_missing_example():
    """The rule itself can fail: an operation with a bare answer is listed."""
    bare = {"content": {"application/json": {"schema": {"type": "object"}}}}
    schema = {
        "paths": {
            "/x/": {"get": {"responses": {"200": bare}}},
            "/y/": {
                "post": {
                    "requestBody": {"content": {"application/json": {"example": {"a": 1}}}},
                    "responses": {"201": bare},
                }
            },
        }
    }
    assert lacking_examples(schema) == ["GET /x/"]
    assert lacking_errors(schema) == ["GET /x/: 401, 403, 404", "POST /y/: 400, 401, 403, 404"]
