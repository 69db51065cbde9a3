#!/usr/bin/env bash
# Installs (pinned, cached in .services/mlflow-venv) and starts a real MLflow tracking server on loopback.
# Usage: scripts/services/mlflow.sh [start|stop|env]   start (default) is idempotent and prints MLFLOW_TRACKING_URI=...
# The server uses a sqlite backend and serves artifacts itself (--serve-artifacts), so clients need no S3 credentials.
set -euo pipefail
cd "$(dirname "$0")/../.."

MLFLOW_VERSION="${MLFLOW_VERSION:-3.17.2}"
ROOT="$PWD/.services"
VENV="$ROOT/mlflow-venv"
STATE="$ROOT/mlflow"
PIDFILE="$STATE/server.pid"
PORTFILE="$STATE/server.port"
LOG="$STATE/server.log"
NAME=MLflow
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

log() { echo "mlflow.sh: $*" >&2; }
# shellcheck source=scripts/services/setsid-server.sh
source "scripts/services/setsid-server.sh"

healthy() {
  [[ -f "$PORTFILE" ]] && curl -fsS -m 2 "http://127.0.0.1:$(cat "$PORTFILE")/health" >/dev/null 2>&1
}

print_env() {
  echo "MLFLOW_TRACKING_URI=http://127.0.0.1:$(cat "$PORTFILE")"
}

install() {
  local marker="$VENV/.stockops-mlflow-$MLFLOW_VERSION"
  if [[ -f "$marker" ]]; then
    return 0
  fi
  log "installing mlflow==$MLFLOW_VERSION into $VENV (first run takes a few minutes)"
  if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION" >&2
  touch "$marker"
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
  if running_pid >/dev/null && healthy; then
    print_env
    return 0
  fi
  stop_server quiet
  install
  mkdir -p "$STATE/artifacts"
  local port
  port="$(free_port)"
  echo "$port" >"$PORTFILE"
  log "starting MLflow $MLFLOW_VERSION on 127.0.0.1:$port (log: $LOG)"
  # setsid: the server outlives this script and is stopped by PID (its workers are in its process group).
  MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true setsid "$VENV/bin/mlflow" server \
    --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$STATE/mlflow.db" \
    --serve-artifacts --artifacts-destination "$STATE/artifacts" \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  await_healthy 240 || return 1
  print_env
}

service_main "$@"
