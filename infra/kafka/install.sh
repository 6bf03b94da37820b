#!/usr/bin/env bash
# Copies Apache Kafka (see pom.xml) and its runtime jars to .infra/kafka/libs.
# Idempotent: does nothing when the broker jar is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LIBS="$ROOT/.infra/kafka/libs"
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/infra/kafka/pom.xml")"

if compgen -G "$LIBS/kafka_2.13-$VERSION.jar" >/dev/null; then
  exit 0
fi
command -v java >/dev/null || { echo "kafka install: java (17+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "kafka install: maven (mvn) is required" >&2; exit 1; }

echo "kafka install: copying Kafka $VERSION jars to $LIBS"
mkdir -p "$LIBS"
# A previous version's jars would end up on the same classpath.
rm -f "$LIBS"/*.jar
mvn -q -f "$ROOT/infra/kafka/pom.xml" dependency:copy-dependencies
