#!/usr/bin/env bash
# Tern's soak: not part of the test run. Starts the demo server (io.tern.demo.DemoServer) in its own
# JVM (-Xms/-Xmx and -XX:MaxDirectMemorySize set, Native Memory Tracking on) and holds C WebSocket
# connections against it from one NIO client thread for a set time:
#   - most on /echo, each sending a message (binary or UTF-8 text, 16 B..4 KiB, 1 in 8 fragmented)
#     after a random pause around --echo-period-ms, every answer compared byte for byte;
#   - a share (--subscribers) on /broadcast, the first of them publishing --publish-rate messages/s,
#     each carrying a sequence number and a CRC-32 checked by every receiver;
#   - churn: --churn-per-second connections closed and reopened, half with a close handshake,
#     half abruptly (FIN, RST, or RST in the middle of a frame).
# Every --interval-seconds it pauses the load until nothing is in flight (every echo answered, no
# broadcast delivered for 500 ms; at most --quiesce-seconds, 0 = read under load), so a reading shows
# what 2,000 open connections retain, not what happens to be queued; then it reads the SERVER process: heap after a full GC (jcmd GC.run + jstat),
# direct memory (NMT "Other", jcmd VM.native_memory), RSS, threads (/proc/PID/task), file
# descriptors (/proc/PID/fd), CPU; and the client's counts. Each reading is a Markdown table row.
#
# Verdict (readings after --warmup-seconds, split in thirds): heap-after-GC and direct memory of the
# last third at most the first third's median + max(--tolerance x median, 2 MiB); threads no more
# than the first third's max; fds no more than the first third's max + max(10, C/100); no wrong
# message and no error over the whole run. Exit 0 = flat, 1 = not flat or a wrong message,
# 2 = bad option, 3 = server did not start.
#
#   bench/soak.sh [--connections 2000] [--minutes 15] [--interval-seconds 30] [--warmup-seconds 120]
#                 [--subscribers 0.1] [--publish-rate 20] [--echo-period-ms 2000] [--max-echo-bytes 4096]
#                 [--churn-per-second 20] [--abrupt-fraction 0.5] [--tolerance 0.10]
#                 [--server-heap 256m] [--server-direct 256m] [--loops 2] [--seed 1] [--quiesce-seconds 10]
#
# Example (the recorded run, see FUZZING.md, "Soak"): nice -n 5 bench/soak.sh --connections 2000 --minutes 15
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
mvn -q -B -ntp -pl bench -am -DskipTests compile
# every connection is a descriptor in the server and in the client
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files limit: $(ulimit -n)" >&2
exec java -Xms256m -Xmx256m -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  io.tern.bench.soak.Soak "$@"
