package io.tern.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * Minimal SVG charts for the report, written as text (no plotting dependency): grouped bar
 * charts and line charts, linear or logarithmic, with axes, ticks and a legend. Every number
 * shown is also in the report's tables; the charts are for reading at a glance.
 *
 * <p>Immutable helpers; thread-safe.
 */
public final class Svg {

    /** One named series of values, in the order of the categories; NaN for a missing value. */
    public record Series(String name, List<Double> values) {
    }

    static final int WIDTH = 720;
    static final int HEIGHT = 360;
    static final int LEFT = 80;
    static final int RIGHT = 150;
    static final int TOP = 40;
    static final int BOTTOM = 60;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private Svg() {
    }

    /**
     * A grouped bar chart: one group per category, one bar per series.
     *
     * @param title      the title
     * @param categories the groups, left to right
     * @param series     the bars of each group
     * @param yLabel     the value axis label (with its unit)
     * @param log        a base-10 logarithmic value axis (values must be positive)
     * @return the SVG document
     */
    public static String bars(String title, List<String> categories, List<Series> series, String yLabel, boolean log) {
        Scale scale = Scale.of(series, log);
        StringBuilder sb = start(title, yLabel, scale);
        double plotW = WIDTH - LEFT - RIGHT;
        double groupW = plotW / Math.max(1, categories.size());
        double barW = groupW * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++) {
            double gx = LEFT + c * groupW + groupW * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values().get(c);
                if (Double.isNaN(v) || (log && v <= 0)) {
                    continue;
                }
                double y = scale.y(v);
                double h = HEIGHT - BOTTOM - y;
                sb.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>%n",
                        gx + s * barW, y, barW * 0.95, Math.max(0, h), COLORS[s % COLORS.length],
                        escape(series.get(s).name()), escape(categories.get(c)), Scale.format(v)));
            }
            sb.append(text(LEFT + c * groupW + groupW / 2, HEIGHT - BOTTOM + 18, categories.get(c), "middle", 11));
        }
        legend(sb, series);
        return sb.append("</svg>\n").toString();
    }

    /**
     * A line chart: one line per series over evenly spaced x labels.
     *
     * @param title   the title
     * @param xLabels the x positions' labels
     * @param series  the lines
     * @param yLabel  the value axis label
     * @param log     a logarithmic value axis
     * @return the SVG document
     */
    public static String lines(String title, List<String> xLabels, List<Series> series, String yLabel, boolean log) {
        Scale scale = Scale.of(series, log);
        StringBuilder sb = start(title, yLabel, scale);
        double plotW = WIDTH - LEFT - RIGHT;
        double step = plotW / Math.max(1, xLabels.size());
        for (int i = 0; i < xLabels.size(); i++) {
            sb.append(text(LEFT + step * (i + 0.5), HEIGHT - BOTTOM + 18, xLabels.get(i), "middle", 11));
        }
        for (int s = 0; s < series.size(); s++) {
            StringBuilder points = new StringBuilder();
            String color = COLORS[s % COLORS.length];
            List<Double> values = series.get(s).values();
            for (int i = 0; i < values.size(); i++) {
                double v = values.get(i);
                if (Double.isNaN(v) || (log && v <= 0)) {
                    continue;
                }
                double x = LEFT + step * (i + 0.5);
                double y = scale.y(v);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                sb.append(String.format(Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s: %s</title></circle>%n", x, y,
                        color, escape(series.get(s).name()), escape(xLabels.get(i)), Scale.format(v)));
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim()).append("\"/>\n");
        }
        legend(sb, series);
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder start(String title, String yLabel, Scale scale) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(text(WIDTH / 2.0, 22, title, "middle", 15));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %d)\">%s</text>%n", HEIGHT / 2, HEIGHT / 2, escape(yLabel)));
        int bottom = HEIGHT - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, bottom));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, bottom, WIDTH - RIGHT, bottom));
        for (double t : scale.ticks()) {
            double y = scale.y(t);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
            sb.append(text(LEFT - 6, y + 4, Scale.format(t), "end", 11));
        }
        return sb;
    }

    private static void legend(StringBuilder sb, List<Series> series) {
        for (int s = 0; s < series.size(); s++) {
            int y = TOP + 10 + s * 20;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    WIDTH - RIGHT + 12, y, COLORS[s % COLORS.length]));
            sb.append(text(WIDTH - RIGHT + 30, y + 11, series.get(s).name(), "start", 12));
        }
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>%n",
                x, y, size, anchor, escape(s));
    }

    /**
     * Escapes text for XML content and attributes.
     *
     * @param s the text
     * @return the escaped text
     */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Maps values to the plot's y pixels. */
    record Scale(double min, double max, boolean log) {

        static Scale of(List<Series> series, boolean log) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (double v : s.values()) {
                    if (Double.isNaN(v) || (log && v <= 0)) {
                        continue;
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (lo == Double.POSITIVE_INFINITY) {
                lo = 1;
                hi = 10;
            }
            if (log) {
                double floor = Math.pow(10, Math.floor(Math.log10(lo) + 1e-9));
                double ceiling = Math.pow(10, Math.ceil(Math.log10(hi) - 1e-9));
                return new Scale(floor, ceiling > floor ? ceiling : floor * 10, true);
            }
            double top = niceCeiling(hi <= 0 ? 1 : hi);
            return new Scale(0, top, false);
        }

        static double niceCeiling(double v) {
            double p = Math.pow(10, Math.floor(Math.log10(v)));
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * p >= v) {
                    return m * p;
                }
            }
            return 10 * p;
        }

        double y(double v) {
            double plotH = HEIGHT - TOP - BOTTOM;
            double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
            return HEIGHT - BOTTOM - f * plotH;
        }

        List<Double> ticks() {
            java.util.ArrayList<Double> t = new java.util.ArrayList<>();
            if (log) {
                for (double v = min; v <= max * 1.0001; v *= 10) {
                    t.add(v);
                }
            } else {
                for (int i = 0; i <= 5; i++) {
                    t.add(min + (max - min) * i / 5);
                }
            }
            return t;
        }

        /** A compact number: 1.2k, 3.4M, 0.5. */
        static String format(double v) {
            double a = Math.abs(v);
            if (a >= 1e9) {
                return trim(v / 1e9) + "G";
            }
            if (a >= 1e6) {
                return trim(v / 1e6) + "M";
            }
            if (a >= 1e3) {
                return trim(v / 1e3) + "k";
            }
            return trim(v);
        }

        private static String trim(double v) {
            String s = String.format(Locale.ROOT, "%.2f", v);
            s = s.replaceAll("0+$", "");
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
