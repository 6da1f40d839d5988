package io.tern.bench.load;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Latency summaries: the percentiles every report shows, and a histogram's compressed encoding,
 * so that repetitions can be merged exactly later instead of averaging percentiles.
 */
public final class Percentiles {

    /** The percentiles reported, in order. */
    public static final List<Double> REPORTED = List.of(50.0, 90.0, 99.0, 99.9, 99.99);

    private Percentiles() {
    }

    /**
     * Percentiles in microseconds, keyed {@code p50Micros}, {@code p99.9Micros}... and
     * {@code maxMicros}; recorded values are nanoseconds.
     *
     * @param h the histogram (nanoseconds)
     * @return the summary, in a stable order
     */
    public static Map<String, Object> of(Histogram h) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (double p : REPORTED) {
            out.put(key(p), h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(p) / 1000.0);
        }
        out.put("maxMicros", h.getMaxValue() / 1000.0);
        return out;
    }

    /**
     * The summary key of a percentile.
     *
     * @param p a percentile such as 99.9
     * @return such as {@code p99.9Micros}
     */
    public static String key(double p) {
        String s = p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
        return "p" + s + "Micros";
    }

    /**
     * The histogram, compressed and in Base64.
     *
     * @param h the histogram
     * @return text for JSON
     */
    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    /**
     * Decodes {@link #encode}'s text.
     *
     * @param text the Base64 text
     * @return the histogram
     * @throws IllegalArgumentException if the text is not an encoded histogram
     */
    public static Histogram decode(String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    /**
     * Merges encoded histograms (the repetitions of one scenario) into one.
     *
     * @param encoded the encoded histograms
     * @return their sum
     */
    public static Histogram merge(List<String> encoded) {
        Histogram sum = null;
        for (String e : encoded) {
            Histogram h = decode(e);
            if (sum == null) {
                sum = new Histogram(h.getNumberOfSignificantValueDigits()); // auto-resizing: any range fits
            }
            sum.add(h);
        }
        return sum == null ? new Histogram(3) : sum;
    }
}
