#!/usr/bin/env bash
# Stops the broker started by start.sh: SIGTERM (a controlled shutdown),
# then SIGKILL after KAFKA_STOP_TIMEOUT seconds (default 60). A no-op when
# it is not running. The data directory is kept.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PID_FILE="$ROOT/.infra/run/kafka.pid"
TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"

[ -f "$PID_FILE" ] || exit 0
PID="$(cat "$PID_FILE")"
# Only our broker: the pid may have been reused since the file was written.
if ! ps -p "$PID" -o args= 2>/dev/null | grep -q 'kafka\.Kafka'; then
  rm -f "$PID_FILE"
  exit 0
fi

kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq $((TIMEOUT * 10))); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$PID" 2>/dev/null; then
  echo "kafka stop: no exit after ${TIMEOUT}s, sending SIGKILL" >&2
  kill -KILL "$PID" 2>/dev/null || true
  while kill -0 "$PID" 2>/dev/null; do sleep 0.1; done
fi
rm -f "$PID_FILE"
echo "kafka stopped"
