package dev.weft.protocol.websocket;

import java.nio.ByteBuffer;

/**
 * What {@link WebSocketDecoder#next()} returns: the start, pieces and end of a data message, a
 * control frame, or a {@link Signal} that says why there is nothing more for now.
 *
 * <p>A message arrives as {@link MessageStart}, zero or more {@link Data}, then {@link MessageEnd};
 * {@link Ping} and {@link Pong} may come between the pieces of a message (RFC 6455 §5.4), and
 * {@link Close} ends the stream wherever it comes.
 *
 * <h2>Lifetimes (ARCHITECTURE.md convention 11)</h2>
 * The buffers in {@link Data}, {@link Ping} and {@link Pong} are read-only views valid until the
 * next call to {@code next()} or {@code feed()} on the decoder that returned them. To keep
 * hot paths free of garbage, a decoder returns the <em>same</em> event object, over the same view
 * with a new position and limit, for every piece it reads from one fed buffer (and the same Ping
 * and Pong objects for its whole life): an event kept past the next call changes under its
 * holder. Keep bytes by copying them ({@code copy()}).
 */
public sealed interface WebSocketEvent {
    /** A data message begins; {@link #TEXT} and {@link #BINARY} are the only instances decoders return. */
    record MessageStart(MessageType type) implements WebSocketEvent {
        public static final MessageStart TEXT = new MessageStart(MessageType.TEXT);
        public static final MessageStart BINARY = new MessageStart(MessageType.BINARY);

        public static MessageStart of(MessageType type) { return type == MessageType.TEXT ? TEXT : BINARY; }
    }

    /**
     * A piece of the current message's payload: unmasked and, for a compressed message, inflated.
     * In a text message the bytes checked so far are valid UTF-8, but a piece may end inside a
     * character that the next piece completes. Never empty.
     */
    record Data(ByteBuffer bytes) implements WebSocketEvent {
        public byte[] copy() { return WebSocketEvent.copy(bytes); }
    }

    /** The current message is complete; for a text message, its UTF-8 too. */
    record MessageEnd() implements WebSocketEvent {
        /** The one instance decoders return. */
        public static final MessageEnd END = new MessageEnd();
    }

    /** A Ping (RFC 6455 §5.5.2): answer with a Pong carrying the same payload, at most 125 bytes. */
    record Ping(ByteBuffer payload) implements WebSocketEvent {
        public byte[] copy() { return WebSocketEvent.copy(payload); }
    }

    /** A Pong (RFC 6455 §5.5.3), solicited or not. */
    record Pong(ByteBuffer payload) implements WebSocketEvent {
        public byte[] copy() { return WebSocketEvent.copy(payload); }
    }

    /**
     * The peer's Close frame (RFC 6455 §5.5.1): {@code code} is {@link CloseCodes#NO_STATUS_RECEIVED}
     * when the frame had no payload, and {@code reason} is empty when it had no reason. A message
     * in progress is abandoned. Answer with a Close frame of your own unless you sent one already
     * (echoing the code is customary, §5.5.1: {@code encoder.close(code, "", out)} works for every
     * code a decoder reports, 1005 becoming an empty Close), then close the connection. No event
     * follows: the decoder says {@link Signal#CLOSED} from now on.
     */
    record Close(int code, String reason) implements WebSocketEvent {}

    /** Singletons, so asking again costs no garbage. */
    enum Signal implements WebSocketEvent {
        /** Every byte fed so far is consumed: feed more (or call {@code feedEnd()}). */
        NEED_MORE,
        /** A Close frame was returned; bytes after it are left unconsumed in the fed buffer. */
        CLOSED,
        /**
         * The input ended ({@code feedEnd()}) without a Close frame: close code 1006, abnormal
         * closure (RFC 6455 §7.1.5). A message in progress is lost. Nothing can be sent back.
         */
        END_WITHOUT_CLOSE
    }

    private static byte[] copy(ByteBuffer b) {
        var a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
