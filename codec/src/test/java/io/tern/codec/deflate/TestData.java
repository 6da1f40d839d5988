package io.tern.codec.deflate;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Seeded generators of test inputs. */
final class TestData {

    private static final String[] WORDS = (
            "the of and to in a is that for it as was with be by on not he this are or his from at "
            + "which but have an they you were her she there been one all we their has would when "
            + "if so no will can more other into time only some could them these may than first "
            + "any new like our over such after also did many before must through back years where "
            + "much your way well down should because each just those people how too little state "
            + "good very make world still own see men work long get here between both life being "
            + "under never day same another know while last might us great old year off come since "
            + "against go came right used take three himself few house use during without again "
            + "place american around however home small found thought went say part once general "
            + "high upon school every don't does got united left number course war until always "
            + "away something fact though water less public put think almost hand enough far took "
            + "head yet government system better set told nothing night end why called didn't eyes "
            + "find going look asked later knew point next city business give group toward young "
            + "message window compression socket frame server client protocol extension negotiate")
            .split(" ");

    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    private static final String[] COMPONENTS = {"http.server", "ws.session", "db.pool", "auth",
        "scheduler", "cache.lru", "metrics"};
    private static final String[] EVENTS = {"request completed", "connection opened",
        "connection closed", "cache miss", "retrying operation", "slow query detected",
        "token refreshed", "frame sent", "frame received", "ping timeout"};

    private TestData() {
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Long runs and short repeating patterns with occasional changes. */
    static byte[] repetitive(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int kind = r.nextInt(3);
            int len = 1 + r.nextInt(2000);
            if (kind == 0) {
                byte v = (byte) r.nextInt(4);
                for (int k = 0; k < len && i < n; k++) {
                    b[i++] = v;
                }
            } else {
                int period = 1 + r.nextInt(kind == 1 ? 8 : 40);
                byte[] pattern = new byte[period];
                r.nextBytes(pattern);
                for (int k = 0; k < len && i < n; k++) {
                    b[i++] = pattern[k % period];
                }
            }
        }
        return b;
    }

    /** English-like prose from a fixed vocabulary. */
    static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n + 64);
        while (sb.length() < n) {
            int words = 4 + r.nextInt(14);
            for (int w = 0; w < words; w++) {
                String word = WORDS[(int) Math.min(WORDS.length - 1, Math.abs(r.nextGaussian()) * WORDS.length / 3)];
                if (w == 0) {
                    sb.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                } else {
                    sb.append(word);
                }
                if (w + 1 < words) {
                    sb.append(r.nextInt(12) == 0 ? ", " : " ");
                }
            }
            sb.append(r.nextInt(5) == 0 ? ".\n" : ". ");
        }
        return truncate(sb, n);
    }

    /** JSON records such as a WebSocket API might send. */
    static byte[] json(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n + 256);
        long id = 100000 + r.nextInt(100000);
        while (sb.length() < n) {
            sb.append("{\"id\":").append(id++)
                    .append(",\"type\":\"").append(r.nextBoolean() ? "update" : "snapshot")
                    .append("\",\"symbol\":\"").append(WORDS[r.nextInt(40)].toUpperCase())
                    .append("\",\"price\":").append(100 + r.nextInt(900)).append('.').append(r.nextInt(100))
                    .append(",\"qty\":").append(r.nextInt(5000))
                    .append(",\"tags\":[\"").append(WORDS[r.nextInt(WORDS.length)]).append("\",\"")
                    .append(WORDS[r.nextInt(WORDS.length)]).append("\"]")
                    .append(",\"active\":").append(r.nextInt(4) != 0)
                    .append(",\"ts\":").append(1700000000000L + id * 37 + r.nextInt(1000))
                    .append("}\n");
        }
        return truncate(sb, n);
    }

    /** Application log lines. */
    static byte[] logs(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n + 256);
        long t = 1_700_000_000_000L;
        while (sb.length() < n) {
            t += r.nextInt(5000);
            long s = t / 1000;
            sb.append("2024-11-").append(10 + (s / 86400) % 20).append('T')
                    .append(pad2((s / 3600) % 24)).append(':').append(pad2((s / 60) % 60)).append(':')
                    .append(pad2(s % 60)).append('.').append(t % 1000).append("Z ")
                    .append(LEVELS[r.nextInt(LEVELS.length)]).append(" [")
                    .append(COMPONENTS[r.nextInt(COMPONENTS.length)]).append("] ")
                    .append(EVENTS[r.nextInt(EVENTS.length)])
                    .append(" session=").append(Integer.toHexString(0x10000 + r.nextInt(0x400)))
                    .append(" latency_ms=").append(r.nextInt(400))
                    .append(" bytes=").append(r.nextInt(65536)).append('\n');
        }
        return truncate(sb, n);
    }

    /**
     * A random prefix of {@code distance} bytes whose first {@code length} bytes are then repeated,
     * so the only long match is exactly {@code distance} back. A few random bytes come first so that
     * the repeated block does not start at position 0.
     */
    static byte[] tempting(int distance, int length, long seed) {
        Random r = new Random(seed);
        int lead = 7;
        byte[] b = new byte[lead + distance + length];
        r.nextBytes(b);
        // Forward byte-by-byte copy, as an LZ77 decoder would do it: for distance < length the
        // repeated part overlaps itself and becomes periodic.
        for (int i = 0; i < length; i++) {
            b[lead + distance + i] = b[lead + i];
        }
        return b;
    }

    private static String pad2(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }

    private static byte[] truncate(StringBuilder sb, int n) {
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[n];
        System.arraycopy(all, 0, out, 0, n);
        return out;
    }
}
