#!/usr/bin/env bash
# Builds FerretDB (embedded, SQLite backend) into .infra/bin/ferretdb, unless
# the binary is newer than its sources. Needs Go 1.22+; modules come through
# the Go module proxy and are pinned by go.sum.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

sources=("${FERRETDB_SRC}/main.go" "${FERRETDB_SRC}/go.mod" "${FERRETDB_SRC}/go.sum")

up_to_date() {
  [[ -x "${FERRETDB_BIN}" ]] || return 1
  local source
  for source in "${sources[@]}"; do
    [[ "${source}" -ot "${FERRETDB_BIN}" ]] || return 1
  done
}

if up_to_date; then
  echo "ferretdb: ${FERRETDB_BIN} is up to date"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "ferretdb: Go 1.22 or later is needed to build FerretDB (https://go.dev/dl/)" >&2
  exit 1
fi

mkdir -p "$(dirname "${FERRETDB_BIN}")"
echo "ferretdb: building ${FERRETDB_BIN} (the first build takes a few minutes)"
# Built to a temporary name and renamed, so an interrupted build never leaves a broken binary.
(
  cd "${FERRETDB_SRC}"
  go build -mod=readonly -trimpath -tags ferretdb_no_postgresql -o "${FERRETDB_BIN}.tmp" .
)
mv -f "${FERRETDB_BIN}.tmp" "${FERRETDB_BIN}"
echo "ferretdb: built ${FERRETDB_BIN}"
