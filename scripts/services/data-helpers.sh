# Shared helpers of postgres.sh and clickhouse.sh: a free loopback port, running as a non-root user, stopping by PID.
# Sourced, not run.

services_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

# Asks the kernel for a free loopback port (bind to port 0), using the Node that the project needs anyway.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

# Runs a command as $1 when we are root (database servers refuse or should not run as root), else as ourselves.
as_user() {
  local user="$1"
  shift
  if [ "$(id -u)" = "0" ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

# apt-get install, with one `apt-get update` first, for a fresh Debian machine.
apt_install() {
  if [ "$(id -u)" != "0" ]; then
    echo "services: need root to apt-get install $*" >&2
    return 1
  fi
  echo "services: apt-get install $*" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Stops a process by PID: the signal given, then waits up to 30 s, then SIGKILL.
stop_pid() {
  local pid="$1" sig="${2:-TERM}" name="$3"
  if ! pid_alive "$pid"; then
    echo "services: $name is not running" >&2
    return 0
  fi
  kill "-$sig" "$pid"
  for _ in $(seq 1 300); do
    if ! pid_alive "$pid"; then
      echo "services: stopped $name (pid $pid)" >&2
      return 0
    fi
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  echo "services: killed $name (pid $pid) after 30 s" >&2
}
