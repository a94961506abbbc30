package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, and counting this process's open descriptors. */
public final class Conditions {
    private Conditions() {}

    /** Polls {@code condition} every 10 ms until it holds; fails naming {@code what} after {@code deadline}. */
    public static void await(BooleanSupplier condition, String what, Duration deadline) throws InterruptedException {
        long due = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > due) throw new AssertionError("not within " + deadline.toSeconds() + " s: " + what);
            Thread.sleep(10);
        }
    }

    /** The descriptors this JVM has open now (Linux: the entries of /proc/self/fd). */
    public static long openDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
