#!/usr/bin/env bash
# Starts Debian's prometheus under .services/prometheus on a free loopback port, scraping the stockops URLs given
# (API replicas; workers' metrics URLs after --worker) with the alert rules of deploy/prometheus/alerts.yml, and
# prints PROMETHEUS_URL=...; run again with other URLs, it rewrites its targets and reloads. `prometheus.sh env`
# prints the URL of the running one; `prometheus.sh stop` stops it by PID. Debian's package also starts a system
# prometheus (systemd, port 9090): this script neither uses nor touches it.
#   prometheus.sh start http://127.0.0.1:8000 [http://127.0.0.1:8001 ...] [--worker http://127.0.0.1:9464/metrics ...]
# Without URLs it scrapes $STOCKOPS_URL. PROMETHEUS_SCRAPE_INTERVAL (default 2s) sets the scrape and rule interval.
set -euo pipefail
source "$(dirname "$0")/data-helpers.sh"
ROOT="$(services_root)"
DIR="$ROOT/.services/prometheus"
RULES="$ROOT/deploy/prometheus/alerts.yml"

url() {
  echo "PROMETHEUS_URL=http://127.0.0.1:$(cat "$DIR/port")"
}

running_pid() {
  local pid
  pid="$(cat "$DIR/prometheus.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    echo "$pid"
  fi
}

# One scrape job from URLs sharing scheme and path (the path defaults to /metrics): their host:port as targets.
job_yaml() {
  local job="$1"
  shift
  local scheme="" path="" targets="" u p
  for u in "$@"; do
    if [[ ! "$u" =~ ^(https?)://([^/]+)(/.*)?$ ]]; then
      echo "services: prometheus: \"$u\" is not an http(s)://host:port[/path] URL" >&2
      exit 2
    fi
    p="${BASH_REMATCH[3]:-/metrics}"
    if [ "$p" = "/" ]; then
      p=/metrics
    fi
    if [ -n "$scheme" ] && { [ "$scheme" != "${BASH_REMATCH[1]}" ] || [ "$path" != "$p" ]; }; then
      echo "services: prometheus: the $job URLs must share scheme and path ($scheme $path vs $u)" >&2
      exit 2
    fi
    scheme="${BASH_REMATCH[1]}"
    path="$p"
    targets="${targets:+$targets, }\"${BASH_REMATCH[2]}\""
  done
  printf '  - job_name: %s\n    scheme: %s\n    metrics_path: "%s"\n    static_configs:\n      - targets: [%s]\n' \
    "$job" "$scheme" "$path" "$targets"
}

write_config() {
  local api=() workers=()
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --worker)
        workers+=("${2:?--worker needs a URL}")
        shift 2
        ;;
      *)
        api+=("$1")
        shift
        ;;
    esac
  done
  if [ "${#api[@]}" -eq 0 ] && [ -n "${STOCKOPS_URL:-}" ]; then
    api+=("$STOCKOPS_URL")
  fi
  if [ "${#api[@]}" -eq 0 ] && [ "${#workers[@]}" -eq 0 ]; then
    echo "services: prometheus: give the stockops URL to scrape (prometheus.sh start http://127.0.0.1:8000) or set STOCKOPS_URL" >&2
    exit 2
  fi
  local every="${PROMETHEUS_SCRAPE_INTERVAL:-2s}"
  {
    echo "# Written by scripts/services/prometheus.sh: stockops processes on loopback, the project's alert rules."
    echo "global:"
    echo "  scrape_interval: $every"
    echo "  scrape_timeout: $every"
    echo "  evaluation_interval: $every"
    echo "rule_files:"
    echo "  - \"$RULES\""
    echo "scrape_configs:"
    if [ "${#api[@]}" -gt 0 ]; then
      job_yaml stockops-api "${api[@]}"
    fi
    if [ "${#workers[@]}" -gt 0 ]; then
      job_yaml stockops-worker "${workers[@]}"
    fi
  } >"$DIR/prometheus.yml.new"
  mv "$DIR/prometheus.yml.new" "$DIR/prometheus.yml"
}

case "${1:-start}" in
  stop)
    stop_pid "$(running_pid)" TERM prometheus
    exit 0
    ;;
  env)
    if [ -z "$(running_pid)" ]; then
      echo "services: prometheus is not running; start it with scripts/services/prometheus.sh start URL" >&2
      exit 1
    fi
    url
    exit 0
    ;;
  start)
    shift || true
    ;;
  *)
    echo "usage: prometheus.sh start URL... [--worker URL...] | env | stop" >&2
    exit 2
    ;;
esac

if ! command -v prometheus >/dev/null 2>&1; then
  apt_install prometheus
fi
mkdir -p "$DIR/data"
write_config "$@"
promtool check config "$DIR/prometheus.yml" >"$DIR/check.log" 2>&1 || {
  cat "$DIR/check.log" >&2
  exit 1
}

PID="$(running_pid)"
if [ -n "$PID" ]; then
  # Running already: the new targets by a reload (SIGHUP), not a restart.
  kill -HUP "$PID"
  url
  exit 0
fi

PORT="$(free_port)"
echo "$PORT" >"$DIR/port"
# setsid: the server outlives this script (and its caller's process group) and is stopped by its PID. Short
# retention in a data folder of its own; --web.enable-lifecycle lets a test reload it over HTTP too.
setsid prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/data" \
  --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$PORT" --web.enable-lifecycle \
  </dev/null >"$DIR/prometheus.log" 2>&1 &
echo $! >"$DIR/prometheus.pid"
for _ in $(seq 1 200); do
  if curl -fsS "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1; then
    echo "services: prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') on 127.0.0.1:$PORT (pid $(running_pid))" >&2
    url
    exit 0
  fi
  if [ -z "$(running_pid)" ]; then
    break
  fi
  sleep 0.1
done
echo "services: prometheus did not become ready on 127.0.0.1:$PORT; see $DIR/prometheus.log" >&2
tail -20 "$DIR/prometheus.log" >&2 || true
exit 1
