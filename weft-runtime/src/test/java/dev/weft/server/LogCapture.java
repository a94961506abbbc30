package dev.weft.server;

import dev.weft.internal.Log;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Diverts what the runtime logs (through {@link Log}) so tests can check DESIGN rule 6: nothing at
 * ERROR for what a peer did, and a handler's failure at WARNING once.
 */
final class LogCapture implements AutoCloseable {
    record Entry(Level level, String logger, String message, Throwable cause) {}

    final List<Entry> records = new CopyOnWriteArrayList<>();
    private final AutoCloseable diversion;

    LogCapture() {
        diversion = Log.divert((level, logger, message, cause) -> records.add(new Entry(level, logger, message, cause)));
    }

    List<Entry> atLeast(Level level) {
        return records.stream().filter(r -> r.level().getSeverity() >= level.getSeverity()).toList();
    }

    @Override public void close() {
        try {
            diversion.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
