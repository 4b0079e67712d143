"""`make loadtest`: the load test on PostgreSQL, on the loopback interface only, bounded in time.

1. Prepare the database (DATABASE_URL, default the local `cchc_load`): create it if missing, migrate,
   load the demo, add the generated dossiers (`cchc bench load`, CCHC_LOAD_DOSSIERS, default one
   million; skipped when they are there already) and VACUUM ANALYZE.
2. Start the production server (gunicorn with src/cchc/gunicorn_conf.py) on 127.0.0.1 and a free port.
3. Run locust headless (scripts/loadtest/locustfile.py, from the separate .venv-load): first the
   baseline, one simulated person at a time (each role in turn, no pauses; CCHC_LOAD_BASELINE_SECONDS
   in all), then CCHC_LOAD_USERS people (default 50, arriving CCHC_LOAD_SPAWN_RATE a second, each
   signing in) for CCHC_LOAD_SECONDS (default 90), counted from CCHC_LOAD_SETTLE_SECONDS (default 15)
   after the last one arrived, when the sign-ins are over.
4. Write the summary, per page p50/p95/max and errors for both runs, to var/loadtest/summary.json and
   summary.md (CCHC_LOAD_OUT) and between the markers of docs/performance.md (unless
   CCHC_LOAD_DOCS=false), and stop the server.

Exit status 1 when a goal of docs/performance.md is missed (p95 over all pages, any page's p95,
errors). Environment: CCHC_LOAD_* above, CCHC_WEB_WORKERS / CCHC_WEB_THREADS for the server.
"""

import datetime
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
LOAD_BIN = ROOT / ".venv-load" / "bin"
OUT = Path(os.environ.get("CCHC_LOAD_OUT", ROOT / "var" / "loadtest"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cchc_load")
DOSSIERS = int(os.environ.get("CCHC_LOAD_DOSSIERS", "1000000"))
USERS = int(os.environ.get("CCHC_LOAD_USERS", "50"))
SPAWN_RATE = os.environ.get("CCHC_LOAD_SPAWN_RATE", "1")
SETTLE_SECONDS = int(os.environ.get("CCHC_LOAD_SETTLE_SECONDS", "15"))
SECONDS = int(os.environ.get("CCHC_LOAD_SECONDS", "90"))
BASELINE_SECONDS = int(os.environ.get("CCHC_LOAD_BASELINE_SECONDS", "45"))
GOAL_P95_MS, GOAL_PAGE_P95_MS = 300, 1000
SIGN_IN = "sign-in"  # not a page: reported apart (see the locustfile)


def say(text: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {text}", flush=True)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = DATABASE_URL
    env.setdefault("CCHC_VAR_DIR", str(OUT / "var"))
    # A throw-away key for this run unless one is configured (sessions die with the run anyway).
    if not env.get("CCHC_SECRET_KEY") and not env.get("CCHC_SECRET_KEY_FILE"):
        env["CCHC_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["CCHC_DEBUG"] = "false"
    # Never through a proxy of the shell's environment (requests and urllib follow http_proxy): the
    # simulated staff and the server must meet on the loopback interface.
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = ",".join(part for part in (env.get(name, ""), "127.0.0.1", "localhost") if part)
    return env


def cchc(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(BIN / "cchc"), *args], env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def sql(env: dict[str, str], statement: str, *, database: str | None = None) -> list[tuple]:
    """Run one statement through the project's psycopg (autocommit), in `database` or DATABASE_URL's."""
    code = (
        "import json, sys, psycopg\n"
        "with psycopg.connect(sys.argv[1], autocommit=True) as c:\n"
        "    cur = c.execute(sys.argv[2])\n"
        "    print(json.dumps(cur.fetchall() if cur.description else []))\n"
    )
    url = DATABASE_URL
    if database:
        parts = urlsplit(DATABASE_URL)
        url = parts._replace(path=f"/{database}").geturl()
    out = subprocess.run(
        [str(BIN / "python"), "-c", code, url, statement], env=env, check=True, text=True, capture_output=True
    ).stdout
    return [tuple(row) for row in json.loads(out)]


def prepare(env: dict[str, str]) -> None:
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    if not sql(env, f"SELECT 1 FROM pg_database WHERE datname = '{name}'", database="postgres"):
        say(f"creating the database {name}")
        sql(env, f'CREATE DATABASE "{name}"', database="postgres")
    say("migrate")
    cchc(env, "migrate", "--noinput", "-v", "0")
    say("demo")
    cchc(env, "demo", capture=True)
    have = sql(env, "SELECT count(*) FROM onestop_dossier WHERE code LIKE 'LOAD%'")[0][0]
    if have < DOSSIERS:
        say(f"adding {DOSSIERS:,} generated dossiers (cchc bench load)")
        cchc(env, "bench", "load", "--rows", str(DOSSIERS))
        sql(env, "VACUUM ANALYZE")
    else:
        say(f"{have:,} generated dossiers already there")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    # Simulated people keep their connection between pages, as browsers do; the server must not close
    # it during a pause, or the next request meets a closed socket (nginx does this in production).
    server_env = dict(env, CCHC_BIND=f"127.0.0.1:{port}", CCHC_WEB_KEEPALIVE="30")
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:cchc.gunicorn_conf", "cchc.wsgi"],
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with direct.open(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    stop(server)
    raise SystemExit(f"the server did not start: see {OUT / 'gunicorn.log'}")


def stop(server: subprocess.Popen, grace: float = 60) -> None:
    """Stop gunicorn: SIGTERM lets its workers finish their requests; one that has not stopped after
    `grace` seconds is killed, so that no server outlives the test."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def locust(env: dict[str, str], port: int, users: int, seconds: int, classes: list[str], times: Path) -> None:
    say(f"locust: {users} simulated staff ({', '.join(classes)}) for {seconds} s")
    # The arrival of the people and a few seconds after it are not counted (see the locustfile).
    ramp = users // max(1, int(SPAWN_RATE)) + SETTLE_SECONDS if users > 1 else 0
    subprocess.run(
        [
            str(LOAD_BIN / "locust"),
            "-f",
            str(ROOT / "scripts" / "loadtest" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{port}",
            "-u",
            str(users),
            "-r",
            SPAWN_RATE if users > 1 else "1",
            "--run-time",
            f"{seconds + ramp}s",
            "--stop-timeout",
            "10",
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env=dict(
            env, CCHC_LOAD_TIMES=str(times), CCHC_LOAD_SETTLE_SECONDS=str(SETTLE_SECONDS if users > 1 else 0)
        ),
        check=False,  # locust exits 1 when a request failed; the summary says which
        stdout=subprocess.DEVNULL,
        timeout=seconds + ramp + 120,
    )


def _percentile(values: list[float], share: float) -> float:
    return round(values[min(len(values) - 1, int(share * len(values)))], 1) if values else 0.0


def _line(page: str, records: list[tuple[float, bool]]) -> dict:
    values = sorted(ms for ms, _ok in records)
    return {
        "page": page,
        "requests": len(values),
        "errors": sum(1 for _ms, ok in records if not ok),
        "p50_ms": _percentile(values, 0.5),
        "p95_ms": _percentile(values, 0.95),
        "max_ms": round(values[-1]) if values else 0,
    }


def summarise(times: Path) -> dict:
    """Per page and over all pages (the sign-in apart), from the requests the locustfile recorded."""
    by_page: dict[str, list[tuple[float, bool]]] = {}
    for row in times.read_text().splitlines() if times.exists() else []:
        name, ms, ok = row.split("\t")
        by_page.setdefault(name, []).append((float(ms), ok == "1"))
    pages = [_line(name, records) for name, records in sorted(by_page.items()) if name != SIGN_IN]
    every = [record for name, records in by_page.items() if name != SIGN_IN for record in records]
    sign_in = _line(SIGN_IN, by_page[SIGN_IN]) if SIGN_IN in by_page else None
    return {"pages": pages, "all": _line("all pages", every), "sign_in": sign_in}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({model or platform.machine()}), {memory:.0f} GB RAM"


def markdown(result: dict) -> str:
    load, alone = result["load"], result["baseline"]
    by_page = {line["page"]: line for line in alone["pages"]}
    lines = [
        f"Measured {result['date']} on {result['machine']}, PostgreSQL {result['postgresql']}, "
        f"gunicorn {result['workers']} workers × {result['threads']} threads; {result['dossiers']:,} "
        f"dossiers. {result['users']} simulated staff for {result['seconds']} s (pause "
        f"{result['wait']} s between pages), after the baseline: one person at a time, each role in turn, "
        f"without pauses, {result['baseline_seconds']} s in all. Load average of the machine before the "
        f"test: {result['load_average_before']}.",
        "",
        "| page | requests | p50 ms | p95 ms | max ms | errors | one user: p50 / p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for line in load["pages"]:
        one = by_page.get(line["page"])
        single = f"{one['p50_ms']:.0f} / {one['p95_ms']:.0f}" if one else "—"
        lines.append(
            f"| {line['page']} | {line['requests']:,} | {line['p50_ms']:.0f} | {line['p95_ms']:.0f} | "
            f"{line['max_ms']:,} | {line['errors']} | {single} |"
        )
    total, one = load["all"], alone["all"]
    lines.append(
        f"| **all pages** | {total['requests']:,} | {total['p50_ms']:.0f} | {total['p95_ms']:.0f} | "
        f"{total['max_ms']:,} | {total['errors']} | {one['p50_ms']:.0f} / {one['p95_ms']:.0f} |"
    )
    if load.get("sign_in"):
        sign_in = load["sign_in"]
        lines += [
            "",
            f"Sign-in (not a page; each simulated person once, a deliberately slow password hash): "
            f"{sign_in['requests']} requests, p50 {sign_in['p50_ms']:.0f} ms, "
            f"p95 {sign_in['p95_ms']:.0f} ms, {sign_in['errors']} errors.",
        ]
    verdict = result["goals"]
    lines += [
        "",
        f"Goals: p95 over all pages ≤ {GOAL_P95_MS} ms: {'met' if verdict['p95'] else 'missed'}; "
        f"every page's p95 ≤ {GOAL_PAGE_P95_MS} ms: {'met' if verdict['pages'] else 'missed'}; "
        f"no errors: {'met' if verdict['errors'] else 'missed'}.",
    ]
    return "\n".join(lines) + "\n"


DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- loadtest:start -->", "<!-- loadtest:end -->"


def update_docs(text: str) -> None:
    """Put the summary between the markers of docs/performance.md, as `make bench` does with its own."""
    if os.environ.get("CCHC_LOAD_DOCS", "true").lower() in {"0", "false", "no", "off"}:
        return
    page = DOCS.read_text()
    if START in page and END in page:
        before, rest = page.split(START, 1)
        _old, after = rest.split(END, 1)
        DOCS.write_text(f"{before}{START}\n{text}{END}{after}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    prepare(env)
    # The machine's load before the test: other work on it takes the cores the server needs.
    load_before = round(os.getloadavg()[0], 1)
    port = free_port()
    server = start_server(env, port)
    say(f"gunicorn on 127.0.0.1:{port}")
    classes = ["ProvinceStaff", "AgencyStaff", "CommuneStaff"]
    baseline_times, load_times = OUT / "baseline_times.tsv", OUT / "load_times.tsv"
    try:
        # The baseline: one person at a time, each role in turn, without pauses.
        baseline_times.unlink(missing_ok=True)
        for role in classes:
            role_env = dict(env, CCHC_LOAD_WAIT="0,0")
            locust(role_env, port, 1, max(5, BASELINE_SECONDS // len(classes)), [role], baseline_times)
        load_times.unlink(missing_ok=True)
        locust(env, port, USERS, SECONDS, classes, load_times)
    finally:
        stop(server)
    load, alone = summarise(load_times), summarise(baseline_times)
    config = subprocess.run(
        [str(BIN / "python"), "-c", "import cchc.gunicorn_conf as c; print(c.workers, c.threads)"],
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout.split()
    result = {
        "date": datetime.date.today().strftime("%d/%m/%Y"),
        "machine": machine(),
        "postgresql": sql(env, "SHOW server_version")[0][0].split()[0],
        "workers": int(config[0]),
        "threads": int(config[1]),
        "dossiers": sql(env, "SELECT count(*) FROM onestop_dossier")[0][0],
        "users": USERS,
        "seconds": SECONDS,
        "baseline_seconds": BASELINE_SECONDS,
        "wait": os.environ.get("CCHC_LOAD_WAIT", "2,6").replace(",", "–"),
        "load_average_before": load_before,
        "load": load,
        "baseline": alone,
        "goals": {
            "p95": load["all"]["p95_ms"] <= GOAL_P95_MS,
            "pages": all(line["p95_ms"] <= GOAL_PAGE_P95_MS for line in load["pages"]),
            "errors": load["all"]["errors"] == 0 and all(line["errors"] == 0 for line in load["pages"]),
        },
    }
    (OUT / "summary.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    text = markdown(result)
    (OUT / "summary.md").write_text(text)
    update_docs(text)
    print(text)
    say(f"summary in {OUT / 'summary.md'} and summary.json")
    return 0 if all(result["goals"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
