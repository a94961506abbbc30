package dev.weft.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A thin adapter over {@link System.Logger}, so the runtime needs no logging library and a user
 * can route it anywhere with a {@code System.LoggerFinder}. The level check comes first so that
 * a disabled DEBUG line costs no string building on a loop thread.
 *
 * <p>Logging never throws. A log call is often the last thing a loop does about a failure, and a
 * backend can fail exactly then: with the process out of descriptors, the JDK's default backend
 * formats its first timestamp by loading the time-zone database from a file, fails, and marks that
 * class unusable for the life of the JVM. So the zone rules are loaded when this class is, and any
 * Throwable from building or writing a record is swallowed and counted ({@link #dropped()}).
 *
 * <p>Levels, as ARCHITECTURE.md rule 6 asks: what a peer did (reset, broken pipe, EOF, bad input) is
 * DEBUG; a bug in user code on a loop (a handler or task that threw) is WARNING; ERROR is kept for
 * the runtime failing its own invariants.
 *
 * <p>Tests divert every record, at every level, to a {@link Tap} (see {@link #divert}), so they
 * can assert "a reset is not an ERROR" without depending on a logging backend.
 */
public final class Log {
    /** Receives records while diverted. */
    @FunctionalInterface
    public interface Tap {
        void record(Level level, String logger, String message, Throwable cause);
    }

    private static volatile Tap tap;
    private static final AtomicLong DROPPED = new AtomicLong();

    static {
        try {
            ZoneId.systemDefault().getRules();   // loads the zone data now, while descriptors are plenty
        } catch (RuntimeException | Error e) {
            DROPPED.incrementAndGet();
        }
    }

    private final Logger logger;
    private final String name;

    private Log(String name) {
        this.name = name;
        this.logger = System.getLogger(name);
    }

    public static Log of(Class<?> owner) { return new Log(owner.getName()); }

    /** Sends every record to {@code newTap} instead of System.Logger until the result is closed. */
    public static AutoCloseable divert(Tap newTap) {
        tap = newTap;
        return () -> tap = null;
    }

    /** Records that could not be built or written (their backend or message threw). Any thread. */
    public static long dropped() { return DROPPED.get(); }

    public boolean isDebug() {
        try {
            return tap != null || logger.isLoggable(Level.DEBUG);
        } catch (RuntimeException | Error e) {
            DROPPED.incrementAndGet();
            return false;
        }
    }

    public void debug(Supplier<String> message) {
        if (!isDebug()) return;
        String text;
        try {
            text = message.get();
        } catch (RuntimeException | Error e) {
            DROPPED.incrementAndGet();
            return;
        }
        log(Level.DEBUG, text, null);
    }

    public void debug(String message, Throwable cause) {
        if (isDebug()) log(Level.DEBUG, message, cause);
    }

    public void info(String message) { log(Level.INFO, message, null); }

    public void warn(String message, Throwable cause) { log(Level.WARNING, message, cause); }

    public void warn(String message) { log(Level.WARNING, message, null); }

    public void error(String message, Throwable cause) { log(Level.ERROR, message, cause); }

    public void error(String message) { log(Level.ERROR, message, null); }

    private void log(Level level, String message, Throwable cause) {
        try {
            var t = tap;
            if (t != null) t.record(level, name, message, cause);
            else if (cause == null) logger.log(level, message);
            else logger.log(level, message, cause);
        } catch (RuntimeException | Error e) {
            DROPPED.incrementAndGet();
        }
    }
}
