package dev.weft.bench.load;

import dev.weft.bench.Command;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's wrk ({@code wrk --latency}) and reads its report; {@link Debian} installs it when
 * it is missing.
 */
public final class Wrk {
    /** One wrk run: requests/s, latency percentiles in microseconds, and the errors wrk counted. */
    public record Result(double requestsPerSecond, double p50Micros, double p99Micros, long requests,
                         long socketErrors, long non2xx) {}

    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in ", Pattern.MULTILINE);
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s+(50|99)(?:\\.0+)?%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$", Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {}

    /** wrk with {@code threads} threads and {@code connections} connections for {@code seconds}. */
    public static Result run(String url, int threads, int connections, int seconds, List<String> extra)
            throws IOException, InterruptedException {
        ensureInstalled();
        var command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "5s", "--latency"));
        command.addAll(extra);
        command.add(url);
        var wrk = Command.run(Duration.ofSeconds(seconds + 30L), command);
        if (wrk.exitCode() != 0) throw new IOException("wrk failed (" + wrk.exitCode() + "):\n" + wrk.output());
        return parse(wrk.output());
    }

    public static Result parse(String output) {
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) throw new IllegalArgumentException("no Requests/sec line in wrk's output:\n" + output);
        double p50 = Double.NaN, p99 = Double.NaN;
        Matcher p = PERCENTILE.matcher(output);
        while (p.find()) {
            double micros = toMicros(Double.parseDouble(p.group(2)), p.group(3));
            if (p.group(1).equals("50")) p50 = micros;
            else p99 = micros;
        }
        // wrk reports 0 when it recorded no latency at all, which it does with some pipelining
        // servers (its latency is per batch there anyway): that is "no figure", not "instant".
        if (p99 == 0) p99 = Double.NaN;
        if (p50 == 0) p50 = Double.NaN;
        Matcher total = TOTAL.matcher(output);
        long requests = total.find() ? Long.parseLong(total.group(1)) : -1;
        long socketErrors = 0;
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) socketErrors += Long.parseLong(errors.group(g));
        }
        Matcher non2xx = NON_2XX.matcher(output);
        return new Result(Double.parseDouble(rate.group(1)), p50, p99, requests, socketErrors,
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
    }

    static double toMicros(double value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            case "m" -> value * 60e6;
            case "h" -> value * 3600e6;
            default -> throw new IllegalArgumentException("unknown wrk time unit " + unit);
        };
    }

    static void ensureInstalled() throws IOException, InterruptedException {
        Debian.ensure("wrk", "wrk");
    }

}
