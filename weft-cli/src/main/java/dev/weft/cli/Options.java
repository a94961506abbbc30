package dev.weft.cli;

/** The options every serving command takes. Unknown or malformed options are a usage error. */
record Options(String host, int port, int loops) {
    static Options parse(String[] args, int defaultPort) {
        String host = "127.0.0.1";
        int port = defaultPort;
        int loops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host" -> host = required(args[i], value);
                case "--port" -> port = number(args[i], value, 0, 65535);
                case "--loops" -> loops = number(args[i], value, 1, 1024);
                default -> throw new UsageError("unknown option " + args[i]);
            }
            i++;
        }
        return new Options(host, port, loops);
    }

    private static String required(String option, String value) {
        if (value == null) throw new UsageError(option + " needs a value");
        return value;
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(required(option, value));
            if (n < min || n > max) throw new UsageError(option + " must be in " + min + ".." + max + ": " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageError(option + " needs a number: " + value);
        }
    }

    /** A mistake on the command line: printed without a stack trace. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) { super(message, null, false, false); }
    }
}
