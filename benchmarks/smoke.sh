#!/usr/bin/env bash
# CI's smoke run of every benchmark, a few seconds each, so that none of them can rot:
# each JMH benchmark (1 fork, 1 short iteration), each Gatling simulation, and compare.sh --smoke.
# The figures of a smoke run mean nothing; it fails only when something no longer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
for home in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$home" ] && [ -x "$home/bin/javac" ] && [ "$(java_major "$home/bin/java")" -ge 21 ] 2>/dev/null && { JAVA_HOME=$home; break; }
done
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

# -am: the benchmarks build against this checkout's modules, never against older ones in the local repository.
echo "smoke: building the jars, then Gatling, every simulation for 2 s against an embedded gateway"
timeout 900 ./mvnw -B -Pgatling -pl benchmarks -am verify -DskipTests -Dduration.seconds=2 -Drate=5 -Dbatch.lines=100 -Dbatch.users=1

echo "smoke: JMH, every benchmark once"
timeout 600 "$JAVA" --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar -f 1 -wi 0 -i 1 -r 200ms -foe true

echo "smoke: compare.sh"
timeout 600 benchmarks/compare.sh --smoke
echo "smoke: every benchmark ran"
