package dev.weft.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of the {@code weft} command. */
public final class Main {
    private Main() {}

    private static final String USAGE = """
            usage: weft <command> [options]

            commands:
              demo [--host H] [--port P] [--loops N]   serve the demo (a chat over WebSocket, SSE or
                                                       long-poll, a live dashboard) on http://127.0.0.1:8080/
              serve [DIR] [options]                    serve the files of a folder on http://127.0.0.1:8000/
                                                       (weft serve --help lists the options)
              pubsub [options]                         publish/subscribe channels with Nchan's protocol
                                                       (long-poll, EventSource, WebSocket) on :8090
                                                       (weft pubsub --help lists the options)
              load [options] URL                       send requests for a while and report as wrk does
                                                       (weft load --help lists the options)
              version                                  print the version
              help                                     this text

            The launcher adds: ./weft test (the test suite), ./weft bench ... (benchmarks).
            """;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Options.UsageError e) {
            System.err.println("weft: " + e.getMessage());
            System.exit(2);
        } catch (java.net.BindException e) {
            System.err.println("weft: " + e.getMessage());      // names the address and why; no trace
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "demo" -> Demo.run(Options.parse(rest, 8080));
            case "serve" -> Serve.run(rest);
            case "pubsub" -> PubSub.run(rest);
            case "load" -> Load.run(rest, System.out, System.err);
            case "version", "--version" -> print(System.out, "weft " + version());
            case "help", "--help", "-h" -> print(System.out, USAGE);
            default -> print(System.err, "weft: unknown command '" + command + "'\n\n" + USAGE) + 2;
        };
        if (status != 0) System.exit(status);
    }

    private static int print(PrintStream out, String text) {
        out.print(text.endsWith("\n") ? text : text + "\n");
        return 0;
    }

    static String version() {
        return Main.class.getModule().getDescriptor() != null
                ? Main.class.getModule().getDescriptor().rawVersion().orElse("0.1.0-SNAPSHOT")
                : "0.1.0-SNAPSHOT";
    }
}
