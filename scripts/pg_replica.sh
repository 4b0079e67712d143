#!/usr/bin/env bash
# A local PostgreSQL streaming replica of the primary, for CI and the replica tests
# (docs/operations.md, "Read replica"). Idempotent:
#   scripts/pg_replica.sh start [PORT]   copy the primary with pg_basebackup -R and start the copy
#                                        on PORT (default 5433); a running one is left alone
#   scripts/pg_replica.sh stop [PORT]    stop it and remove its data directory
# The primary is PGHOST:PGPORT as PGUSER (default 127.0.0.1:5432, postgres). The replica runs as the
# postgres user from cchc-pg-replica-PORT in the temporary folder and trusts 127.0.0.1 like the
# primary does here.
set -euo pipefail

ACTION=${1:-}
PORT=${2:-5433}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DATA="${TMPDIR:-$(dirname "$(mktemp -u)")}/cchc-pg-replica-$PORT"

die() { echo "pg_replica: $*" >&2; exit 1; }

# Run a command as the postgres user (the data directory must belong to it).
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

# The primary's server binaries (Debian keeps pg_ctl out of PATH).
bindir() {
  local major
  major=$(psql -XAtc "SELECT current_setting('server_version_num')::int / 10000" postgres)
  [ -x "/usr/lib/postgresql/$major/bin/pg_ctl" ] && echo "/usr/lib/postgresql/$major/bin" && return
  dirname "$(command -v pg_ctl || die "no pg_ctl for PostgreSQL $major")"
}

running() { [ -f "$DATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# pg_basebackup connects for replication, which pg_hba.conf here does not allow out of the box.
allow_replication() {
  local hba
  hba=$(psql -XAtc "SHOW hba_file" postgres)
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    psql -XAtc "SELECT pg_reload_conf()" postgres >/dev/null
    sleep 1
  fi
}

start() {
  if running; then
    echo "pg_replica: already running on port $PORT ($DATA)"
    return
  fi
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    die "port $PORT is taken by another server; pass another port"
  fi
  allow_replication
  rm -rf "$DATA"
  install -d -o postgres -g postgres -m 700 "$DATA"
  as_postgres "$BIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -D "$DATA" -R -X stream -c fast
  # Debian keeps the configuration outside the data directory: give the copy its own, small one.
  as_postgres tee "$DATA/postgresql.conf" >/dev/null <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DATA'
hot_standby = on
max_connections = 100
shared_buffers = 32MB
max_standby_streaming_delay = 5s
EOF
  as_postgres tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p "$PORT" || die "the replica did not start; see $DATA/server.log"
  echo "pg_replica: streaming replica on 127.0.0.1:$PORT ($DATA)"
}

stop() {
  if running; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
  rm -rf "$DATA"
  echo "pg_replica: stopped the replica on port $PORT"
}

BIN=$(bindir)
case "$ACTION" in
  start) start ;;
  stop) stop ;;
  *) die "usage: $0 start|stop [PORT]" ;;
esac
