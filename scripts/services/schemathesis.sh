#!/usr/bin/env bash
# Installs (pinned, cached in .services/schemathesis-venv) the schemathesis API fuzzer, a test tool only, and prints
# SCHEMATHESIS_BIN=... for tests/integration/api-fuzz.test.ts. Usage: scripts/services/schemathesis.sh [start|stop|env]
# It runs no server: start installs (idempotent) and prints the path, stop does nothing, env prints it when installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV="$PWD/.services/schemathesis-venv"
MARKER="$VENV/.stockops-schemathesis-$SCHEMATHESIS_VERSION"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

log() { echo "schemathesis.sh: $*" >&2; }

print_env() {
  echo "SCHEMATHESIS_BIN=$VENV/bin/st"
}

install() {
  if [[ -f "$MARKER" && -x "$VENV/bin/st" ]]; then
    return 0
  fi
  log "installing schemathesis==$SCHEMATHESIS_VERSION into $VENV (first run takes a minute)"
  if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
  touch "$MARKER"
  log "schemathesis $("$VENV/bin/st" --version 2>/dev/null | tail -n 1) ready"
}

case "${1:-start}" in
  start)
    install
    print_env
    ;;
  stop) ;;
  env)
    if [[ -f "$MARKER" ]]; then print_env; else
      log "not installed; run scripts/services/schemathesis.sh"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 [start|stop|env]" >&2
    exit 2
    ;;
esac
