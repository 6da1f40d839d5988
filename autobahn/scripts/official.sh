#!/usr/bin/env bash
# Runs the official Autobahn testsuite (its Docker image) against Tern's testees:
#   1. fuzzingclient mode against TesteeServer  -> autobahn/target/official/server/
#   2. fuzzingserver mode driving TesteeClient  -> autobahn/target/official/client/
# then checks both reports with io.tern.autobahn.official.OfficialVerdicts: exits non-zero if any
# case's behavior or behaviorClose is not OK (INFORMATIONAL is accepted only for 7.1.6, 7.13.1 and
# 7.13.2, which the official case definitions mark informational whatever the testee does).
#
# usage: autobahn/scripts/official.sh [--dry-run] [--server-only | --client-only] [--skip-build]
#   --dry-run      print the commands (mvn, java, docker) instead of running them
#   --server-only  run only the fuzzing client against TesteeServer
#   --client-only  run only the fuzzing server against TesteeClient
#   --skip-build   use the classes already under */target/classes
#
# Needs Docker (with host networking), Java 17+ and Maven. Both modes use 127.0.0.1:9001 (the
# URLs in autobahn/config/*.json); the port must be free. Each mode is bounded in time
# (AUTOBAHN_TIMEOUT seconds, default 3600).
set -euo pipefail

IMAGE="crossbario/autobahn-testsuite:25.10.1@sha256:519915fb568b04c9383f70a1c405ae3ff44ab9e35835b085239c258b6fac3074"
HOST=127.0.0.1
PORT=9001
AGENT=Tern
TIMEOUT="${AUTOBAHN_TIMEOUT:-3600}"

DRY_RUN=false
RUN_SERVER=true
RUN_CLIENT=true
BUILD=true
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=true ;;
    --server-only) RUN_CLIENT=false ;;
    --client-only) RUN_SERVER=false ;;
    --skip-build) BUILD=false ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "official.sh: unknown option $arg (--help lists the options)" >&2; exit 2 ;;
  esac
done
if ! $RUN_SERVER && ! $RUN_CLIENT; then
  echo "official.sh: --server-only and --client-only exclude each other" >&2
  exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIG="$ROOT/autobahn/config"
OUT="$ROOT/autobahn/target/official"
CLASSPATH_TERN="$ROOT/codec/target/classes:$ROOT/transport/target/classes:$ROOT/pubsub/target/classes:$ROOT/autobahn/target/classes"
CONTAINER="tern-autobahn-$$"
TESTEE_PID=""

# Prints a command as the shell would read it (dry run) or runs it.
run() {
  if $DRY_RUN; then
    printf '%q ' "$@" | sed 's/ $//'
    echo
  else
    "$@"
  fi
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$TESTEE_PID" ]; then
    kill "$TESTEE_PID" 2>/dev/null || true
    wait "$TESTEE_PID" 2>/dev/null || true
  fi
  if ! $DRY_RUN && command -v docker >/dev/null 2>&1; then
    docker rm --force "$CONTAINER" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# Waits up to 60 s until something accepts TCP connections on HOST:PORT.
await_port() {
  $DRY_RUN && return 0
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "official.sh: nothing listens on $HOST:$PORT after 60 s" >&2
  return 1
}

docker_run() {
  run timeout "$TIMEOUT" docker run --rm --name "$CONTAINER" --network host \
    --user "$(id -u):$(id -g)" --env HOME=/tmp \
    --volume "$CONFIG:/config:ro" --volume "$OUT:/reports" \
    "$@"
}

verdicts() {
  run java -cp "$CLASSPATH_TERN" io.tern.autobahn.official.OfficialVerdicts "$1" --agent "$AGENT" --groups
}

if ! $DRY_RUN; then
  command -v docker >/dev/null 2>&1 || { echo "official.sh: docker is not installed" >&2; exit 1; }
  docker info >/dev/null 2>&1 || { echo "official.sh: the Docker engine does not answer (docker info failed)" >&2; exit 1; }
fi

if $BUILD; then
  run mvn -q -B -ntp -f "$ROOT/pom.xml" -pl autobahn -am -DskipTests package
fi
run mkdir -p "$OUT/server" "$OUT/client"

status=0
if $RUN_SERVER; then
  echo "== official fuzzing client against Tern's testee server (ws://$HOST:$PORT/)"
  if $DRY_RUN; then
    run java -cp "$CLASSPATH_TERN" io.tern.autobahn.testee.TesteeServer --host "$HOST" --port "$PORT"
  else
    java -cp "$CLASSPATH_TERN" io.tern.autobahn.testee.TesteeServer --host "$HOST" --port "$PORT" &
    TESTEE_PID=$!
  fi
  await_port
  docker_run "$IMAGE" wstest --mode fuzzingclient --spec /config/fuzzingclient.json || status=1
  if [ -n "$TESTEE_PID" ]; then
    kill "$TESTEE_PID" 2>/dev/null || true
    wait "$TESTEE_PID" 2>/dev/null || true
    TESTEE_PID=""
  fi
  verdicts "$OUT/server/index.json" || status=1
fi

if $RUN_CLIENT; then
  echo "== official fuzzing server (ws://$HOST:$PORT) driving Tern's testee client"
  docker_run --detach "$IMAGE" wstest --mode fuzzingserver --spec /config/fuzzingserver.json
  await_port
  run timeout "$TIMEOUT" java -cp "$CLASSPATH_TERN" io.tern.autobahn.testee.TesteeClient \
    --url "ws://$HOST:$PORT" --agent "$AGENT" || status=1
  if ! $DRY_RUN; then
    docker rm --force "$CONTAINER" >/dev/null 2>&1 || true
  fi
  verdicts "$OUT/client/index.json" || status=1
fi

if $DRY_RUN; then
  echo "== dry run: nothing was run"
elif [ "$status" -eq 0 ]; then
  echo "== official suite: every case OK (INFORMATIONAL only where the case is informational); reports in $OUT"
else
  echo "== official suite: failures, see above and the reports in $OUT" >&2
fi
exit "$status"
