"""Test fixtures are defined once: the shared ones in tests/conftest.py, none shadowing pytest-django's,
and no fixture written twice with the same body in two files (it belongs in a conftest then)."""

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent
ROOT_CONFTEST = TESTS / "conftest.py"
# pytest-django's own fixtures: a test module that defines one of these hides the real one.
PYTEST_DJANGO = {
    "admin_client",
    "admin_user",
    "async_client",
    "async_rf",
    "client",
    "db",
    "django_assert_max_num_queries",
    "django_assert_num_queries",
    "django_capture_on_commit_callbacks",
    "django_db_blocker",
    "django_db_setup",
    "django_user_model",
    "django_username_field",
    "live_server",
    "mailoutbox",
    "rf",
    "settings",
    "transactional_db",
}


def fixtures(path: Path) -> list[ast.FunctionDef]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    found.append(node)
    return found


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    return body[1:] if is_docstring else body


def all_fixtures() -> dict[Path, list[ast.FunctionDef]]:
    return {path: fixtures(path) for path in sorted(TESTS.rglob("*.py"))}


def test_no_fixture_shadows_pytest_django_or_a_shared_one():
    shared = {node.name for node in fixtures(ROOT_CONFTEST)}
    offenders = [
        f"{path.relative_to(TESTS)}: {node.name}"
        for path, nodes in all_fixtures().items()
        if path != ROOT_CONFTEST
        for node in nodes
        if node.name in PYTEST_DJANGO | shared
    ]
    assert offenders == []


def test_no_fixture_is_written_twice():
    """Two fixtures of one name whose code is the same (their docstrings aside) are one fixture."""
    bodies = defaultdict(list)
    for path, nodes in all_fixtures().items():
        for node in nodes:
            body = ast.dump(ast.Module(body=_without_docstring(node.body), type_ignores=[]))
            bodies[(node.name, body)].append(str(path.relative_to(TESTS)))
    repeated = {name: paths for (name, _body), paths in bodies.items() if len(paths) > 1}
    assert repeated == {}


def test_the_checks_see_a_shadowing_fixture(tmp_path):
    """The scan must recognise both decorator spellings, or the checks above would pass vacuously."""
    module = tmp_path / "test_example.py"
    module.write_text(
        "import pytest\n@pytest.fixture\ndef admin_client():\n    pass\n"
        "@pytest.fixture(autouse=True)\ndef other():\n    pass\n"
    )
    assert [node.name for node in fixtures(module)] == ["admin_client", "other"]
