package dev.weft.pubsub;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One published message: immutable, shared by every subscriber, on every loop. Besides its id it
 * has Nchan's identity ({@link #seconds()} and {@link #tag()}: the publish time in whole seconds,
 * and how many earlier messages of its topic share that second), which long-poll cursors use.
 *
 * <p>Encodings: a transport turns the message into what it writes (an SSE event, a WebSocket
 * frame, a long-poll response) with {@link #encoded}, which builds each encoding once per message
 * whatever the number of subscribers and loops, and hands the same object to all of them.
 */
public final class Message {
    /** Builds one transport's form of a message; called at most once per message (see {@link #encoded}). */
    @FunctionalInterface
    public interface Encoder<T> {
        T encode(Message message);
    }

    private final String topic;
    private final MessageId id;
    private final long millis;
    private final long seconds;
    private final int tag;
    private final String contentType;
    private final String eventType;
    private final ByteBuffer bytes;
    private volatile Object[] encodings = new Object[0];        // encoder, encoding, encoder, encoding, ...

    Message(String topic, MessageId id, long millis, long seconds, int tag, String contentType, String eventType, ByteBuffer bytes) {
        this.topic = topic;
        this.id = id;
        this.millis = millis;
        this.seconds = seconds;
        this.tag = tag;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.bytes = bytes.asReadOnlyBuffer();
    }

    public String topic() { return topic; }

    public MessageId id() { return id; }

    /** When it was published, in milliseconds since the epoch. */
    public long millis() { return millis; }

    /**
     * When it was published, in whole seconds since the epoch: Nchan's time, its Last-Modified.
     * Never less than an earlier message's, even if the clock stepped back.
     */
    public long seconds() { return seconds; }

    /** Its index among the topic's messages published in the same second: Nchan's tag, its Etag. */
    public int tag() { return tag; }

    /** Its media type as the publisher gave it; empty for none. */
    public String contentType() { return contentType; }

    /** The event type SSE subscribers get it as (Nchan's {@code X-EventSource-Event}); empty for the default, "message". */
    public String eventType() { return eventType; }

    /** The payload: a fresh read-only view each call. */
    public ByteBuffer bytes() { return bytes.duplicate(); }

    public int size() { return bytes.remaining(); }

    /**
     * {@code encoder}'s form of this message, built on the first call and the same object after
     * (encoders are told apart by identity: keep one per transport). Thread-safe; the cache holds a
     * handful of entries, one per transport, so the copy-on-write array stays tiny.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Encoder<T> encoder) {
        Object[] e = encodings;
        for (int i = 0; i < e.length; i += 2) if (e[i] == encoder) return (T) e[i + 1];
        synchronized (this) {
            e = encodings;
            for (int i = 0; i < e.length; i += 2) if (e[i] == encoder) return (T) e[i + 1];
            T built = encoder.encode(this);
            Object[] more = java.util.Arrays.copyOf(e, e.length + 2);
            more[e.length] = encoder;
            more[e.length + 1] = built;
            encodings = more;
            return built;
        }
    }

    @Override public String toString() { return "Message[" + topic + " " + id + " " + size() + " bytes]"; }
}
