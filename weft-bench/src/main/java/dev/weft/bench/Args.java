package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of one subcommand: {@code --name value} options, {@code --flag}s and
 * positional words, taken one by one; {@link #finish()} rejects whatever nobody asked for, so a
 * mistyped option fails loudly instead of running a 10-minute benchmark with defaults.
 */
public final class Args {
    private final List<String> rest;

    public Args(List<String> args) {
        this.rest = new ArrayList<>(args);
    }

    public boolean flag(String name) {
        return rest.remove(name);
    }

    public Optional<String> option(String name) {
        int i = rest.indexOf(name);
        if (i < 0) return Optional.empty();
        if (i + 1 >= rest.size()) throw new IllegalArgumentException(name + " needs a value");
        String value = rest.remove(i + 1);
        rest.remove(i);
        return Optional.of(value);
    }

    public int intOption(String name, int fallback) {
        return option(name).map(v -> parseInt(name, v)).orElse(fallback);
    }

    /** The first argument when it is a word (a subcommand), not an option. */
    public Optional<String> command() {
        if (rest.isEmpty() || rest.getFirst().startsWith("--")) return Optional.empty();
        return Optional.of(rest.removeFirst());
    }

    /** The next positional word, if any. */
    public Optional<String> word() {
        for (int i = 0; i < rest.size(); i++) {
            if (!rest.get(i).startsWith("--")) return Optional.of(rest.remove(i));
        }
        return Optional.empty();
    }

    public void finish() {
        if (!rest.isEmpty()) throw new IllegalArgumentException("unknown arguments: " + String.join(" ", rest));
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " wants a whole number, not " + value);
        }
    }
}
