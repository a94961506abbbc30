package dev.weft.cli;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.http.Method;

import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weft load}: a closed-loop HTTP/1.1 load generator on Weft's own client, with wrk's habits
 * and wrk's summary lines (so tools that read wrk read it too).
 *
 * <h2>How it runs</h2>
 * {@code -c} connections are spread over {@code -t} loops; each keeps {@code --pipeline} requests
 * in flight and sends the next as each response ends, for {@code -d} seconds. The request is
 * encoded once and its bytes written as they are. Latency runs from a request's write to its
 * response's last byte, recorded per loop in an HdrHistogram (merged at the end), with
 * coordinated omission corrected the way wrk's own successor wrk2 and HdrHistogram do it for a
 * closed loop: each sample also counts the samples a stalled server kept from being taken, at the
 * interval the connection was running at (HdrHistogram's {@code recordValueWithExpectedInterval}).
 */
final class Load {
    static final String HELP = """
            usage: weft load [options] URL

            Sends requests to URL (http://) on many connections for a while, then prints a summary
            in wrk's format: latency percentiles, Requests/sec, Transfer/sec, errors by kind.

            options:
              -c, --connections N   connections to keep open (default 10)
              -d, --duration S      seconds to run (default 10; also 10s, 2m)
              -t, --threads N       event loops to run them on (default: one per core)
              --pipeline N          requests in flight per connection (default 1, at most 64)
              -m, --method M        request method (default GET)
              -H, --header "N: V"   a request header field, any number of times
              --body TEXT           a request body (sent with Content-Length)
              --timeout S           seconds before a response counts as a timeout (default 2)
              --quiet               no progress line
              --help                this text

            With --fanout it measures a publish/subscribe server instead, with --ws-echo a WebSocket
            echo server (below).
            """;

    record Settings(URI uri, int connections, Duration duration, int loops, int pipeline, Method method,
                    List<String> headers, String body, Duration timeout, boolean quiet) {}

    private Load() {}

    static Settings parse(String[] args) {
        int connections = 10, loops = Runtime.getRuntime().availableProcessors(), pipeline = 1;
        Duration duration = Duration.ofSeconds(10), timeout = Duration.ofSeconds(2);
        Method method = Method.GET;
        var headers = new ArrayList<String>();
        String body = null, url = null;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-c", "--connections" -> connections = number(a, value(args, ++i, a), 1, 20_000);
                case "-d", "--duration" -> duration = seconds(a, value(args, ++i, a));
                case "-t", "--threads" -> loops = number(a, value(args, ++i, a), 1, 256);
                case "--pipeline" -> pipeline = number(a, value(args, ++i, a), 1, 64);
                case "-m", "--method" -> method = Method.of(value(args, ++i, a));
                case "-H", "--header" -> headers.add(value(args, ++i, a));
                case "--body" -> body = value(args, ++i, a);
                case "--timeout" -> timeout = seconds(a, value(args, ++i, a));
                case "--quiet" -> quiet = true;
                default -> {
                    if (a.startsWith("-")) throw new Options.UsageError("unknown option " + a + " (see weft load --help)");
                    url = a;
                }
            }
        }
        if (url == null) throw new Options.UsageError("weft load needs a URL (see weft load --help)");
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) throw new Options.UsageError("not an http:// URL: " + url);
        return new Settings(uri, connections, duration, Math.min(loops, connections), pipeline, method, List.copyOf(headers),
                body, timeout, quiet);
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new Options.UsageError(option + " needs a value");
        return args[i];
    }

    static int number(String option, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new Options.UsageError(option + " must be in " + min + ".." + max + ": " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new Options.UsageError(option + " needs a number: " + v);
        }
    }

    /** 10, 10s, 2m, 1h. */
    private static Duration seconds(String option, String v) {
        try {
            long factor = v.endsWith("h") ? 3600 : v.endsWith("m") ? 60 : 1;
            String digits = v.replaceAll("[smh]$", "");
            return Duration.ofMillis((long) (Double.parseDouble(digits) * factor * 1000));
        } catch (NumberFormatException e) {
            throw new Options.UsageError(option + " needs seconds: " + v);
        }
    }

    /** The request's bytes, encoded once: request line, Host, the user's fields, the body. */
    static ByteBuffer encode(Settings s) {
        String path = s.uri().getRawPath() == null || s.uri().getRawPath().isEmpty() ? "/" : s.uri().getRawPath();
        if (s.uri().getRawQuery() != null) path += "?" + s.uri().getRawQuery();
        int port = s.uri().getPort();
        var head = new StringBuilder().append(s.method()).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(s.uri().getHost()).append(port < 0 || port == 80 ? "" : ":" + port).append("\r\n");
        for (String h : s.headers()) head.append(h).append("\r\n");
        byte[] body = s.body() == null ? new byte[0] : s.body().getBytes(StandardCharsets.UTF_8);
        if (s.body() != null) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer all = ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
        return all.asReadOnlyBuffer();
    }

    static int run(String[] args, PrintStream out, PrintStream progress) throws Exception {
        if (List.of(args).contains("--help")) {
            out.print(HELP);
            out.print("\n" + FanOut.HELP + "\n" + WebSocketEcho.HELP);
            return 0;
        }
        if (List.of(args).contains("--fanout")) return FanOut.main(args, out, progress);
        if (List.of(args).contains("--ws-echo")) return WebSocketEcho.main(args, out);
        Settings s = parse(args);
        out.printf("Running %s test @ %s%n  %d threads and %d connections%n", human(s.duration()), s.uri(), s.loops(), s.connections());
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(s.loops()))) {
            var run = new LoadRun(s, group, encode(s));
            var report = run.execute(s.quiet() ? null : progress);
            report.print(out);
        }
        return 0;
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 60_000 == 0 && ms >= 60_000 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
