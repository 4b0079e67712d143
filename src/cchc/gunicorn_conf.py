"""Settings of the production application server: `gunicorn -c python:cchc.gunicorn_conf cchc.wsgi`.

`make serve` and the systemd unit of docs/operations.md use it. Every value comes from an environment
variable (documented in docs/operations.md) with a default fit for a small server behind nginx.
"""

import os

from cchc.env import env_bool, env_int, env_list, env_str

_cores = os.cpu_count() or 1

bind = env_list("CCHC_BIND", ["127.0.0.1:8000"])
# Processes: the usual 2 × cores + 1, capped so that a large machine does not open more database
# connections than PostgreSQL's default allows (workers × threads, each kept for CONN_MAX_AGE).
workers = env_int("CCHC_WEB_WORKERS", min(2 * _cores + 1, 9))
# Threads per process: a request waiting on the database leaves the process to another one.
threads = env_int("CCHC_WEB_THREADS", 4)
worker_class = "gthread"
# A request running longer than this is killed and its process replaced (large uploads go to the
# background worker, so no page needs this long).
timeout = env_int("CCHC_WEB_TIMEOUT", 60)
graceful_timeout = env_int("CCHC_WEB_GRACEFUL_TIMEOUT", 30)
# Seconds an idle client connection stays open (nginx in front usually closes its own first).
keepalive = env_int("CCHC_WEB_KEEPALIVE", 5)
# Replace each process after about this many requests, so that slow memory growth cannot build up.
max_requests = env_int("CCHC_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Load the application once in the master, then fork: the processes share its memory pages, and
# cchc.wsgi has already moved the loaded objects out of the garbage collector's reach (gc.freeze).
preload_app = env_bool("CCHC_WEB_PRELOAD", True)
# Addresses whose X-Forwarded-* headers gunicorn believes (nginx on the same machine).
forwarded_allow_ips = env_str("CCHC_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access log on standard output when asked (nginx usually keeps its own); errors always on stderr.
accesslog = "-" if env_bool("CCHC_ACCESS_LOG", False) else None
errorlog = "-"
loglevel = env_str("CCHC_WEB_LOG_LEVEL", "info")
proc_name = "cchc"
