package dev.weft.cli;

import dev.weft.server.Server;
import dev.weft.server.files.StaticFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weft serve [DIR]}: a static file server for a folder, like {@code python -m http.server}
 * but evented: sendfile, ranges, conditional requests, precompressed variants, an access log in
 * Common Log Format on standard output.
 */
final class Serve {
    static final String HELP = """
            usage: weft serve [DIR] [options]

            Serves the files under DIR (default: the current folder) over HTTP, and logs one line per
            request in Common Log Format on standard output. Ctrl-C stops it gracefully.

            options:
              --host H               address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --port P               port (default 8000; 0 picks a free one)
              --loops N              event loops (default: one per core)
              --no-listing           answer 404 for a folder without index.html instead of listing it
              --hidden               serve dot-files and dot-folders (refused by default)
              --follow-links         follow symbolic links that lead outside DIR (refused by default)
              --cache-control VALUE  send Cache-Control: VALUE with every file (default: none)
              --no-precompressed     ignore .br and .gz siblings (served by default when accepted)
              --quiet                no access log
              --help                 this text
            """;

    /** The parsed command line. */
    record Settings(Path dir, Options net, boolean listing, boolean hidden, boolean followLinks,
                    String cacheControl, boolean precompressed, boolean quiet) {}

    private Serve() {}

    static Settings parse(String[] args) {
        Path dir = Path.of(".");
        boolean listing = true, hidden = false, followLinks = false, precompressed = true, quiet = false;
        String cacheControl = null;
        var net = new java.util.ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-listing" -> listing = false;
                case "--hidden" -> hidden = true;
                case "--follow-links" -> followLinks = true;
                case "--no-precompressed" -> precompressed = false;
                case "--quiet" -> quiet = true;
                case "--cache-control" -> {
                    if (i + 1 == args.length) throw new Options.UsageError("--cache-control needs a value");
                    cacheControl = args[++i];
                }
                case "--host", "--port", "--loops" -> {
                    net.add(args[i]);
                    if (i + 1 < args.length) net.add(args[++i]);
                }
                default -> {
                    if (args[i].startsWith("-")) throw new Options.UsageError("unknown option " + args[i] + " (see weft serve --help)");
                    dir = Path.of(args[i]);
                }
            }
        }
        if (!Files.isDirectory(dir)) throw new Options.UsageError("not a folder: " + dir);
        return new Settings(dir, Options.parse(net.toArray(String[]::new), 8000), listing, hidden, followLinks,
                cacheControl, precompressed, quiet);
    }

    static int run(String[] args) throws Exception {
        if (java.util.List.of(args).contains("--help")) {
            System.out.print(HELP);
            return 0;
        }
        Settings s = parse(args);
        var log = s.quiet() ? null : new AccessLogWriter(System.out);
        var server = build(s, log).start();
        var address = server.address();
        System.out.printf("weft serve: %s at http://%s:%d/  Ctrl-C stops%n", s.dir().toAbsolutePath().normalize(),
                address.getHostString(), address.getPort());
        System.out.flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.stop(Duration.ofSeconds(5));
            if (log != null) log.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    static Server.Builder build(Settings s, AccessLogWriter log) throws IOException {
        var files = StaticFiles.at(s.dir()).listing(s.listing()).hiddenFiles(s.hidden()).linksOutsideRoot(s.followLinks())
                .precompressed(s.precompressed());
        if (s.cacheControl() != null) files.cacheControl(s.cacheControl());
        var handler = files.build();
        var builder = Server.builder().host(s.net().host()).port(s.net().port()).loops(s.net().loops())
                .get("/{path...}", handler);
        if (log != null) builder.accessLog(log);
        return builder;
    }
}
