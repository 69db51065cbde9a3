#!/usr/bin/env bash
# Starts Debian redis-server under .services/redis on a free loopback port without persistence and prints the
# REDIS_URL to use; idempotent (prints the URL again when it runs). `redis.sh stop` stops it by PID.
set -euo pipefail
source "$(dirname "$0")/data-helpers.sh"
ROOT="$(services_root)"
DIR="$ROOT/.services/redis"

url() {
  echo "REDIS_URL=redis://127.0.0.1:$(cat "$DIR/port")"
}

running_pid() {
  local pid
  pid="$(cat "$DIR/redis.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    echo "$pid"
  fi
}

if [ "${1:-start}" = "stop" ]; then
  stop_pid "$(running_pid)" TERM redis
  exit 0
fi

if [ -n "$(running_pid)" ]; then
  url
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  apt_install redis-server
fi

mkdir -p "$DIR"
PORT="$(free_port)"
echo "$PORT" >"$DIR/port"
# A test server: loopback only, nothing written to disk (--save '' and no AOF), so a restart starts empty.
# noeviction: BullMQ needs its keys kept; a full Redis must fail loudly rather than drop jobs.
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR" --maxmemory-policy noeviction >&2
for _ in $(seq 1 100); do
  if redis-cli -p "$PORT" ping >/dev/null 2>&1; then
    echo "services: redis $(redis-server --version | awk '{print $3}' | sed 's/v=//') on 127.0.0.1:$PORT (pid $(running_pid))" >&2
    url
    exit 0
  fi
  sleep 0.1
done
echo "services: redis did not answer on 127.0.0.1:$PORT; see $DIR/redis.log" >&2
tail -20 "$DIR/redis.log" >&2 || true
exit 1
