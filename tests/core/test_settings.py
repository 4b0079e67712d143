"""Settings come from the environment and a malformed value stops start-up with a clear message."""

import os
import subprocess
import sys

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
