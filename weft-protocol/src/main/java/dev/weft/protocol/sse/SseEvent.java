package dev.weft.protocol.sse;

import java.util.Objects;

/**
 * The parts of an event stream (WHATWG HTML §9.2): what {@link SseDecoder#next()} returns, and
 * what {@link SseEncoder} writes. {@link Message}, {@link Retry} and {@link Comment} go both
 * ways; a {@link Signal} is only ever returned.
 */
public sealed interface SseEvent {
    /**
     * A message: a block of fields ended by a blank line.
     *
     * <p>Decoded, {@code type} is the event type ({@value #DEFAULT_TYPE} when the block set none,
     * or set it empty), {@code data} the data lines joined by LF, and {@code id} the stream's last
     * event ID when the block ended: this block's {@code id} field, or the last one before it,
     * since the buffer carries over (§9.2.6 "dispatch the event", step 1; an {@code id} field
     * with no value sets it back to the empty string).
     *
     * <p>Encoded, {@code id} is written as an {@code id} field unless it is empty (the message
     * then keeps the stream's last ID, whatever it was); {@code type} is written unless it is
     * empty or {@value #DEFAULT_TYPE}; {@code data} becomes one {@code data} line per line of
     * it, cut at CR, LF and CRLF, so a decoder gets it back with every line break an LF.
     */
    record Message(String type, String data, String id) implements SseEvent {
        /** The type of a message whose block had no {@code event} field (§9.2.6 step 5). */
        public static final String DEFAULT_TYPE = "message";

        public Message {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(id, "id");
        }

        /** A message of the default type, without an id. */
        public static Message of(String data) { return new Message(DEFAULT_TYPE, data, ""); }

        /** A message of type {@code type}, without an id. */
        public static Message of(String type, String data) { return new Message(type, data, ""); }

        public Message withId(String id) { return new Message(type, data, id); }

        public Message withType(String type) { return new Message(type, data, id); }
    }

    /**
     * A {@code retry} field: the reconnection time in milliseconds. Decoded as soon as its line
     * ends, not with the next message, since it changes the stream's state rather than the
     * event's (§9.2.6); a value that does not fit a {@code long} is read as {@link Long#MAX_VALUE}.
     */
    record Retry(long millis) implements SseEvent {
        public Retry {
            if (millis < 0) throw new IllegalArgumentException("negative reconnection time: " + millis);
        }
    }

    /**
     * A comment line: the text after the colon, one leading space removed as from a field value.
     * The decoder returns them (the spec ignores them) because a client can take a server's
     * heartbeat comments as a sign of life. Encoded, text with line breaks becomes one comment
     * line per line.
     */
    record Comment(String text) implements SseEvent {
        /** {@code :} alone on a line: the usual heartbeat, shared so that decoding it allocates nothing. */
        public static final Comment EMPTY = new Comment("");

        public Comment {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Why the decoder has nothing to return; singletons, so asking again costs no garbage. */
    enum Signal implements SseEvent {
        /** Every byte fed so far is consumed: feed more (or {@link SseDecoder#feedEnd()}). */
        NEED_MORE,
        /** The stream ended ({@link SseDecoder#feedEnd()}) and every complete line was read. */
        CLOSED
    }
}
