#!/usr/bin/env bash
# Starts a real single-node Apache Kafka 4.x broker (KRaft: broker and controller in one JVM) from its jars on
# Maven Central, on free loopback ports, and prints KAFKA_BROKERS=127.0.0.1:PORT.
# Usage: scripts/services/kafka.sh [start|stop|env]   start (the default) is idempotent; stop stops it by PID.
# The jars are fetched once with `mvn dependency:copy-dependencies` into .services/kafka/libs (Java 17 and Maven
# from Debian). KAFKA_SERVICE_DIR names another state folder, for a test that needs a broker of its own to stop
# and restart (the cached jars are shared).
set -euo pipefail
source "$(dirname "$0")/data-helpers.sh"
ROOT="$(services_root)"
KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
# The log4j 2 binding for the slf4j 1.x API Kafka 4.1 logs through; without a binding the broker logs nothing.
LOG4J_VERSION=2.24.3
LIBS="$ROOT/.services/kafka/libs"
STATE="${KAFKA_SERVICE_DIR:-$ROOT/.services/kafka/broker}"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
NAME=Kafka

log() { echo "kafka.sh: $*" >&2; }
# shellcheck source=scripts/services/setsid-server.sh
source "$ROOT/scripts/services/setsid-server.sh"

broker() { echo "127.0.0.1:$(cat "$STATE/port")"; }

print_env() { echo "KAFKA_BROKERS=$(broker)"; }

# Ready once the broker says so and its port takes connections (the port opens a moment before it serves).
healthy() {
  [[ -f "$STATE/port" ]] && grep -q 'Kafka Server started' "$LOG" 2>/dev/null &&
    (exec 3<>"/dev/tcp/127.0.0.1/$(cat "$STATE/port")") 2>/dev/null
}

port_free() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($1,'127.0.0.1',()=>s.close())"
}

fetch_jars() {
  local marker="$LIBS/.kafka_2.13-$KAFKA_VERSION"
  if [[ -f "$marker" ]]; then
    return 0
  fi
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
  log "fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its dependencies from Maven Central"
  local build="$ROOT/.services/kafka/build"
  rm -rf "$LIBS" "$build"
  mkdir -p "$build"
  cat >"$build/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.stockops</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  mvn -q -B -f "$build/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIBS" \
    -DincludeScope=runtime >&2
  touch "$marker"
}

# Writes the broker's config for the ports in $STATE/port and $STATE/controller.port.
write_config() {
  local port controller
  port="$(cat "$STATE/port")"
  controller="$(cat "$STATE/controller.port")"
  cat >"$STATE/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=1
# One broker: every internal topic has one replica, and a new consumer group starts at once.
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$STATE/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = OUT
logger.state.name = state.change.logger
logger.state.level = warn
logger.raft.name = org.apache.kafka.raft
logger.raft.level = warn
EOF
}

# A new cluster: fresh ports and storage formatted as a standalone controller quorum of one.
format() {
  rm -rf "$STATE/data"
  mkdir -p "$STATE/data"
  free_port >"$STATE/port"
  free_port >"$STATE/controller.port"
  write_config
  local id
  # random-uuid prints a log line on stdout too: the id is the last line.
  id="$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  java -cp "$LIBS/*" -Dlog4j2.configurationFile="$STATE/log4j2.properties" kafka.tools.StorageTool \
    format -t "$id" -c "$STATE/server.properties" --standalone >"$STATE/format.log" 2>&1 || {
    cat "$STATE/format.log" >&2
    return 1
  }
}

start() {
  mkdir -p "$STATE"
  if running_pid >/dev/null && healthy; then
    print_env
    return 0
  fi
  stop_server quiet
  fetch_jars
  # A restart keeps its data and ports (clients reconnect to the same address, and the controller's address is
  # written into the formatted storage); a new cluster is formatted when there is none or its ports are taken.
  if [[ ! -f "$STATE/data/meta.properties" || ! -f "$STATE/port" ]] ||
    ! port_free "$(cat "$STATE/port")" || ! port_free "$(cat "$STATE/controller.port")"; then
    format
  fi
  log "starting Kafka $KAFKA_VERSION on $(broker) (log: $LOG)"
  # setsid: the JVM's PID is its process group, so stop reaches it and nothing else.
  setsid java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$STATE/log4j2.properties" -cp "$LIBS/*" \
    kafka.Kafka "$STATE/server.properties" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  await_healthy 120 || return 1
  log "Kafka ready on $(broker) (pid $(running_pid))"
  print_env
}

service_main "$@"
