"""scripts/loadtest/run.py (`make loadtest`) keeps to the loopback interface and leaves no server behind."""

import importlib.util
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "loadtest" / "run.py"


@pytest.fixture
def run():
    spec = importlib.util.spec_from_file_location("loadtest_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_server_that_does_not_stop_on_sigterm_is_killed(run):
    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, time\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "print('ready', flush=True)\n"
            "time.sleep(300)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert stubborn.stdout.readline().strip() == "ready"
        run.stop(stubborn, grace=0.2)
        assert stubborn.poll() is not None
    finally:
        if stubborn.poll() is None:
            stubborn.kill()
        stubborn.wait()
        stubborn.stdout.close()


def test_the_simulated_staff_reach_the_server_without_a_proxy(run, monkeypatch):
    """A shell with http_proxy set (offices often have one) must not send the test's requests to it."""
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    monkeypatch.setenv("no_proxy", "intranet.example")
    monkeypatch.delenv("NO_PROXY", raising=False)
    env = run.environment()
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, env[name])
    assert urllib.request.proxy_bypass_environment("127.0.0.1")
    assert urllib.request.proxy_bypass_environment("intranet.example")  # the shell's own list is kept
