#!/usr/bin/env bash
# Starts Debian's clickhouse-server (installed if missing) with a minimal config under .services/clickhouse on free
# loopback ports and prints CLICKHOUSE_URL=... to use (or export); idempotent. `clickhouse.sh stop` stops it by PID.
set -euo pipefail
source "$(dirname "$0")/data-helpers.sh"
ROOT="$(services_root)"
DIR="$ROOT/.services/clickhouse"
OWNER=clickhouse

url() {
  echo "CLICKHOUSE_URL=http://127.0.0.1:$(cat "$DIR/http_port")"
}

running_pid() {
  local pid
  pid="$(cat "$DIR/server.pid" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    echo "$pid"
  fi
}

if [ "${1:-start}" = "stop" ]; then
  stop_pid "$(running_pid)" TERM clickhouse
  exit 0
fi

if [ -n "$(running_pid)" ]; then
  url
  exit 0
fi

SERVER="$(command -v clickhouse-server || true)"
[ -z "$SERVER" ] && [ -x /usr/sbin/clickhouse-server ] && SERVER=/usr/sbin/clickhouse-server
if [ -z "$SERVER" ]; then
  apt_install clickhouse-server
  SERVER=/usr/sbin/clickhouse-server
fi
if [ "$(id -u)" != "0" ] || ! id "$OWNER" >/dev/null 2>&1; then
  OWNER="$(id -un)"
fi

HTTP_PORT="$(free_port)"
TCP_PORT="$(free_port)"
while [ "$TCP_PORT" = "$HTTP_PORT" ]; do TCP_PORT="$(free_port)"; done
mkdir -p "$DIR/data" "$DIR/tmp" "$DIR/user_files" "$DIR/format_schemas" "$DIR/log"
echo "$HTTP_PORT" >"$DIR/http_port"

# Minimal config: loopback only, own folders, small caches (the machine is shared), passwordless `default` user
# reachable from loopback only.
cat >"$DIR/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$DIR/log/server.log</log>
    <errorlog>$DIR/log/error.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <http_port>$HTTP_PORT</http_port>
  <tcp_port>$TCP_PORT</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>134217728</mark_cache_size>
  <path>$DIR/data/</path>
  <tmp_path>$DIR/tmp/</tmp_path>
  <user_files_path>$DIR/user_files/</user_files_path>
  <format_schema_path>$DIR/format_schemas/</format_schema_path>
  <users_config>$DIR/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
XML
cat >"$DIR/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
XML
rm -f "$DIR/server.pid"
chown -R "$OWNER" "$DIR" 2>/dev/null || true

# Started in the background with its PID recorded here, so `stop` (and test:stack) end exactly this process.
# `exec` makes the recorded PID the server's own, not runuser's.
as_user "$OWNER" sh -c 'echo $$ >"$1/server.pid"; exec "$2" --config-file="$1/config.xml"' sh "$DIR" "$SERVER" \
  >"$DIR/log/stdout.log" 2>&1 &
for _ in $(seq 1 50); do
  [ -s "$DIR/server.pid" ] && break
  sleep 0.1
done
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$HTTP_PORT/ping" >/dev/null 2>&1; then
    VERSION="$(curl -fsS "http://127.0.0.1:$HTTP_PORT/?query=SELECT%20version()" || echo '?')"
    echo "services: clickhouse $VERSION on 127.0.0.1:$HTTP_PORT (tcp $TCP_PORT, pid $(running_pid))" >&2
    url
    exit 0
  fi
  if [ -z "$(running_pid)" ]; then
    echo "services: clickhouse-server exited; its log:" >&2
    tail -30 "$DIR/log/stdout.log" "$DIR/log/error.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
echo "services: clickhouse did not answer /ping within 60 s" >&2
exit 1
