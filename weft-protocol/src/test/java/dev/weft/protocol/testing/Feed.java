package dev.weft.protocol.testing;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.http1.Http1Parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives a parser over a list of reads, the way a connection would: feed one read, take events
 * until NEED_MORE, feed the next. PAUSED and CLOSED stop the run; whatever the parser left in
 * the buffer, and every read not fed, is the run's unconsumed tail.
 */
public final class Feed {
    private Feed() {}

    /** How each read reaches the parser. */
    public enum Buffers {
        /** A heap buffer that is a slice of a larger array (arrayOffset 8). */
        HEAP,
        /** A direct buffer. */
        DIRECT
    }

    /** The events (NEED_MORE left out, Body bytes copied) and the bytes never consumed. */
    public record Result(List<Http1Event> events, byte[] unconsumed) {}

    private static final int MAX_EVENTS = 1_000_000;

    /** Events until NEED_MORE after the last chunk, from heap buffers. */
    public static List<Http1Event> all(Http1Parser parser, List<byte[]> chunks) {
        return run(parser, chunks, false, Buffers.HEAP).events();
    }

    /** As {@link #all(Http1Parser, List)}, then, if {@code end}, feedEnd and events until a signal. */
    public static List<Http1Event> all(Http1Parser parser, List<byte[]> chunks, boolean end) {
        return run(parser, chunks, end, Buffers.HEAP).events();
    }

    public static List<Http1Event> all(Http1Parser parser, List<byte[]> chunks, boolean end, Buffers buffers) {
        return run(parser, chunks, end, buffers).events();
    }

    public static Result run(Http1Parser parser, List<byte[]> chunks, boolean end, Buffers buffers) {
        var events = new ArrayList<Http1Event>();
        for (int i = 0; i < chunks.size(); i++) {
            ByteBuffer buffer = wrap(chunks.get(i), buffers);
            parser.feed(buffer);
            if (drain(parser, events) != Signal.NEED_MORE) return new Result(events, tail(buffer, chunks, i + 1));
        }
        if (end) {
            parser.feedEnd();
            if (drain(parser, events) == Signal.NEED_MORE) throw new AssertionError("NEED_MORE after feedEnd");
        }
        return new Result(events, new byte[0]);
    }

    /** Takes events until a signal; returns it (recorded unless it is NEED_MORE). */
    private static Signal drain(Http1Parser parser, List<Http1Event> events) {
        for (int n = 0; n < MAX_EVENTS; n++) {
            Http1Event e = parser.next();
            switch (e) {
                case Signal.NEED_MORE -> {
                    return Signal.NEED_MORE;
                }
                case Signal s -> {
                    events.add(s);
                    return s;
                }
                case Http1Event.Body body -> events.add(new Http1Event.Body(ByteBuffer.wrap(body.copy())));
                default -> events.add(e);
            }
        }
        throw new AssertionError("no signal after " + MAX_EVENTS + " events");
    }

    private static ByteBuffer wrap(byte[] chunk, Buffers buffers) {
        if (buffers == Buffers.DIRECT) return ByteBuffer.allocateDirect(chunk.length).put(chunk).flip();
        byte[] padded = new byte[chunk.length + 16];
        java.util.Arrays.fill(padded, (byte) '#');
        System.arraycopy(chunk, 0, padded, 8, chunk.length);
        return ByteBuffer.wrap(padded, 8, chunk.length).slice();
    }

    private static byte[] tail(ByteBuffer buffer, List<byte[]> chunks, int next) {
        var out = new ByteArrayOutputStream();
        byte[] rest = new byte[buffer.remaining()];
        buffer.duplicate().get(rest);
        out.writeBytes(rest);
        for (int i = next; i < chunks.size(); i++) out.writeBytes(chunks.get(i));
        return out.toByteArray();
    }

    /**
     * The violation {@code wire} causes, checked to be the same whole, byte by byte and at every
     * two-way split (then feedEnd if {@code end}). Throws AssertionError if any run ends without one.
     */
    public static Violation violation(Supplier<Http1Parser> parsers, byte[] wire, boolean end) {
        Violation seen = null;
        for (List<byte[]> chunks : Splits.all(wire)) {
            Violation v;
            try {
                run(parsers.get(), chunks, end, Buffers.HEAP);
                v = null;
            } catch (PeerViolation e) {
                v = e.violation();
            }
            if (v == null) throw new AssertionError("no violation for " + describe(chunks));
            if (seen != null && v != seen) throw new AssertionError(seen + " whole but " + v + " for " + describe(chunks));
            seen = v;
        }
        return seen;
    }

    /**
     * The events {@code wire} gives, coalesced ({@link Events#coalesceBodies}), checked to be the
     * same whole, byte by byte and at every two-way split (then feedEnd if {@code end}).
     */
    public static List<Object> events(Supplier<Http1Parser> parsers, byte[] wire, boolean end) {
        List<Object> seen = null;
        for (List<byte[]> chunks : Splits.all(wire)) {
            List<Object> events = Events.coalesceBodies(run(parsers.get(), chunks, end, Buffers.HEAP).events());
            if (seen != null && !seen.equals(events)) {
                throw new AssertionError(seen + " whole but " + events + " for " + describe(chunks));
            }
            seen = events;
        }
        return seen;
    }

    private static String describe(List<byte[]> chunks) {
        var sb = new StringBuilder();
        for (byte[] c : chunks) sb.append('[').append(Events.escape(c)).append(']');
        return sb.toString();
    }
}
