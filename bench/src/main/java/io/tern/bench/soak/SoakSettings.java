package io.tern.bench.soak;

import java.util.Locale;

/**
 * The soak's command line, parsed and checked.
 *
 * @param connections         C, WebSocket connections held at once
 * @param minutes             how long the soak runs, warm-up included
 * @param intervalSeconds     seconds between two readings of the server
 * @param warmupSeconds       readings before this are shown but not judged
 * @param subscriberFraction  the share of the C connections on {@code /broadcast} (one of them publishes)
 * @param publishRate         broadcast messages per second from the publisher
 * @param echoPeriodMillis    mean pause between an echo connection's answer and its next message
 * @param maxEchoBytes        largest echo message (sizes are uniform in 16..this)
 * @param churnPerSecond      connections closed and reopened per second
 * @param abruptFraction      the share of churned connections closed without a close frame
 * @param tolerance           heap and direct memory may end at most this fraction above their
 *                            early median (0.10 = 10 %)
 * @param serverHeap          the server JVM's {@code -Xmx}, e.g. {@code 256m}
 * @param serverDirect        the server JVM's {@code -XX:MaxDirectMemorySize}
 * @param loops               the server's event loops
 * @param seed                seed of the client's choices (sizes, churn victims)
 * @param quiesceSeconds      before each reading, the load pauses until nothing is in flight (at
 *                            most this long) and resumes after it; 0 reads under load
 */
record SoakSettings(int connections, double minutes, int intervalSeconds, int warmupSeconds,
        double subscriberFraction, double publishRate, int echoPeriodMillis, int maxEchoBytes,
        double churnPerSecond, double abruptFraction, double tolerance, String serverHeap, String serverDirect,
        int loops, long seed, int quiesceSeconds) {

    static final String USAGE = String.join("\n",
            "usage: Soak [options]   (run through bench/soak.sh)",
            "  --connections N        connections held at once (default 2000)",
            "  --minutes M            duration, warm-up included (default 15)",
            "  --interval-seconds S   seconds between readings of the server (default 30)",
            "  --warmup-seconds S     readings before this are not judged (default 120)",
            "  --subscribers F        share of connections on /broadcast, one of them publishing (default 0.1)",
            "  --publish-rate R       broadcast messages per second (default 20)",
            "  --echo-period-ms MS    mean pause between an echo and the next message, per connection (default 2000)",
            "  --max-echo-bytes B     largest echo message, sizes uniform in 16..B (default 4096)",
            "  --churn-per-second R   connections closed and reopened per second (default 20)",
            "  --abrupt-fraction F    share of churned connections closed without a close frame (default 0.5)",
            "  --tolerance F          heap/direct memory may end this fraction above the early median (default 0.10)",
            "  --server-heap SIZE     server -Xmx (default 256m)",
            "  --server-direct SIZE   server -XX:MaxDirectMemorySize (default 256m)",
            "  --loops N              server event loops (default 2)",
            "  --seed N               seed of the client's random choices (default 1)",
            "  --quiesce-seconds S    pause the load before each reading until nothing is in flight, at most S s",
            "                         (default 10; 0 reads the server under load)",
            "");

    static SoakSettings defaults() {
        return new SoakSettings(2000, 15, 30, 120, 0.1, 20, 2000, 4096, 20, 0.5, 0.10, "256m", "256m", 2, 1, 10);
    }

    /** Checks the values. */
    SoakSettings {
        if (connections < 10 || minutes <= 0 || intervalSeconds < 1 || warmupSeconds < 0
                || subscriberFraction < 0 || subscriberFraction >= 1 || publishRate < 0 || echoPeriodMillis < 1
                || maxEchoBytes < 16 || churnPerSecond < 0 || abruptFraction < 0 || abruptFraction > 1
                || tolerance < 0 || loops < 1 || quiesceSeconds < 0) {
            throw new IllegalArgumentException("out of range: " + this);
        }
        if (warmupSeconds + 3L * intervalSeconds > minutes * 60) {
            throw new IllegalArgumentException("the run must leave at least three readings after the warm-up: "
                    + minutes + " min, warm-up " + warmupSeconds + " s, interval " + intervalSeconds + " s");
        }
    }

    /** Parses {@code args} over the defaults; throws IllegalArgumentException naming the bad option. */
    static SoakSettings parse(String[] args) {
        SoakSettings s = defaults();
        int c = s.connections;
        double min = s.minutes;
        int iv = s.intervalSeconds;
        int wu = s.warmupSeconds;
        double sub = s.subscriberFraction;
        double pr = s.publishRate;
        int ep = s.echoPeriodMillis;
        int meb = s.maxEchoBytes;
        double churn = s.churnPerSecond;
        double abrupt = s.abruptFraction;
        double tol = s.tolerance;
        String heap = s.serverHeap;
        String direct = s.serverDirect;
        int loops = s.loops;
        long seed = s.seed;
        int quiesce = s.quiesceSeconds;
        for (int i = 0; i < args.length; i++) {
            String o = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(o + " needs a value (or is unknown)");
            }
            String v = args[++i];
            try {
                switch (o) {
                    case "--connections" -> c = Integer.parseInt(v);
                    case "--minutes" -> min = Double.parseDouble(v);
                    case "--interval-seconds" -> iv = Integer.parseInt(v);
                    case "--warmup-seconds" -> wu = Integer.parseInt(v);
                    case "--subscribers" -> sub = Double.parseDouble(v);
                    case "--publish-rate" -> pr = Double.parseDouble(v);
                    case "--echo-period-ms" -> ep = Integer.parseInt(v);
                    case "--max-echo-bytes" -> meb = Integer.parseInt(v);
                    case "--churn-per-second" -> churn = Double.parseDouble(v);
                    case "--abrupt-fraction" -> abrupt = Double.parseDouble(v);
                    case "--tolerance" -> tol = Double.parseDouble(v);
                    case "--server-heap" -> heap = size(v, o);
                    case "--server-direct" -> direct = size(v, o);
                    case "--loops" -> loops = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--quiesce-seconds" -> quiesce = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option: " + o);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(o + " must be a number: " + v, e);
            }
        }
        return new SoakSettings(c, min, iv, wu, sub, pr, ep, meb, churn, abrupt, tol, heap, direct, loops, seed, quiesce);
    }

    private static String size(String v, String option) {
        if (!v.toLowerCase(Locale.ROOT).matches("[0-9]+[kmg]?")) {
            throw new IllegalArgumentException(option + " takes a JVM size such as 256m: " + v);
        }
        return v;
    }

    /** Connections on {@code /broadcast} (at least 2 when the fraction is above zero: a publisher and a subscriber). */
    int broadcastConnections() {
        return subscriberFraction == 0 ? 0 : Math.max(2, (int) Math.round(connections * subscriberFraction));
    }
}
