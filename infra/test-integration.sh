#!/usr/bin/env bash
# The integration suite against real engines (`npm run test:integration`).
#
# Starts a Kafka broker and FerretDB (MongoDB wire protocol) on loopback,
# installing them on first use (Kafka jars from Maven Central, FerretDB built
# with Go), unless KAFKA_BROKERS / MONGODB_URL already point at servers.
# EVENTSTORE_URL, when set, also runs the KurrentDB contract suite.
# The system test (test/system, docs/system-test.md) builds the app and runs it
# as api, relay and projector processes on these engines: a few minutes.
# Extra arguments go to jest (e.g. a test path).
set -euo pipefail
cd "$(dirname "$0")/.."

started=()
cleanup() {
  for engine in "${started[@]}"; do bash "infra/$engine/stop.sh" || true; done
}
trap cleanup EXIT

need_kafka=0
need_ferretdb=0
[ -z "${KAFKA_BROKERS:-}" ] && need_kafka=1
[ -z "${MONGODB_URL:-}" ] && need_ferretdb=1

# First-time installs are independent downloads and builds: run them side by side.
pids=()
[ "$need_kafka" = 1 ] && { bash infra/kafka/install.sh & pids+=($!); }
[ "$need_ferretdb" = 1 ] && { bash infra/ferretdb/install.sh & pids+=($!); }
for pid in "${pids[@]}"; do wait "$pid"; done

if [ "$need_kafka" = 1 ]; then
  started+=(kafka)
  bash infra/kafka/start.sh
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-19092}"
fi
if [ "$need_ferretdb" = 1 ]; then
  started+=(ferretdb)
  bash infra/ferretdb/start.sh
  export MONGODB_URL="mongodb://127.0.0.1:${FERRETDB_PORT:-27018}/"
fi

echo "== integration tests (KAFKA_BROKERS=$KAFKA_BROKERS MONGODB_URL=$MONGODB_URL EVENTSTORE_URL=${EVENTSTORE_URL:-unset})"
# Paths before --selectProjects: it takes every argument after it as a project name.
# --forceExit: a failed Kafka test can leave a client retrying against the broker; the
# run must still end (with the failure) rather than hang CI.
npx jest "$@" --runInBand --forceExit --selectProjects int
