# Shared by minio.sh and mlflow.sh, which start a server with setsid (its PID is also its process group),
# record the PID in $PIDFILE and its output in $LOG. The sourcing script sets NAME, PIDFILE and LOG and
# defines log, healthy, print_env and start. Sourced, not run.

running_pid() {
  if [[ -f "$PIDFILE" ]]; then
    local pid
    pid="$(cat "$PIDFILE")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
  fi
  return 1
}

# Waits up to $1 half-seconds for `healthy`; a server that exits meanwhile fails at once, showing its log.
await_healthy() {
  local tries="$1"
  for _ in $(seq 1 "$tries"); do
    if healthy; then
      return 0
    fi
    if ! running_pid >/dev/null; then
      log "$NAME exited during start; last log lines:"
      tail -n 30 "$LOG" >&2
      return 1
    fi
    sleep 0.5
  done
  log "$NAME did not become healthy within $((tries / 2)) s; last log lines:"
  tail -n 30 "$LOG" >&2
  return 1
}

# Stops the server's whole process group (its workers too), by TERM and after 10 s by KILL.
stop_server() {
  local pid
  if pid="$(running_pid)"; then
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 -- "-$pid" 2>/dev/null || true
    [[ "${1:-}" == quiet ]] || log "stopped $NAME (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

# The command line of both scripts: start (the default, idempotent), stop, env.
service_main() {
  case "${1:-start}" in
    start) start ;;
    stop) stop_server ;;
    env)
      if running_pid >/dev/null && healthy; then print_env; else
        log "not running; start it with scripts/services/$(basename "$0")"
        exit 1
      fi
      ;;
    *)
      echo "usage: $0 [start|stop|env]" >&2
      exit 2
      ;;
  esac
}
