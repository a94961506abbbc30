package dev.weft.testing;

import dev.weft.internal.Log;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records everything the runtime logs, at every level, while open (and keeps it off the
 * console). Lets a test say "a reset is DEBUG, never ERROR" (ARCHITECTURE.md rule 6). One at a time.
 */
public final class LogCapture implements AutoCloseable {
    /** One log line. */
    public record Entry(Level level, String logger, String message, Throwable cause) {
        @Override
        public String toString() { return level + " " + logger + ": " + message + (cause == null ? "" : " (" + cause + ")"); }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final AutoCloseable diversion;

    private LogCapture() {
        diversion = Log.divert((level, logger, message, cause) -> entries.add(new Entry(level, logger, message, cause)));
    }

    public static LogCapture start() { return new LogCapture(); }

    public List<Entry> entries() { return List.copyOf(entries); }

    public List<Entry> errors() { return atLeast(Level.ERROR); }

    /** WARNING or above. */
    public List<Entry> warnings() { return atLeast(Level.WARNING); }

    private List<Entry> atLeast(Level level) {
        return entries.stream().filter(e -> e.level().getSeverity() >= level.getSeverity()).toList();
    }

    @Override
    public void close() {
        try {
            diversion.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
