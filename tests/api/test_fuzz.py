"""The API fuzzed by a client we did not write: schemathesis, against the live schema, as signed-in roles.

For every operation the schema lists and for each role below, schemathesis makes a bounded number of
requests from the schema (the same ones on every run: derandomised, no example database) and checks
each answer: no server error, the status code, content type and body the schema promises, and no unit
the caller may not see (fuzzing.no_other_units_data). Then a few invalid requests (a wrong type, a
missing field, stray bytes in a path) as the reform office must be refused without a server error. A
failure names the operation and the role.

The world holds data in sibling units (fuzzing.build_world), so a viewset that forgot `for_user` would
hand one of them to the commune officer or the department's focal point and fail here.
"""

import hypothesis
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.fuzzing import (
    NAMED_KEY_ROLES,
    Scope,
    build_world,
    load_schema,
    no_other_units_data,
    token_header,
)

pytestmark = pytest.mark.django_db

SCHEMA = load_schema()
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
# The province's reform office and administrator (may write nearly everything), a department's focal
# point and a commune's (each sees only its own subtree: where a leak would show). The department's
# focal point signs in with a named key (fuzzing.NAMED_KEY_ROLES), the others with the older token.
ROLES = ["reform_admin", "justice_focal", "commune_officer"]
EXAMPLES = 5
# Invalid requests (schemathesis' negative mode), as the role that may write most: fewer, for time.
NEGATIVE_ROLE = "reform_admin"
NEGATIVE_EXAMPLES = 3

FUZZ_SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
NEGATIVE_SETTINGS = hypothesis.settings(FUZZ_SETTINGS, max_examples=NEGATIVE_EXAMPLES)


@pytest.fixture
def world(cast):
    build_world(cast)
    # The WSGI handler would close the database connection after each request (Django's test client
    # stops it from doing so; schemathesis' WSGI client does not): on PostgreSQL that ends the test's
    # transaction. Keep the connection, as the test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield cast
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation_holds_its_schema_and_scope(world, label):
    """Each role in turn (one world per operation keeps the run short); the failure names the role."""
    failures = []
    runs = [(role, False) for role in ROLES] + [(NEGATIVE_ROLE, True)]
    for role, negative in runs:
        try:
            fuzz(OPERATIONS[label], world[role], negative=negative, named_key=role in NAMED_KEY_ROLES)
        # Every role is tried, then all their failures are shown (schemathesis' FailureGroup is a
        # BaseExceptionGroup, not an Exception).
        except (Exception, FailureGroup) as error:
            failures.append(f"--- as {role}{' (invalid requests)' if negative else ''}:\n{error}")
    assert not failures, f"{label}\n" + "\n".join(failures)


def fuzz(operation, user, negative=False, named_key=False):
    """Valid requests must get the answers the schema promises; invalid ones (a wrong type, a missing
    field, stray bytes in a path) must be refused with a 4xx, never a server error."""
    scope = no_other_units_data(Scope(user))
    if negative:
        checks = [not_a_server_error, scope]
        strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    else:
        checks = [
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            scope,
        ]
        strategy = operation.as_strategy()

    @(NEGATIVE_SETTINGS if negative else FUZZ_SETTINGS)
    @hypothesis.given(case=strategy)
    def run(case):
        headers = token_header(user, named_key=named_key)
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    run()


def test_every_routed_operation_is_fuzzed():
    """The fuzzing covers the endpoints the router knows, including those added later."""
    assert "GET /api/v1/units/" in OPERATIONS
    assert "POST /api/v1/dossiers/batch/" in OPERATIONS
    assert len(OPERATIONS) >= 30


def test_a_role_is_fuzzed_with_a_named_key(world):
    """The named-key door is really the one used, and a key revoked by a fuzzed sign-out is replaced."""
    from cchc.accounts.models import ApiToken

    [role] = NAMED_KEY_ROLES
    user = world[role]
    operation = OPERATIONS["GET /api/v1/units/"]
    headers = token_header(user, named_key=True)
    assert headers["Authorization"].startswith("Bearer cchc_")
    response = operation.Case().call(headers=headers)
    assert response.status_code == 200
    key = ApiToken.objects.get(owner=user)
    assert key.last_used_at is not None
    logout = OPERATIONS["POST /api/v1/auth/logout/"].Case().call(headers=headers)
    assert logout.status_code == 204
    again = token_header(user, named_key=True)
    assert again != headers
    assert operation.Case().call(headers=again).status_code == 200
