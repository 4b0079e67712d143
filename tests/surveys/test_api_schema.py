"""The OpenAPI schema of the survey and feedback API: every operation is there with an example that fits
its schema, the steps document If-Match and 409/412/428, and what the API really answers fits too."""

import jsonschema
import pytest

from tests.surveys.test_api_feedback import world  # noqa: F401 (a fixture)
from tests.surveys.test_api_sipas import answered  # noqa: F401 (a fixture)

FEEDBACK = "/api/v1/feedback/"
CAMPAIGNS, RESPONSES = "/api/v1/sipas-campaigns/", "/api/v1/sipas-responses/"
OPERATIONS = {
    ("get", CAMPAIGNS),
    ("get", f"{CAMPAIGNS}{{id}}/"),
    ("get", f"{CAMPAIGNS}{{id}}/results/"),
    ("get", RESPONSES),
    ("post", RESPONSES),
    ("get", f"{RESPONSES}{{id}}/"),
    ("get", FEEDBACK),
    ("get", f"{FEEDBACK}{{id}}/"),
    ("get", f"{FEEDBACK}{{id}}/steps/"),
    ("get", f"{FEEDBACK}{{id}}/history/"),
}
STEPS = ["route", "refuse", "request-info", "info-received", "answer", "publish", "close"]


@pytest.fixture
def schema(api, cast):
    api.force_authenticate(cast["reform_admin"])
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def as_json_schema(node, components):
    """OpenAPI 3.0 to JSON Schema, enough for our components: references resolved, `nullable` spelled out."""
    if isinstance(node, list):
        return [as_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return as_json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    converted = {key: as_json_schema(value, components) for key, value in node.items()}
    if converted.pop("nullable", False):
        converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def media_of(operation):
    """(what, media) of the JSON success answers and the request body."""
    found = [
        (f"answer {code}", answer["content"]["application/json"])
        for code, answer in operation["responses"].items()
        if code.startswith("2") and "application/json" in answer.get("content", {})
    ]
    body = operation.get("requestBody", {}).get("content", {})
    if "application/json" in body:
        found.append(("request", body["application/json"]))
    return found


def test_every_operation_has_examples_that_fit_its_schema(schema):
    paths, components = schema["paths"], schema["components"]["schemas"]
    operations = OPERATIONS | {("post", f"{FEEDBACK}{{id}}/{name}/") for name in STEPS}
    for method, path in sorted(operations):
        operation = paths[path][method]
        examples = [
            (what, example["value"], media["schema"])
            for what, media in media_of(operation)
            for example in media.get("examples", {}).values()
        ]
        assert examples, f"{method} {path}"
        for what, value, shape in examples:
            errors = jsonschema.Draft7Validator(as_json_schema(shape, components)).iter_errors(value)
            assert not [error.message for error in errors], f"{method} {path}: example of the {what}"
        assert {"400", "401", "403", "404"} & set(operation["responses"]), f"{method} {path}"


def test_each_step_documents_if_match_and_its_conflicts(schema):
    for name in STEPS:
        operation = schema["paths"][f"{FEEDBACK}{{id}}/{name}/"]["post"]
        assert {"400", "403", "404", "409", "412", "428"} <= set(operation["responses"]), name
        headers = [parameter for parameter in operation["parameters"] if parameter["in"] == "header"]
        assert [(p["name"], p["required"]) for p in headers] == [("If-Match", True)], name
        request = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        assert name in ("publish", "close") or request.get("examples"), name


def test_what_the_api_answers_fits_the_schema(api, cast, schema, world, answered):  # noqa: F811
    components = schema["components"]["schemas"]

    def fits(url, component, listed=False):
        response = api.get(url)
        assert response.status_code == 200, url
        rows = response.json()["results"] if listed else [response.json()]
        assert rows, url
        for row in rows:
            jsonschema.validate(row, as_json_schema({"$ref": f"#/{component}"}, components))

    api.force_authenticate(cast["reform_admin"])
    fits(FEEDBACK, "Feedback", listed=True)  # received, routed, unrated: empty texts and nulls
    fits(f"{CAMPAIGNS}{answered.pk}/", "SipasCampaign")
    fits(f"{CAMPAIGNS}{answered.pk}/results/", "SipasResults")
    fits(RESPONSES, "SipasResponse", listed=True)
