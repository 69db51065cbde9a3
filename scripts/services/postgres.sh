#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (Debian postgresql) under .services/postgres on a free loopback port and
# prints DATABASE_URL=... to use (or export); idempotent (prints the URL again when it runs). `postgres.sh stop` stops it by PID.
set -euo pipefail
source "$(dirname "$0")/data-helpers.sh"
ROOT="$(services_root)"
DIR="$ROOT/.services/postgres"
DATA="$DIR/data"
PASSWORD=stockops
# The cluster's owner: initdb refuses root, so a root caller runs it as Debian's `postgres` user.
OWNER=postgres

url() {
  echo "DATABASE_URL=postgres://postgres:$PASSWORD@127.0.0.1:$(cat "$DIR/port")/postgres"
}

running_pid() {
  local pid
  pid="$(head -1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    echo "$pid"
  fi
}

if [ "${1:-start}" = "stop" ]; then
  stop_pid "$(running_pid)" INT postgres # SIGINT: PostgreSQL's fast shutdown
  exit 0
fi

if [ -n "$(running_pid)" ]; then
  url
  exit 0
fi

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  apt_install postgresql
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
if [ "$(id -u)" != "0" ]; then
  OWNER="$(id -un)"
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR" 2>/dev/null || true
if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"
  printf '%s\n' "$PASSWORD" >"$DIR/pwfile"
  chown "$OWNER" "$DIR/pwfile" 2>/dev/null || true
  as_user "$OWNER" "$PGBIN/initdb" -D "$DATA" -U postgres --pwfile="$DIR/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 ||
    {
      cat "$DIR/initdb.log" >&2
      exit 1
    }
  rm -f "$DIR/pwfile"
fi

PORT="$(free_port)"
echo "$PORT" >"$DIR/port"
mkdir -p "$DIR/socket"
chown "$OWNER" "$DIR/socket" "$DIR/port" 2>/dev/null || true
# A test cluster: loopback only, and durability traded for speed (fsync off) since it is thrown away.
as_user "$OWNER" "$PGBIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >&2 || {
  tail -20 "$DIR/server.log" >&2
  exit 1
}
echo "services: postgres $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (pid $(running_pid))" >&2
url
