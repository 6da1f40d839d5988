#!/usr/bin/env bash
# Tern's benchmarks, side by side with Netty. Full runs take minutes to an hour; `mvn verify`
# only runs a smoke of each (BenchSmokeTest).
#
#   bench/bench.sh jmh [JMH options]        JMH with -prof gc  -> bench/results/jmh.json
#                                           (or $JMH_RESULT, e.g. bench/results/jmh-key.json)
#   bench/bench.sh compare [Compare opts]   end-to-end, server on CPU 0, load generator on CPU 1
#                                           -> bench/results/e2e.json (or $E2E_RESULT)
#   bench/bench.sh report                   bench/results/*.json -> bench/REPORT.md + bench/report/*.svg
#
# Examples: bench/bench.sh jmh FrameDecodeBenchmark -p size=125 -f 2
#           bench/bench.sh compare --reps 5 --seconds 20 --idle-connections 100000
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=bench/results
mkdir -p "$RESULTS"

build() {
  mvn -q -B -ntp -pl bench -am -DskipTests compile
}
classpath() {
  echo "bench/target/classes:$(cat bench/target/bench.classpath)"
}
# Every connection is a file descriptor in the server and in the load generator: ask for the
# hard limit (raising the hard limit itself needs CAP_SYS_RESOURCE).
raise_fd_limit() {
  ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  echo "open files limit: $(ulimit -n)" >&2
}

command="${1:-}"
shift || true
case "$command" in
  jmh)
    build
    raise_fd_limit
    java -cp "$(classpath)" org.openjdk.jmh.Main -prof gc -rf json -rff "${JMH_RESULT:-$RESULTS/jmh.json}" "$@"
    ;;
  compare)
    build
    raise_fd_limit
    pin=()
    if command -v taskset >/dev/null 2>&1; then pin=(taskset -c 1); fi
    "${pin[@]}" java -Xms1g -Xmx1g -cp "$(classpath)" io.tern.bench.load.Compare \
      --out "${E2E_RESULT:-$RESULTS/e2e.json}" --server-cpu 0 "$@"
    ;;
  report)
    build
    args=()
    # the full sweep first, then longer runs of chosen benchmarks (JMH_RESULT=bench/results/jmh-NAME.json)
    jmh=""
    for f in "$RESULTS/jmh.json" "$RESULTS"/jmh-*.json; do
      [ -f "$f" ] && jmh="${jmh:+$jmh,}$f"
    done
    [ -n "$jmh" ] && args+=(--jmh "$jmh")
    e2e=""
    for f in "$RESULTS/e2e.json" "$RESULTS"/e2e-*.json; do
      [ -f "$f" ] && e2e="${e2e:+$e2e,}$f"
    done
    [ -n "$e2e" ] && args+=(--e2e "$e2e")
    [ -f "$RESULTS/notes.md" ] && args+=(--notes "$RESULTS/notes.md")
    java -cp "$(classpath)" io.tern.bench.report.ReportGenerator "${args[@]}" --out bench/REPORT.md "$@"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
