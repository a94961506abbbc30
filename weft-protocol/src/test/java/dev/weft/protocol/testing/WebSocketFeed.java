package dev.weft.protocol.testing;

import dev.weft.protocol.websocket.WebSocketDecoder;
import dev.weft.protocol.websocket.WebSocketEvent;
import dev.weft.protocol.websocket.WebSocketEvent.Data;
import dev.weft.protocol.websocket.WebSocketEvent.Ping;
import dev.weft.protocol.websocket.WebSocketEvent.Pong;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;
import dev.weft.protocol.websocket.WebSocketPeerViolation;
import dev.weft.protocol.websocket.WebSocketViolation;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives a WebSocket decoder over a list of reads, the way a connection would: feed one read,
 * take events until NEED_MORE, feed the next (ARCHITECTURE.md convention 13). Events come back
 * in a form that compares by value and is the same for every split of the input: adjacent
 * {@link Data} pieces merged into one {@link Events.Data}, Ping and Pong payloads copied.
 */
public final class WebSocketFeed {
    private WebSocketFeed() {}

    /** How each read reaches the decoder. */
    public enum Buffers {
        /** A heap buffer that is a slice of a larger array (arrayOffset 8). */
        HEAP,
        /** A fresh direct buffer per read. */
        DIRECT,
        /** A read-only heap buffer: masked payload cannot be unmasked in place. */
        READ_ONLY,
        /** One direct buffer, refilled for every read, as a server's pooled read buffer is. */
        POOLED
    }

    /** The events (NEED_MORE left out, coalesced) and the bytes never consumed. */
    public record Result(List<Object> events, byte[] unconsumed) {}

    private static final int MAX_EVENTS = 10_000_000;

    public static Result run(WebSocketDecoder decoder, List<byte[]> chunks, boolean end, Buffers buffers) {
        var events = new ArrayList<Object>();
        ByteBuffer pooled = null;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            ByteBuffer buffer;
            if (buffers == Buffers.POOLED) {
                if (pooled == null || pooled.capacity() < chunk.length) pooled = ByteBuffer.allocateDirect(Math.max(chunk.length, 64));
                buffer = pooled.clear().put(chunk).flip();
            } else {
                buffer = wrap(chunk, buffers);
            }
            decoder.feed(buffer);
            if (drain(decoder, events) != Signal.NEED_MORE) return new Result(coalesce(events), tail(buffer, chunks, i + 1));
        }
        if (end) {
            decoder.feedEnd();
            if (drain(decoder, events) == Signal.NEED_MORE) throw new AssertionError("NEED_MORE after feedEnd");
        }
        return new Result(coalesce(events), new byte[0]);
    }

    /** The coalesced events for {@code chunks} from heap buffers, without feedEnd. */
    public static List<Object> all(WebSocketDecoder decoder, List<byte[]> chunks) {
        return run(decoder, chunks, false, Buffers.HEAP).events();
    }

    /** The events {@code wire} gives, checked to be the same whole, byte by byte and at every two-way split. */
    public static List<Object> events(Supplier<? extends WebSocketDecoder> decoders, byte[] wire) {
        List<Object> seen = null;
        for (List<byte[]> chunks : Splits.all(wire)) {
            List<Object> events = all(decoders.get(), chunks);
            if (seen != null && !seen.equals(events)) throw new AssertionError(seen + " whole but " + events + " for " + describe(chunks));
            seen = events;
        }
        return seen;
    }

    /** The violation {@code wire} causes, checked to be the same whole, byte by byte and at every split. */
    public static WebSocketViolation violation(Supplier<? extends WebSocketDecoder> decoders, byte[] wire) {
        WebSocketViolation seen = null;
        for (List<byte[]> chunks : Splits.all(wire)) {
            WebSocketViolation v = outcome(decoders.get(), chunks);
            if (v == null) throw new AssertionError("no violation for " + describe(chunks));
            if (seen != null && v != seen) throw new AssertionError(seen + " whole but " + v + " for " + describe(chunks));
            seen = v;
        }
        return seen;
    }

    /**
     * Fed one byte at a time, the index of the byte on whose arrival the decoder failed: how
     * early a violation is found. Throws AssertionError if it never fails.
     */
    public static int failingByte(WebSocketDecoder decoder, byte[] wire) {
        var events = new ArrayList<Object>();
        for (int i = 0; i < wire.length; i++) {
            decoder.feed(wrap(new byte[] {wire[i]}, Buffers.HEAP));
            try {
                if (drain(decoder, events) != Signal.NEED_MORE) throw new AssertionError("ended without a violation at byte " + i);
            } catch (WebSocketPeerViolation e) {
                return i;
            }
        }
        throw new AssertionError("no violation");
    }

    /** The violation a run ends with, or null if it ends without one. */
    public static WebSocketViolation outcome(WebSocketDecoder decoder, List<byte[]> chunks) {
        try {
            all(decoder, chunks);
            return null;
        } catch (WebSocketPeerViolation e) {
            return e.violation();
        }
    }

    /** Takes events until a signal; returns it (recorded unless it is NEED_MORE). Lent bytes are copied. */
    private static Signal drain(WebSocketDecoder decoder, List<Object> events) {
        for (int n = 0; n < MAX_EVENTS; n++) {
            WebSocketEvent e = decoder.next();
            switch (e) {
                case Signal.NEED_MORE -> {
                    return Signal.NEED_MORE;
                }
                case Signal s -> {
                    events.add(s);
                    return s;
                }
                case Data d -> {
                    if (!d.bytes().hasRemaining()) throw new AssertionError("an empty Data event");
                    events.add(new Events.Data(d.copy()));
                }
                case Ping p -> events.add(new Ping(ByteBuffer.wrap(p.copy())));
                case Pong p -> events.add(new Pong(ByteBuffer.wrap(p.copy())));
                default -> events.add(e);
            }
        }
        throw new AssertionError("no signal after " + MAX_EVENTS + " events");
    }

    /** Adjacent Data merged: the form that does not depend on where reads were cut. */
    private static List<Object> coalesce(List<Object> events) {
        var out = new ArrayList<Object>(events.size());
        ByteArrayOutputStream pending = null;
        for (Object e : events) {
            if (e instanceof Events.Data d) {
                if (pending == null) pending = new ByteArrayOutputStream();
                pending.writeBytes(d.bytes());
                continue;
            }
            if (pending != null) {
                out.add(new Events.Data(pending.toByteArray()));
                pending = null;
            }
            out.add(e);
        }
        if (pending != null) out.add(new Events.Data(pending.toByteArray()));
        return out;
    }

    private static ByteBuffer wrap(byte[] chunk, Buffers buffers) {
        return switch (buffers) {
            case DIRECT -> ByteBuffer.allocateDirect(chunk.length).put(chunk).flip();
            case READ_ONLY -> ByteBuffer.wrap(chunk.clone()).asReadOnlyBuffer();
            case HEAP, POOLED -> {
                byte[] padded = new byte[chunk.length + 16];
                Arrays.fill(padded, (byte) '#');
                System.arraycopy(chunk, 0, padded, 8, chunk.length);
                yield ByteBuffer.wrap(padded, 8, chunk.length).slice();
            }
        };
    }

    private static byte[] tail(ByteBuffer buffer, List<byte[]> chunks, int next) {
        var out = new ByteArrayOutputStream();
        byte[] rest = new byte[buffer.remaining()];
        buffer.duplicate().get(rest);
        out.writeBytes(rest);
        for (int i = next; i < chunks.size(); i++) out.writeBytes(chunks.get(i));
        return out.toByteArray();
    }

    private static String describe(List<byte[]> chunks) {
        var sb = new StringBuilder();
        for (byte[] c : chunks) sb.append('[').append(Events.escape(c)).append(']');
        return sb.toString();
    }
}
