#!/usr/bin/env bash
# The production topology of deploy/compose.yaml as processes on this machine, without Docker:
#   npm run stack        (scripts/stack.sh up)     npm run stack:down   (scripts/stack.sh down)
#   scripts/stack.sh status                        prints the table of the running stack again
# `up` starts PostgreSQL, Redis, MinIO, MLflow, ClickHouse and Kafka with scripts/services/*.sh (a server already
# running there is used as it is and left running by `down`), runs `stockops migrate` once, starts two workers
# (`stockops worker`) and two API replicas per pool (pool a takes 70 % of the predictions, pool b 70 % of the
# training starts, as deploy/nginx/stockops.conf.template has it), nginx in front of the four (scripts/services/
# nginx.sh) and Prometheus scraping replicas and workers (scripts/services/prometheus.sh). Every process listens on
# 127.0.0.1 on a free port. What runs where is written to $STOCKOPS_STACK_DIR/state.tsv and state.json (service,
# PID, URL, whether this stack started it) and the processes' settings to stack.env, with the variable names of
# deploy/.env.example; `down` stops what `up` started by those PIDs (never by name) and checks none is left.
#
# Settings: STOCKOPS_STACK_DIR (default .services/stack), STOCKOPS_STACK_DB (the database created on the
# PostgreSQL cluster, default stockops), STACK_READY_TIMEOUT (seconds to wait for the replicas' /api/ready,
# default 900: the first replica's bootstrap trains the sample ticker on a worker). Any app variable already set
# in the caller's environment (STOCKOPS_API_KEY, KAFKA_TOPIC_PREFIX, STOCKOPS_QUEUE_PREFIX, STOCKOPS_MLFLOW_PREFIX,
# STOCKOPS_SCHEDULES, PRICE_SOURCE_URL, ...) is passed on; the stack's own values fill in the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services/data-helpers.sh
ROOT="$PWD"
DIR="${STOCKOPS_STACK_DIR:-$ROOT/.services/stack}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
STATE="$DIR/state.tsv"
SERVICES=(postgres redis minio mlflow clickhouse kafka)
# Replica name, pool; the weights of nginx's predict and train upstreams follow this order.
REPLICAS=(api-a1 api-a2 api-b1 api-b2)
PREDICT_WEIGHTS=7,7,3,3
TRAIN_WEIGHTS=3,3,7,7
WORKERS=(worker-1 worker-2)

log() { echo "stack: $*" >&2; }

# PID of a server started by scripts/services/<name>.sh, from the file that script keeps it in.
service_pid() {
  local f
  case "$1" in
    postgres) f=.services/postgres/data/postmaster.pid ;;
    redis) f=.services/redis/redis.pid ;;
    minio) f=.services/minio/server.pid ;;
    mlflow) f=.services/mlflow/server.pid ;;
    clickhouse) f=.services/clickhouse/server.pid ;;
    kafka) f=.services/kafka/broker/server.pid ;;
    prometheus) f=.services/prometheus/prometheus.pid ;;
    nginx) f="$DIR/nginx/nginx.pid" ;;
  esac
  local pid
  pid="$(head -1 "$f" 2>/dev/null || true)"
  if pid_alive "$pid"; then echo "$pid"; fi
}

# One row of the state: service, PID, URL, owned (1: this stack started it and `down` stops it), kind.
record() {
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$STATE"
}

write_json() {
  node -e '
    const fs = require("fs");
    const rows = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map((l) => {
      const [service, pid, url, owned, kind] = l.split("\t");
      return { service, pid: Number(pid), url, owned: owned === "1", kind };
    });
    const env = Object.fromEntries(fs.readFileSync(process.argv[2], "utf8").split("\n")
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    const front = rows.find((r) => r.service === "nginx");
    fs.writeFileSync(process.argv[3], JSON.stringify({ url: front ? front.url : null, processes: rows, env }, null, 2) + "\n");
  ' "$STATE" "$DIR/stack.env" "$DIR/state.json"
}

print_table() {
  printf '%-12s %-8s %-6s %s\n' SERVICE PID OWNED URL
  while IFS=$'\t' read -r name pid url owned _; do
    printf '%-12s %-8s %-6s %s\n' "$name" "$pid" "$([ "$owned" = 1 ] && echo yes || echo no)" "$url"
  done <"$STATE"
}

# Waits until $1 answers 2xx, up to $2 seconds, failing early when PID $3 has exited.
wait_http() {
  local url="$1" secs="$2" pid="${3:-}" i
  for ((i = 0; i < secs * 4; i++)); do
    if curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; then return 0; fi
    if [ -n "$pid" ] && ! pid_alive "$pid"; then return 1; fi
    sleep 0.25
  done
  return 1
}

# Starts `stockops <args>` in a session of its own (so a terminal's Ctrl-C does not reach it), output in $DIR/logs.
spawn() {
  local name="$1"
  shift
  mkdir -p "$DIR/logs"
  (
    set -a
    # shellcheck disable=SC1091
    source "$DIR/stack.env"
    set +a
    exec setsid node "$ROOT/bin/stockops.js" "$@"
  ) </dev/null >"$DIR/logs/$name.log" 2>&1 &
  echo $!
}

stop_owned_pid() {
  local name="$1" pid="$2" sig="${3:-TERM}"
  if pid_alive "$pid"; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 160); do
      pid_alive "$pid" || break
      sleep 0.25
    done
    if pid_alive "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      log "killed $name (pid $pid) after 40 s"
    fi
  fi
}

down() {
  if [ ! -f "$STATE" ]; then
    log "no stack recorded in $STATE"
    return 0
  fi
  local rows=()
  mapfile -t rows <"$STATE"
  # nginx first (no new requests), then replicas and workers (each drains on SIGTERM), then the servers.
  local order=(front app monitor service)
  local kind row name pid url owned k
  for kind in "${order[@]}"; do
    for ((k = ${#rows[@]} - 1; k >= 0; k--)); do
      row="${rows[$k]}"
      IFS=$'\t' read -r name pid _ owned k_kind <<<"$row"
      [ "$k_kind" = "$kind" ] && [ "$owned" = 1 ] || continue
      case "$kind" in
        front) NGINX_DIR="$DIR/nginx" scripts/services/nginx.sh stop || true ;;
        app) stop_owned_pid "$name" "$pid" TERM & ;;
        monitor) scripts/services/prometheus.sh stop || true ;;
        service) scripts/services/"$name".sh stop || true ;;
      esac
    done
    wait
  done
  # Nothing this stack started may be left: each recorded PID is checked, and a survivor is killed by PID.
  local left=0
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r name pid _ owned _ <<<"$row"
    if [ "$owned" = 1 ] && pid_alive "$pid"; then
      log "$name (pid $pid) still alive after its stop; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      left=1
    fi
  done
  mv "$STATE" "$DIR/state.down.tsv"
  rm -f "$DIR/state.json"
  log "stopped; $( ((left)) && echo 'some needed SIGKILL' || echo 'no process left')"
}

up() {
  if [ -f "$STATE" ]; then
    log "a stack is recorded in $STATE already: npm run stack:down first (scripts/stack.sh status shows it)"
    exit 1
  fi
  : >"$STATE"
  trap 'log "start failed; stopping what was started (logs in $DIR/logs)"; down' ERR
  node scripts/ensure-built.mjs >&2

  # The servers, side by side (cold installs take minutes).
  local out="$DIR/services"
  mkdir -p "$out"
  declare -A before=() jobs=()
  local s
  for s in "${SERVICES[@]}"; do
    before[$s]="$(service_pid "$s")"
    (scripts/services/"$s".sh start >"$out/$s.env" 2>"$out/$s.log") &
    jobs[$s]=$!
  done
  local failed=0
  for s in "${SERVICES[@]}"; do
    if ! wait "${jobs[$s]}"; then
      log "scripts/services/$s.sh failed:"
      cat "$out/$s.log" >&2
      failed=1
    fi
  done
  for s in "${SERVICES[@]}"; do
    local pid
    pid="$(service_pid "$s")"
    if [ -n "$pid" ]; then
      record "$s" "$pid" "$(grep -m1 -E '^(DATABASE_URL|REDIS_URL|S3_ENDPOINT|MLFLOW_TRACKING_URI|CLICKHOUSE_URL|KAFKA_BROKERS)=' "$out/$s.env" | sed 's/^[A-Z0-9_]*=//; s/\/\/[^@]*@/\/\//')" "$([ -z "${before[$s]}" ] && echo 1 || echo 0)" service
    fi
  done
  if ((failed)); then false; fi
  # What the scripts printed (NAME=value lines), as SVC_NAME.
  local k v
  for s in "${SERVICES[@]}"; do
    while IFS='=' read -r k v; do
      printf -v "SVC_$k" '%s' "$v"
    done < <(grep -E '^[A-Z][A-Z0-9_]*=' "$out/$s.env")
  done

  # The stack's database of its own on the cluster.
  local db="${STOCKOPS_STACK_DB:-stockops}"
  local database_url
  database_url="$(DB="$db" URL="$SVC_DATABASE_URL" node -e '
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.env.URL });
    c.connect().then(async () => {
      const r = await c.query("select 1 from pg_database where datname = $1", [process.env.DB]);
      if (r.rowCount === 0) await c.query(`create database "${process.env.DB}"`);
      await c.end();
      const u = new URL(process.env.URL); u.pathname = "/" + process.env.DB; console.log(u.toString());
    }).catch((e) => { console.error(e.message); process.exit(1); });')"

  # Every stockops process's settings, named as in deploy/.env.example; the caller's values win.
  local api_key="${STOCKOPS_API_KEY:-$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("base64url"))')}"
  cat >"$DIR/stack.env" <<EOF
# Written by scripts/stack.sh: the settings of every stockops process of this stack (names as in deploy/.env.example).
DATABASE_URL=$database_url
REDIS_URL=$SVC_REDIS_URL
ARTIFACTS_URL=$SVC_ARTIFACTS_URL
S3_ENDPOINT=$SVC_S3_ENDPOINT
AWS_ACCESS_KEY_ID=$SVC_AWS_ACCESS_KEY_ID
AWS_SECRET_ACCESS_KEY=$SVC_AWS_SECRET_ACCESS_KEY
AWS_REGION=$SVC_AWS_REGION
MLFLOW_TRACKING_URI=$SVC_MLFLOW_TRACKING_URI
STOCKOPS_MLFLOW_PREFIX=${STOCKOPS_MLFLOW_PREFIX:-}
KAFKA_BROKERS=$SVC_KAFKA_BROKERS
KAFKA_TOPIC_PREFIX=${KAFKA_TOPIC_PREFIX:-stockops}
CLICKHOUSE_URL=${SVC_CLICKHOUSE_URL%/}/$db
STOCKOPS_API_KEY=$api_key
STOCKOPS_QUEUE_PREFIX=${STOCKOPS_QUEUE_PREFIX:-stockops}
STOCKOPS_SCHEDULES=${STOCKOPS_SCHEDULES:-true}
STOCKOPS_HOME=${STOCKOPS_HOME:-$DIR/home}
PRICE_SOURCE_URL=${PRICE_SOURCE_URL:-yahoo://}
LOG_LEVEL=${LOG_LEVEL:-info}
HOST=127.0.0.1
EOF
  chmod 600 "$DIR/stack.env"

  (
    set -a
    # shellcheck disable=SC1091
    source "$DIR/stack.env"
    set +a
    node bin/stockops.js migrate
  ) >&2

  # Workers first: the first replica's bootstrap is a flow run they take.
  local name pid port
  declare -A worker_urls=()
  for name in "${WORKERS[@]}"; do
    port="$(free_port)"
    pid="$(STOCKOPS_INSTANCE="stack-$name" STOCKOPS_METRICS_PORT="$port" spawn "$name" worker --concurrency 1)"
    worker_urls[$name]="http://127.0.0.1:$port/metrics"
    record "$name" "$pid" "${worker_urls[$name]}" 1 app
  done
  declare -A replica_urls=() replica_pids=()
  local i=0
  for name in "${REPLICAS[@]}"; do
    port="$(free_port)"
    # One replica bootstraps a fresh stack (imports the sample, trains its first models); the rest wait for it.
    local boot=false
    if [ "$i" = 0 ]; then boot="${STOCKOPS_BOOTSTRAP:-true}"; fi
    pid="$(STOCKOPS_INSTANCE="stack-$name" PORT="$port" STOCKOPS_BOOTSTRAP="$boot" spawn "$name" start)"
    replica_urls[$name]="http://127.0.0.1:$port"
    replica_pids[$name]="$pid"
    record "$name" "$pid" "${replica_urls[$name]}" 1 app
    i=$((i + 1))
  done
  for name in "${WORKERS[@]}"; do
    wait_http "${worker_urls[$name]}" 120 || {
      log "$name did not serve its metrics; see $DIR/logs/$name.log"
      tail -20 "$DIR/logs/$name.log" >&2
      false
    }
  done
  local timeout="${STACK_READY_TIMEOUT:-900}"
  for name in "${REPLICAS[@]}"; do
    wait_http "${replica_urls[$name]}/api/ready" "$timeout" "${replica_pids[$name]}" || {
      log "$name did not become ready; see $DIR/logs/$name.log"
      tail -20 "$DIR/logs/$name.log" >&2
      false
    }
  done

  local addrs=()
  for name in "${REPLICAS[@]}"; do addrs+=("${replica_urls[$name]#http://}"); done
  local nginx_env
  nginx_env="$(NGINX_DIR="$DIR/nginx" NGINX_PREDICT_WEIGHTS="$PREDICT_WEIGHTS" NGINX_TRAIN_WEIGHTS="$TRAIN_WEIGHTS" \
    NGINX_ACCESS_LOG="$DIR/logs/nginx-access.log" scripts/services/nginx.sh start "${addrs[@]}")"
  record nginx "$(service_pid nginx)" "${nginx_env#NGINX_URL=}" 1 front

  local prom_before prom_env targets=()
  prom_before="$(service_pid prometheus)"
  for name in "${REPLICAS[@]}"; do targets+=("${replica_urls[$name]}"); done
  for name in "${WORKERS[@]}"; do targets+=(--worker "${worker_urls[$name]}"); done
  prom_env="$(scripts/services/prometheus.sh start "${targets[@]}")"
  record prometheus "$(service_pid prometheus)" "${prom_env#PROMETHEUS_URL=}" "$([ -z "$prom_before" ] && echo 1 || echo 0)" monitor

  trap - ERR
  write_json
  print_table
  echo
  echo "front door: ${nginx_env#NGINX_URL=}   settings: $DIR/stack.env (the API key is STOCKOPS_API_KEY there)"
  echo "state: $DIR/state.json   logs: $DIR/logs   stop: npm run stack:down"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status)
    if [ -f "$STATE" ]; then print_table; else
      log "no stack running (no $STATE)"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
