# Shared by install.sh, start.sh and stop.sh (sourced, not run). Everything
# FerretDB writes lives under the repository's gitignored .infra/ folder.
# shellcheck shell=bash

FERRETDB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${FERRETDB_SRC}/../.." && pwd)"
INFRA_DIR="${REPO_ROOT}/.infra"

FERRETDB_BIN="${INFRA_DIR}/bin/ferretdb"
FERRETDB_PID_FILE="${INFRA_DIR}/run/ferretdb.pid"
FERRETDB_PORT="${FERRETDB_PORT:-27018}"
FERRETDB_DATA_DIR="${FERRETDB_DATA_DIR:-${INFRA_DIR}/ferretdb/data}"
FERRETDB_LOG_FILE="${FERRETDB_LOG_FILE:-${INFRA_DIR}/ferretdb/ferretdb.log}"
FERRETDB_URL="mongodb://127.0.0.1:${FERRETDB_PORT}/"

# Prints the pid of the FerretDB this repository started, if it is still running.
ferretdb_running_pid() {
  local pid
  [[ -f "${FERRETDB_PID_FILE}" ]] || return 1
  pid="$(cat "${FERRETDB_PID_FILE}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  # A recycled pid belongs to another program: only trust it when it is our binary.
  [[ "$(readlink "/proc/${pid}/exe" 2>/dev/null || echo "${FERRETDB_BIN}")" == "${FERRETDB_BIN}"* ]] || return 1
  echo "${pid}"
}
