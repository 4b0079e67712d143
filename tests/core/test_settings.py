"""Settings come from the environment and a malformed value stops start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.env import database_from_url, env_bool, env_int, env_list


def test_database_url_selects_sqlite_or_postgresql():
    sqlite = database_from_url("sqlite:///var/test.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    postgres = database_from_url("postgres://cchc:secret@db.internal:5433/cchc")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == ("db.internal", 5433, "cchc")


@pytest.mark.parametrize("url", ["mysql://root@localhost/cchc", "postgres://localhost", "not a url"])
def test_unsupported_or_malformed_database_urls_fail_loudly(url):
    with pytest.raises(ImproperlyConfigured) as error:
        database_from_url(url)
    assert "DATABASE_URL" in str(error.value)


def test_malformed_booleans_numbers_and_lists_fail_loudly(monkeypatch):
    monkeypatch.setenv("CCHC_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CCHC_X"):
        env_bool("CCHC_X", False)
    monkeypatch.setenv("CCHC_X", "ten")
    with pytest.raises(ImproperlyConfigured, match="CCHC_X"):
        env_int("CCHC_X", 1)
    monkeypatch.setenv("CCHC_X", "a,,b")
    with pytest.raises(ImproperlyConfigured, match="CCHC_X"):
        env_list("CCHC_X", [])
    monkeypatch.setenv("CCHC_X", "Yes")
    assert env_bool("CCHC_X", False) is True


def test_the_cchc_command_refuses_to_start_with_a_bad_setting():
    env = {**os.environ, "DATABASE_URL": "mysql://root@localhost/cchc"}
    result = subprocess.run(
        [sys.executable, "-m", "cchc", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


# The secret key and the production checks. These start the real `cchc` command in a clean process.

ROOT = Path(__file__).resolve().parents[2]


def clean_environment(tmp_path, **variables):
    """The process environment without any of our settings, nor the test runner's mark (PYTEST_VERSION)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CCHC_", "DATABASE_URL", "DJANGO_")) and name != "PYTEST_VERSION"
    }
    return {**env, "CCHC_VAR_DIR": str(tmp_path / "var"), **variables}


def run_cchc(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "cchc", *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def test_without_a_secret_key_the_application_refuses_to_start(tmp_path):
    result = run_cchc("check", env=clean_environment(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CCHC_SECRET_KEY" in result.stderr and "scripts/secret_key.py" in result.stderr


def test_the_secret_key_is_read_from_the_key_file_the_script_writes_once(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    script = [sys.executable, str(ROOT / "scripts" / "secret_key.py"), str(key_file)]
    subprocess.run(script, check=True, capture_output=True, timeout=60)
    key = key_file.read_text().strip()
    assert len(key) >= 50 and key_file.stat().st_mode & 0o777 == 0o600
    subprocess.run(script, check=True, capture_output=True, timeout=60)
    assert key_file.read_text().strip() == key  # an existing key is never replaced
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        env=clean_environment(tmp_path, DJANGO_SETTINGS_MODULE="cchc.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()
    assert printed == key


def test_debug_without_a_key_runs_with_a_random_one_never_a_published_one(tmp_path):
    env = clean_environment(tmp_path, CCHC_DEBUG="true", DJANGO_SETTINGS_MODULE="cchc.settings")
    command = [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    keys = {
        subprocess.run(command, env=env, capture_output=True, text=True, timeout=120).stdout for _ in "ab"
    }
    assert len(keys) == 2 and all(len(key.strip()) >= 50 for key in keys)


def documented_production_environment(tmp_path):
    """The variables of the production block in docs/operations.md, with its paths moved under tmp_path."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = text.split("<!-- production-env", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    variables = {}
    for line in block.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            variables[name] = str(tmp_path / value.lstrip("/")) if value.startswith("/") else value
    return variables


def test_the_documented_production_environment_passes_the_deployment_checks(tmp_path):
    variables = documented_production_environment(tmp_path)
    assert variables["CCHC_SSL_REDIRECT"] == "true" and int(variables["CCHC_HSTS_SECONDS"]) > 0
    key_file = Path(variables["CCHC_SECRET_KEY_FILE"])
    subprocess.run([sys.executable, str(ROOT / "scripts" / "secret_key.py"), str(key_file)], check=True)
    result = run_cchc(
        "check", "--deploy", "--fail-level", "WARNING", env=clean_environment(tmp_path, **variables)
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout
