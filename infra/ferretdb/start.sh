#!/usr/bin/env bash
# Starts FerretDB (SQLite backend, data under .infra/ferretdb/data) on
# 127.0.0.1:${FERRETDB_PORT:-27018} in the background, waits until it answers
# ping, and prints its URL on stdout (the only line there). Idempotent: an
# instance this repository already started is reused.
# Environment: FERRETDB_PORT, FERRETDB_DATA_DIR, FERRETDB_LOG_FILE,
# FERRETDB_START_TIMEOUT_MS (default 30000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

"${FERRETDB_SRC}/install.sh" >&2

wait_for_ping() {
  node "${FERRETDB_SRC}/ping.js" "${FERRETDB_URL}" "${FERRETDB_START_TIMEOUT_MS:-30000}" "$1"
}

fail() {
  echo "ferretdb: $1; the end of ${FERRETDB_LOG_FILE}:" >&2
  tail -n 30 "${FERRETDB_LOG_FILE}" >&2 2>/dev/null || echo "(no log)" >&2
  exit 1
}

if pid="$(ferretdb_running_pid)"; then
  echo "ferretdb: already running (pid ${pid})" >&2
  wait_for_ping "${pid}" || fail "the running instance (pid ${pid}) does not answer ping"
  echo "${FERRETDB_URL}"
  exit 0
fi

mkdir -p "$(dirname "${FERRETDB_PID_FILE}")" "${FERRETDB_DATA_DIR}" "$(dirname "${FERRETDB_LOG_FILE}")"
rm -f "${FERRETDB_PID_FILE}"

# setsid detaches it from this shell's process group, so it outlives the script and a Ctrl-C in it.
echo "--- $(date -u +%FT%TZ) start.sh: port ${FERRETDB_PORT}" >>"${FERRETDB_LOG_FILE}"
setsid "${FERRETDB_BIN}" \
  -port "${FERRETDB_PORT}" \
  -data-dir "${FERRETDB_DATA_DIR}" \
  -log-file "${FERRETDB_LOG_FILE}" \
  </dev/null >>"${FERRETDB_LOG_FILE}" 2>&1 &
pid=$!
echo "${pid}" >"${FERRETDB_PID_FILE}"

if ! wait_for_ping "${pid}"; then
  kill -TERM "${pid}" 2>/dev/null || true
  rm -f "${FERRETDB_PID_FILE}"
  fail "FerretDB did not start on port ${FERRETDB_PORT}"
fi
echo "ferretdb: started (pid ${pid}), log in ${FERRETDB_LOG_FILE}" >&2
echo "${FERRETDB_URL}"
