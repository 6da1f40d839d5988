#!/usr/bin/env bash
# Fuzzes one Tern codec target for real with Jazzer (coverage-guided, libFuzzer), for a given time.
#
#   codec/fuzz.sh <target> <minutes>      e.g.  codec/fuzz.sh FrameReaderFuzzTest#messageReader 30
#   codec/fuzz.sh list                    the targets
#
# Run from anywhere; needs mvn and a JDK 17+ (JAVA_HOME as usual). One target per run (Jazzer
# fuzzes one @FuzzTest per JVM). The generated corpus grows in codec/.cifuzz-corpus/ (ignored by
# git); a finding is written to codec/src/test/resources/io/tern/codec/fuzz/<Class>Inputs/<method>/
# as crash-<sha1>, where `mvn verify` replays it from then on, and the run ends with the failure.
# The full log goes to codec/target/fuzz-<target>.log; the last libFuzzer status line is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS="FrameReaderFuzzTest#frameDecoder FrameReaderFuzzTest#messageReader InflateFuzzTest#inflation
DeflaterFuzzTest#windowedDeflater Utf8FuzzTest#agreesWithTheJdk HandshakeFuzzTest#serverHandshake
HandshakeFuzzTest#clientHandshake ExtensionHeaderFuzzTest#parsePrintParse"

if [ "${1:-}" = "list" ] || [ $# -ne 2 ]; then
  echo "usage: codec/fuzz.sh <target> <minutes>; targets:"
  for t in $TARGETS; do echo "  $t"; done
  [ "${1:-}" = "list" ] && exit 0 || exit 2
fi
target="$1"
minutes="$2"
case " $(echo $TARGETS) " in
  *" $target "*) ;;
  *) echo "unknown target $target (codec/fuzz.sh list)" >&2; exit 2 ;;
esac
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || { echo "minutes must be a positive integer" >&2; exit 2; }

mkdir -p codec/target
log="codec/target/fuzz-${target/\#/.}.log"
echo "fuzzing $target for $minutes min (log: $log)"
status=0
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${minutes}m" mvn -B -ntp -pl codec -am \
  -Dtern.fuzz.only=true -Dtern.fuzz.quiet=false \
  -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  verify >"$log" 2>&1 || status=$?
# libFuzzer's last status line: executions (#N), coverage (cov), features (ft), corpus size.
grep -aE '^#[0-9]+' "$log" | tail -n 1 || true
grep -aE 'Done [0-9]+ runs|stat::number_of_executed_units' "$log" | tail -n 2 || true
if [ "$status" -ne 0 ]; then
  echo "FAILED (exit $status): a finding or a build error; see $log" >&2
  grep -aE '== Java Exception|Caused by|AssertionFailedError|crash-|Test unit written' "$log" | head -n 20 >&2 || true
fi
exit "$status"
