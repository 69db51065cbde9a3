#!/usr/bin/env bash
# nginx in front of stockops replicas: renders deploy/nginx/stockops.conf.template for the given replica
# addresses, checks it with `nginx -t` and starts Debian's nginx on a free loopback port under a non-root-friendly
# prefix; prints NGINX_URL=... . Stopped by the PID in its pid file.
#
#   scripts/services/nginx.sh start 127.0.0.1:8001 127.0.0.1:8002   (or STOCKOPS_REPLICAS=host:port,host:port)
#   scripts/services/nginx.sh stop | env | check
#
# Environment: NGINX_DIR (prefix, default .services/nginx; one per nginx), NGINX_PORT (default: a free port),
# NGINX_PREDICT_WEIGHTS (default 7,3), NGINX_TRAIN_WEIGHTS (default 3,7) - the weights of replicas 1, 2, ...
# (1 past the list) -, NGINX_MAX_FAILS (2), NGINX_FAIL_TIMEOUT (5s), NGINX_PROXY_TIMEOUT (35s: the replicas'
# 30 s request deadline plus a margin), NGINX_WORKERS (1), NGINX_ACCESS_LOG (off), NGINX_UI_ROOT (web/dist).
set -euo pipefail
source "$(dirname "$0")/data-helpers.sh"
ROOT="$(services_root)"
DIR="${NGINX_DIR:-$ROOT/.services/nginx}"
TEMPLATE="$ROOT/deploy/nginx/stockops.conf.template"

log() { echo "services: nginx: $*" >&2; }

nginx_bin() {
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx
  fi
  command -v nginx 2>/dev/null || echo /usr/sbin/nginx
}

running_pid() {
  local pid
  pid="$(cat "$DIR/nginx.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    echo "$pid"
  fi
}

# server lines of one upstream: weight i from the comma list $2 (1 past its end) for each replica in $1.
servers() {
  local replicas="$1" weights="$2" i=0 w addr
  IFS=',' read -r -a ws <<<"$weights"
  IFS=',' read -r -a rs <<<"$replicas"
  for addr in "${rs[@]}"; do
    w="${ws[$i]:-1}"
    echo "    server $addr weight=$w max_fails=${NGINX_MAX_FAILS:-2} fail_timeout=${NGINX_FAIL_TIMEOUT:-5s};"
    i=$((i + 1))
  done
}

# Renders the template to $DIR/nginx.conf for the replicas in $1 (comma-separated) on port $2.
render() {
  local replicas="$1" port="$2" user=""
  mkdir -p "$DIR/tmp"
  # As root, nginx's workers would run as nobody and could not use the prefix: keep the caller's user.
  if [ "$(id -u)" = "0" ]; then
    user="user $(id -un) $(id -gn);"
  fi
  local ones
  ones="$(echo "$replicas" | tr ',' '\n' | sed 's/.*/1/' | paste -sd, -)"
  USER_LINE="$user" PREFIX_V="$DIR" PORT_V="127.0.0.1:$port" \
    PREDICT="$(servers "$replicas" "${NGINX_PREDICT_WEIGHTS:-7,3}")" \
    TRAIN="$(servers "$replicas" "${NGINX_TRAIN_WEIGHTS:-3,7}")" \
    API="$(servers "$replicas" "$ones")" \
    TIMEOUT="${NGINX_PROXY_TIMEOUT:-35s}" WORKERS="${NGINX_WORKERS:-1}" \
    ACCESS="${NGINX_ACCESS_LOG:-off}" UI="${NGINX_UI_ROOT:-$ROOT/web/dist}" \
    MIME="$(dirname "$(nginx_conf_default)")/mime.types" \
    awk '{
      gsub(/\{\{USER\}\}/, ENVIRON["USER_LINE"]); gsub(/\{\{PREFIX\}\}/, ENVIRON["PREFIX_V"]);
      gsub(/\{\{LISTEN\}\}/, ENVIRON["PORT_V"]); gsub(/\{\{PREDICT_SERVERS\}\}/, ENVIRON["PREDICT"]);
      gsub(/\{\{TRAIN_SERVERS\}\}/, ENVIRON["TRAIN"]); gsub(/\{\{API_SERVERS\}\}/, ENVIRON["API"]);
      gsub(/\{\{PROXY_TIMEOUT\}\}/, ENVIRON["TIMEOUT"]); gsub(/\{\{WORKERS\}\}/, ENVIRON["WORKERS"]);
      gsub(/\{\{ACCESS_LOG\}\}/, ENVIRON["ACCESS"]); gsub(/\{\{UI_ROOT\}\}/, ENVIRON["UI"]);
      gsub(/\{\{MIME_TYPES\}\}/, ENVIRON["MIME"]); print
    }' "$TEMPLATE" >"$DIR/nginx.conf"
}

# Debian keeps mime.types beside its nginx.conf.
nginx_conf_default() {
  echo /etc/nginx/nginx.conf
}

check() {
  "$(nginx_bin)" -t -q -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log"
}

replicas_from_args() {
  if [ "$#" -gt 0 ]; then
    (IFS=','; echo "$*")
  else
    echo "${STOCKOPS_REPLICAS:-}"
  fi
}

print_env() {
  echo "NGINX_URL=http://127.0.0.1:$(cat "$DIR/port")"
}

cmd="${1:-start}"
shift || true
case "$cmd" in
  start)
    if [ -n "$(running_pid)" ]; then
      print_env
      exit 0
    fi
    replicas="$(replicas_from_args "$@")"
    if [ -z "$replicas" ]; then
      log "no replicas: give host:port arguments or STOCKOPS_REPLICAS=host:port,host:port"
      exit 2
    fi
    BIN="$(nginx_bin)"
    port="${NGINX_PORT:-$(free_port)}"
    mkdir -p "$DIR"
    render "$replicas" "$port"
    echo "$port" >"$DIR/port"
    check || {
      log "nginx -t refused $DIR/nginx.conf"
      exit 1
    }
    "$BIN" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log"
    for _ in $(seq 1 50); do
      if [ -n "$(running_pid)" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        log "$("$BIN" -v 2>&1 | sed 's/.*: //') on 127.0.0.1:$port (pid $(running_pid)) -> $replicas"
        print_env
        exit 0
      fi
      sleep 0.1
    done
    log "did not start; see $DIR/error.log"
    tail -20 "$DIR/error.log" >&2 || true
    exit 1
    ;;
  stop)
    stop_pid "$(running_pid)" QUIT nginx # SIGQUIT: graceful shutdown
    ;;
  env)
    if [ -n "$(running_pid)" ]; then print_env; else
      log "not running; start it with scripts/services/nginx.sh start HOST:PORT..."
      exit 1
    fi
    ;;
  check)
    # Renders the template for two placeholder replicas and runs nginx -t on it.
    DIR="$(mktemp -d)"
    render "127.0.0.1:1,127.0.0.1:2" 1
    check && log "nginx -t: deploy/nginx/stockops.conf.template renders to a valid configuration"
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start [HOST:PORT ...] | stop | env | check" >&2
    exit 2
    ;;
esac
