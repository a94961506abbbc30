package dev.weft.bench.report;

import java.util.Locale;

/** How figures are printed everywhere in the harness, so tables from different runs compare. */
public final class Figures {
    private Figures() {}

    /** A rate or count, grouped by thousands: {@code 1,234,567}. */
    public static String whole(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** One decimal: {@code 123.4}. */
    public static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%,.1f", value);
    }

    /** A ratio such as {@code 2.14x}. */
    public static String ratio(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return "n/a";
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    /** Relative spread as {@code ±3.1%}. */
    public static String spread(double error, double score) {
        if (!(score > 0) || Double.isNaN(error)) return "n/a";
        return String.format(Locale.ROOT, "±%.1f%%", 100 * error / score);
    }

    /** Bytes with a binary unit: {@code 812 B}, {@code 3.4 KiB}, {@code 96.0 MiB}. */
    public static String bytes(double value) {
        if (Double.isNaN(value)) return "n/a";
        double abs = Math.abs(value);
        if (abs < 1024) return String.format(Locale.ROOT, "%.0f B", value);
        if (abs < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", value / 1024);
        return String.format(Locale.ROOT, "%.1f MiB", value / (1024 * 1024));
    }

    /** A latency held in microseconds: {@code 850 µs}, {@code 12.34 ms} or {@code 1.46 s}. */
    public static String micros(double micros) {
        if (Double.isNaN(micros)) return "n/a";
        if (micros < 1000) return String.format(Locale.ROOT, "%.0f µs", micros);
        if (micros < 1e6) return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
        return String.format(Locale.ROOT, "%.2f s", micros / 1e6);
    }
}
