#!/usr/bin/env bash
# Stops the FerretDB that start.sh started: SIGTERM, up to
# FERRETDB_STOP_TIMEOUT_S (default 10) seconds to close its databases, then
# SIGKILL. A no-op when it is not running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if ! pid="$(ferretdb_running_pid)"; then
  rm -f "${FERRETDB_PID_FILE}"
  echo "ferretdb: not running" >&2
  exit 0
fi

kill -TERM "${pid}" 2>/dev/null || true
for _ in $(seq 1 $((${FERRETDB_STOP_TIMEOUT_S:-10} * 10))); do
  kill -0 "${pid}" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "${pid}" 2>/dev/null; then
  echo "ferretdb: pid ${pid} ignored SIGTERM; killing it" >&2
  kill -KILL "${pid}" 2>/dev/null || true
fi
rm -f "${FERRETDB_PID_FILE}"
echo "ferretdb: stopped (pid ${pid})" >&2
