package dev.weft.bench;

import dev.weft.bench.parse.ParseCommand;

import java.util.Arrays;

/** Entry point of {@code ./weft bench}. */
public final class Main {
    private static final String USAGE = """
            usage: weft bench <command> [options]
              parse [--quick] [--forks N] [--warmup N] [--iterations N] [--time S]
                    JMH: Weft's Http1Parser against Netty's HttpRequestDecoder (requests/s, MB/s)
            """;

    private Main() {}

    public static void main(String[] argv) throws Exception {
        var args = new Args(Arrays.asList(argv));
        String command = args.word().orElse("help");
        try {
            switch (command) {
                case "parse" -> ParseCommand.run(args);
                case "help", "--help", "-h" -> System.out.print(USAGE);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("weft bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }
}
