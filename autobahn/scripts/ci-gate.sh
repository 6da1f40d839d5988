#!/usr/bin/env bash
# The conformance gate: Tern's own runner of the Autobahn case catalogue (all 517 cases: groups
# 1-7, 9, 10, 12, 13) against Tern's testees, in both roles, from an already built tree
# (mvn -pl autobahn -am package, or verify):
#   1. fuzzingclient: the runner tests TesteeServer          -> autobahn/target/gate/server/
#   2. fuzzingserver: the runner tests TesteeClient          -> autobahn/target/gate/client/
# Each report directory gets index.json (the official report's format) and index.html. Both
# reports are then checked with io.tern.autobahn.official.OfficialVerdicts: every case must be OK,
# INFORMATIONAL only for 7.1.6, 7.13.1 and 7.13.2, and all 517 cases must be there.
#
# usage: autobahn/scripts/ci-gate.sh [--server-only | --client-only] [--cases PATTERNS]
#   --server-only     run only role 1
#   --client-only     run only role 2
#   --cases PATTERNS  run only these cases (e.g. '1.*,12.1.*'); the 517-case count is then not required
#
# Environment: JAVA_HOME (else java on PATH); GATE_ROLE_TIMEOUT, seconds one role may take in all
# (default 1200); GATE_START_TIMEOUT, seconds a testee or the fuzzing server may take to start
# (default 60).
# Prints the runner's one-line summary per group (cases, seconds, verdicts) for each role and one
# verdict line per role; the per-case lines go to autobahn/target/gate/*.log. Exit status 0 when
# both roles pass, 1 when a case fails, a role times out or a process cannot start, 2 on a bad
# command line. Starts only its own processes (all on 127.0.0.1, free ports) and stops them on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/autobahn/target/gate"
AGENT=Tern
EXPECTED_CASES=517
ROLE_TIMEOUT="${GATE_ROLE_TIMEOUT:-1200}"
START_TIMEOUT="${GATE_START_TIMEOUT:-60}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

RUN_SERVER=true
RUN_CLIENT=true
CASES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server-only) RUN_CLIENT=false ;;
    --client-only) RUN_SERVER=false ;;
    --cases)
      [ $# -ge 2 ] || { echo "ci-gate.sh: --cases needs a value" >&2; exit 2; }
      CASES="$2"
      shift
      ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci-gate.sh: unknown option $1 (--help lists the options)" >&2; exit 2 ;;
  esac
  shift
done
if ! $RUN_SERVER && ! $RUN_CLIENT; then
  echo "ci-gate.sh: --server-only and --client-only exclude each other" >&2
  exit 2
fi

shopt -s nullglob
jars=("$ROOT"/autobahn/target/tern-autobahn-*-runner.jar)
shopt -u nullglob
if [ "${#jars[@]}" -ne 1 ]; then
  echo "ci-gate.sh: need exactly one autobahn/target/tern-autobahn-*-runner.jar (found ${#jars[@]}); build first:" >&2
  echo "  mvn -B -ntp -pl autobahn -am -DskipTests package" >&2
  exit 1
fi
RUNNER_JAR="${jars[0]}"
TESTEE_CP="$ROOT/codec/target/classes:$ROOT/transport/target/classes:$ROOT/pubsub/target/classes:$ROOT/autobahn/target/classes"
for dir in codec transport pubsub autobahn; do
  if [ ! -d "$ROOT/$dir/target/classes/io" ]; then
    echo "ci-gate.sh: $dir/target/classes is missing; build first (mvn -B -ntp -pl autobahn -am -DskipTests package)" >&2
    exit 1
  fi
done

PIDS=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Stops one process this script started (not yet waited for) and forgets it.
stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget "$1"
}

# Forgets a process that has been waited for: its PID may be reused, so it is never signalled again.
forget() {
  local pid="$1" kept=() p
  for p in "${PIDS[@]}"; do
    [ "$p" = "$pid" ] || kept+=("$p")
  done
  PIDS=("${kept[@]+"${kept[@]}"}")
}

# Waits until FILE holds a line matching the extended regex (whose first group is a port) and
# prints the port; fails if process PID ends first or after START_TIMEOUT seconds.
await_port() {
  local file="$1" regex="$2" pid="$3" waited=0 port
  while [ "$waited" -lt $((START_TIMEOUT * 10)) ]; do
    port="$(sed -n -E "s#.*${regex}.*#\\1#p" "$file" | head -n 1)"
    if [ -n "$port" ]; then
      echo "$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "ci-gate.sh: no port in $file (process $pid ended or ${START_TIMEOUT} s passed):" >&2
  sed 's/^/  /' "$file" >&2
  return 1
}

selection=()
expect=(--expect "$EXPECTED_CASES")
if [ -n "$CASES" ]; then
  selection=(--cases "$CASES")
  expect=(--cases "$CASES")
fi

rm -rf "$OUT"
mkdir -p "$OUT"
status=0
start_all=$SECONDS

# Prints the runner's per-group summary lines (and its closing line) from a log.
summary() {
  grep -E ' group [0-9]+ |^[0-9]+ cases in ' "$1" | sed 's/^/  /' || true
}

if $RUN_SERVER; then
  echo "== role 1: the runner (fuzzingclient) tests Tern's TesteeServer"
  log="$OUT/server.log"
  timeout "$((ROLE_TIMEOUT + 30))" "$JAVA" -cp "$TESTEE_CP" io.tern.autobahn.testee.TesteeServer \
    --host 127.0.0.1 --port 0 >"$OUT/testee-server.log" 2>&1 &
  server_pid=$!
  PIDS+=("$server_pid")
  if port="$(await_port "$OUT/testee-server.log" 'ws://127\.0\.0\.1:([0-9]+)/' "$server_pid")"; then
    t0=$SECONDS
    role=0
    timeout "$ROLE_TIMEOUT" "$JAVA" -jar "$RUNNER_JAR" fuzzingclient "ws://127.0.0.1:$port/" \
      --agent "$AGENT" --out "$OUT/server" "${selection[@]}" >"$log" 2>&1 || role=$?
    summary "$log"
    if [ "$role" -eq 124 ]; then
      echo "  role 1 timed out after $ROLE_TIMEOUT s" >&2
    fi
    echo "  role 1: runner exit status $role in $((SECONDS - t0)) s; per-case lines in $log"
    [ "$role" -eq 0 ] || status=1
  else
    status=1
  fi
  stop "$server_pid"
fi

if $RUN_CLIENT; then
  echo "== role 2: the runner (fuzzingserver) tests Tern's TesteeClient"
  log="$OUT/client.log"
  timeout "$((ROLE_TIMEOUT + 30))" "$JAVA" -jar "$RUNNER_JAR" fuzzingserver --host 127.0.0.1 --port 0 \
    --exit-on-update --max-time "$ROLE_TIMEOUT" --out "$OUT/client" "${selection[@]}" >"$log" 2>&1 &
  fuzzer_pid=$!
  PIDS+=("$fuzzer_pid")
  if port="$(await_port "$log" 'listening on ws://127\.0\.0\.1:([0-9]+) with' "$fuzzer_pid")"; then
    t0=$SECONDS
    client=0
    timeout "$ROLE_TIMEOUT" "$JAVA" -cp "$TESTEE_CP" io.tern.autobahn.testee.TesteeClient \
      --url "ws://127.0.0.1:$port" --agent "$AGENT" >"$OUT/testee-client.log" 2>&1 || client=$?
    role=0
    wait "$fuzzer_pid" || role=$?
    forget "$fuzzer_pid"
    summary "$log"
    if [ "$client" -ne 0 ]; then
      echo "  TesteeClient exit status $client (124: timed out); its output:" >&2
      sed 's/^/    /' "$OUT/testee-client.log" >&2
    fi
    echo "  role 2: runner exit status $role, TesteeClient exit status $client in $((SECONDS - t0)) s; per-case lines in $log"
    [ "$role" -eq 0 ] && [ "$client" -eq 0 ] || status=1
  else
    status=1
    stop "$fuzzer_pid"
  fi
fi

# The official suite's verdict rules, applied to the runner's index.json files.
echo "== verdicts (OfficialVerdicts: OK everywhere, INFORMATIONAL only on 7.1.6, 7.13.1, 7.13.2)"
for role in server client; do
  if { [ "$role" = server ] && $RUN_SERVER; } || { [ "$role" = client ] && $RUN_CLIENT; }; then
    if [ -f "$OUT/$role/index.json" ]; then
      timeout 120 "$JAVA" -cp "$TESTEE_CP" io.tern.autobahn.official.OfficialVerdicts "$OUT/$role/index.json" \
        --agent "$AGENT" "${expect[@]}" || status=1
    else
      echo "  no report $OUT/$role/index.json" >&2
      status=1
    fi
  fi
done

if [ "$status" -eq 0 ]; then
  echo "== conformance gate passed in $((SECONDS - start_all)) s; reports: $OUT/server/index.html, $OUT/client/index.html"
else
  echo "== conformance gate FAILED after $((SECONDS - start_all)) s; see above and $OUT" >&2
fi
exit "$status"
