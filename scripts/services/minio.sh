#!/usr/bin/env bash
# Builds (go install, cached in .services/bin) and starts a real MinIO server on loopback with generated credentials.
# Usage: scripts/services/minio.sh [start|stop|env]   start (default) is idempotent, creates the bucket and prints
# S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, S3_BUCKET and ARTIFACTS_URL lines.
set -euo pipefail
cd "$(dirname "$0")/../.."

# MinIO publishes no semver tags to the Go proxy; this pseudo-version is the upstream commit of 2026-02-12.
MINIO_VERSION="${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
ROOT="$PWD/.services"
BIN="$ROOT/bin/minio"
STATE="$ROOT/minio"
PIDFILE="$STATE/server.pid"
PORTFILE="$STATE/server.port"
CREDS="$STATE/credentials"
LOG="$STATE/server.log"
NAME=MinIO
BUCKET="${S3_BUCKET:-stockops}"
REGION="us-east-1"

log() { echo "minio.sh: $*" >&2; }
# shellcheck source=scripts/services/setsid-server.sh
source "scripts/services/setsid-server.sh"

endpoint() { echo "http://127.0.0.1:$(cat "$PORTFILE")"; }

healthy() {
  [[ -f "$PORTFILE" ]] && curl -fsS -m 2 "$(endpoint)/minio/health/live" >/dev/null 2>&1
}

print_env() {
  # shellcheck disable=SC1090
  source "$CREDS"
  echo "S3_ENDPOINT=$(endpoint)"
  echo "AWS_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "AWS_SECRET_ACCESS_KEY=$SECRET_KEY"
  echo "AWS_REGION=$REGION"
  echo "S3_BUCKET=$BUCKET"
  echo "ARTIFACTS_URL=s3://$BUCKET/artifacts"
}

build() {
  local marker="$ROOT/bin/.minio-$MINIO_VERSION"
  if [[ -x "$BIN" && -f "$marker" ]]; then
    return 0
  fi
  log "building MinIO $MINIO_VERSION with go install (first run takes several minutes)"
  mkdir -p "$ROOT/bin"
  GOBIN="$ROOT/bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/minio/minio@$MINIO_VERSION" >&2
  touch "$marker"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

make_bucket() {
  # shellcheck disable=SC1090
  source "$CREDS"
  local code
  code="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$ACCESS_KEY:$SECRET_KEY" "$(endpoint)/$BUCKET")"
  # 200 created; 409 BucketAlreadyOwnedByYou on a restart with the same data folder.
  if [[ "$code" != 200 && "$code" != 409 ]]; then
    log "creating bucket $BUCKET failed with HTTP $code"
    return 1
  fi
}

start() {
  mkdir -p "$STATE/data"
  if running_pid >/dev/null && healthy; then
    print_env
    return 0
  fi
  stop_server quiet
  build
  if [[ ! -f "$CREDS" ]]; then
    umask 077
    printf 'ACCESS_KEY=%s\nSECRET_KEY=%s\n' "so$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
      "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$CREDS"
  fi
  # shellcheck disable=SC1090
  source "$CREDS"
  local port console
  port="$(free_port)"
  console="$(free_port)"
  echo "$port" >"$PORTFILE"
  log "starting MinIO on 127.0.0.1:$port (log: $LOG)"
  MINIO_ROOT_USER="$ACCESS_KEY" MINIO_ROOT_PASSWORD="$SECRET_KEY" MINIO_BROWSER=off \
    MINIO_UPDATE=off MINIO_CALLHOME_ENABLE=off \
    setsid "$BIN" server "$STATE/data" --address "127.0.0.1:$port" \
    --console-address "127.0.0.1:$console" --quiet >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  await_healthy 120 || return 1
  make_bucket
  print_env
}

service_main "$@"
