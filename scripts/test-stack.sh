#!/usr/bin/env bash
# Stack tests: starts the real servers tests/integration needs (scripts/services/*.sh, cached installs under
# .services/), exports the variables they print, runs vitest.stack.config.ts, and stops what it started.
# Usage: scripts/test-stack.sh [vitest args]   STACK_KEEP=1 leaves the servers running for the next run.
# tests/integration/stack.test.ts runs `npm run stack` on top of these servers (reusing them, with a database, queue,
# topics and MLflow names of its own), which adds nginx, Prometheus, replicas and workers, and `npm run stack:down`,
# which stops only what the stack started.
set -euo pipefail
cd "$(dirname "$0")/.."

# schemathesis runs no server: its script installs the fuzzer (cached) and prints SCHEMATHESIS_BIN for api-fuzz.test.ts.
SERVICES=(mlflow minio postgres clickhouse redis kafka schemathesis)
STARTED=()
OUT="$(mktemp -d)"

cleanup() {
  if [[ "${STACK_KEEP:-}" != 1 ]]; then
    for s in "${STARTED[@]}"; do
      "scripts/services/$s.sh" stop || true
    done
  fi
  rm -rf "$OUT"
}
trap cleanup EXIT

# Installs and builds take minutes on a cold machine, so the services start side by side.
declare -A PIDS=()
for s in "${SERVICES[@]}"; do
  SECONDS_START=$SECONDS
  ( "scripts/services/$s.sh" start >"$OUT/$s.env" 2>"$OUT/$s.log"; echo "$((SECONDS - SECONDS_START))" >"$OUT/$s.secs" ) &
  PIDS[$s]=$!
done
failed=0
for s in "${SERVICES[@]}"; do
  STARTED+=("$s")
  if ! wait "${PIDS[$s]}"; then
    echo "test-stack: scripts/services/$s.sh failed:" >&2
    cat "$OUT/$s.log" >&2
    failed=1
    continue
  fi
  echo "test-stack: $s ready in $(cat "$OUT/$s.secs" 2>/dev/null || echo '?') s" >&2
  while IFS= read -r line; do
    # ARTIFACTS_URL stays unexported: each test chooses its own store. CLICKHOUSE_URL, MLFLOW_TRACKING_URI and
    # KAFKA_BROKERS go out as STACK_*: exported as they are, every stockops process a test spawns would use them,
    # wanted or not.
    # DATABASE_URL goes out under both names (the job tests read DATABASE_URL; the data tests STACK_DATABASE_URL).
    if [[ "$line" == CLICKHOUSE_URL=* || "$line" == MLFLOW_TRACKING_URI=* || "$line" == KAFKA_BROKERS=* ]]; then
      export "STACK_${line?}"
    elif [[ "$line" == DATABASE_URL=* ]]; then
      export "${line?}" "STACK_${line?}"
    elif [[ "$line" =~ ^[A-Z0-9_]+= && "$line" != ARTIFACTS_URL=* ]]; then
      export "${line?}"
    fi
  done <"$OUT/$s.env"
done
if [[ "$failed" == 1 ]]; then
  exit 1
fi

npx vitest run --config vitest.stack.config.ts "$@"
