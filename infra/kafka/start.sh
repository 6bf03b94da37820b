#!/usr/bin/env bash
# Starts a single-node Apache Kafka (KRaft: broker and controller in one JVM)
# on 127.0.0.1, without Docker. Idempotent: a running broker is left alone.
# Data stays in .infra/kafka/data across restarts; stop.sh stops it.
#
#   KAFKA_PORT             broker port (default 19092)
#   KAFKA_CONTROLLER_PORT  controller port (default 19093)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xms128m -Xmx512m)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 120)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HOME_DIR="$ROOT/.infra/kafka"
RUN_DIR="$ROOT/.infra/run"
PID_FILE="$RUN_DIR/kafka.pid"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
BROKER="127.0.0.1:$PORT"
TIMEOUT="${KAFKA_START_TIMEOUT:-120}"

running() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka'
}

if running; then
  echo "$BROKER"
  exit 0
fi

"$ROOT/infra/kafka/install.sh"
mkdir -p "$HOME_DIR/data" "$HOME_DIR/logs" "$RUN_DIR"
CLASSPATH="$HOME_DIR/libs/*"

cat >"$HOME_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BROKER
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$HOME_DIR/data
num.partitions=1
num.network.threads=2
num.io.threads=2
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS

cat >"$HOME_DIR/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$HOME_DIR/logs/server.log
log4j.appender.file.MaxFileSize=10MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
PROPS

JAVA_OPTS=(${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} -XX:+UseSerialGC -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$HOME_DIR/log4j.properties" "-Dkafka.logs.dir=$HOME_DIR/logs")

# Format once: a restart must find the same cluster, topics and offsets.
if [ ! -f "$HOME_DIR/data/meta.properties" ]; then
  CLUSTER_ID="$(java -cp "$CLASSPATH" "${JAVA_OPTS[@]}" kafka.tools.StorageTool random-uuid)"
  java -cp "$CLASSPATH" "${JAVA_OPTS[@]}" kafka.tools.StorageTool format \
    -t "$CLUSTER_ID" -c "$HOME_DIR/server.properties" >"$HOME_DIR/logs/format.log" 2>&1 ||
    { cat "$HOME_DIR/logs/format.log" >&2; exit 1; }
fi

nohup java -cp "$CLASSPATH" "${JAVA_OPTS[@]}" kafka.Kafka "$HOME_DIR/server.properties" \
  >"$HOME_DIR/logs/stdout.log" 2>&1 </dev/null &
echo $! >"$PID_FILE"

if ! node "$ROOT/infra/kafka/wait-for-broker.js" "$BROKER" "$TIMEOUT" "$(cat "$PID_FILE")"; then
  echo "kafka start: the broker did not answer within ${TIMEOUT}s; last log lines:" >&2
  tail -n 40 "$HOME_DIR/logs/server.log" "$HOME_DIR/logs/stdout.log" >&2 || true
  "$ROOT/infra/kafka/stop.sh" >&2 || true
  exit 1
fi
echo "$BROKER"
