package dev.weft.protocol.sse;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.sse.SseEvent.Comment;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Retry;
import dev.weft.protocol.sse.SseEvent.Signal;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes the parts of an event stream (WHATWG HTML §9.2.5) as UTF-8, lines ended by LF alone:
 * <pre>
 * Message   event: update\n     unless the type is empty or "message"
 *           id: 42\n            unless the id is empty
 *           data: line 1\n      one per line of the data, at least one
 *           data: line 2\n
 *           \n                  the blank line that dispatches it
 * Retry     retry: 3000\n
 * Comment   : text\n            one per line of the text; {@code :\n} when it is empty (a heartbeat)
 * </pre>
 * Every field is written as name, colon, space, value, which a decoder reads back whole since it
 * strips exactly one space, so a value that itself opens with a space keeps it. Data and comments
 * are cut into lines at CR, LF and CRLF, the three line ends a decoder knows (§9.2.6).
 *
 * <p>The field order and spacing are Nchan's (its {@code src/subscribers/eventsource.c}), so for
 * data without a CR a message is byte for byte what Nchan sends. Nchan cuts data at LF only and
 * passes a CR through, which a browser then takes as a line end; this encoder cuts there instead.
 *
 * <p>An id or event type with a CR or LF in it, or an id with a NUL, would end its line early or
 * be ignored by every client: rather than send a broken stream, the encoder refuses it with a
 * {@link UsageViolation}, before writing anything.
 *
 * <p>Every encoding is built once, in an array of its exact size: a server encodes a published
 * message once with {@link #toBuffer} and writes a {@link ByteBuffer#duplicate()} of the same
 * read-only buffer to each subscriber. Stateless and thread-safe.
 */
public final class SseEncoder {
    private static final byte[] ID = {'i', 'd', ':'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':'};
    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
    private static final byte[] RETRY = {'r', 'e', 't', 'r', 'y', ':'};
    private static final byte[] COLON = {':'};
    private static final ByteBuffer HEARTBEAT = ByteBuffer.wrap(new byte[] {':', '\n'}).asReadOnlyBuffer();

    private SseEncoder() {}

    /**
     * {@code :\n}, the comment a server sends now and then so that an idle stream shows it is
     * alive (§9.2.7 suggests one every 15 seconds or so): a new read-only view of shared bytes.
     */
    public static ByteBuffer heartbeat() { return HEARTBEAT.duplicate(); }

    /** The exact number of bytes {@code event} encodes to. */
    public static int encodedLength(SseEvent event) {
        return switch (Objects.requireNonNull(event, "event")) {
            case Message m -> messageLength(checked(m));
            case Retry r -> RETRY.length + 1 + digits(r.millis()) + 1;
            case Comment c -> linesLength(COLON, c.text());
            case Signal s -> throw notWritable(s);
        };
    }

    /** {@code event}'s encoding in a new array of its exact size. */
    public static byte[] toBytes(SseEvent event) {
        byte[] out = new byte[encodedLength(event)];
        int end = switch (event) {
            case Message m -> writeMessage(m, out);
            case Retry r -> writeRetry(r.millis(), out);
            case Comment c -> writeLines(COLON, c.text(), out, 0);
            case Signal s -> throw notWritable(s);
        };
        assert end == out.length : "encoded " + end + " bytes of " + out.length;
        return out;
    }

    /**
     * {@code event}'s encoding as a read-only buffer whose capacity is its length: build it once,
     * then hand each connection its own {@link ByteBuffer#duplicate()}.
     */
    public static ByteBuffer toBuffer(SseEvent event) { return ByteBuffer.wrap(toBytes(event)).asReadOnlyBuffer(); }

    /** Writes {@code event} to {@code out} in one call, handing over a new buffer that the sink may keep. */
    public static void encode(SseEvent event, ByteSink out) {
        Objects.requireNonNull(out, "out");
        out.write(ByteBuffer.wrap(toBytes(event)));
    }

    // ---- messages ----

    private static Message checked(Message m) {
        String id = m.id();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new UsageViolation("an event id may not hold CR, LF or NUL (WHATWG HTML §9.2.6), found U+"
                    + String.format("%04X", (int) c) + " at " + i);
            }
        }
        String type = m.type();
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new UsageViolation("an event type may not hold CR or LF (WHATWG HTML §9.2.5), found U+"
                    + String.format("%04X", (int) c) + " at " + i);
            }
        }
        return m;
    }

    private static boolean writesType(String type) { return !type.isEmpty() && !type.equals(Message.DEFAULT_TYPE); }

    private static int messageLength(Message m) {
        int n = linesLength(DATA, m.data()) + 1;
        if (writesType(m.type())) n += fieldLength(EVENT, m.type(), 0, m.type().length());
        if (!m.id().isEmpty()) n += fieldLength(ID, m.id(), 0, m.id().length());
        return n;
    }

    private static int writeMessage(Message m, byte[] out) {
        int at = 0;
        if (writesType(m.type())) at = writeField(EVENT, m.type(), 0, m.type().length(), out, at);
        if (!m.id().isEmpty()) at = writeField(ID, m.id(), 0, m.id().length(), out, at);
        at = writeLines(DATA, m.data(), out, at);
        out[at++] = '\n';
        return at;
    }

    // ---- lines ----

    /**
     * {@code name} (with its colon), a space, the value and LF; a comment ({@link #COLON}) with
     * no text is the colon alone, the customary heartbeat.
     */
    private static int fieldLength(byte[] name, String s, int from, int to) {
        boolean bare = name == COLON && from == to;
        return name.length + (bare ? 0 : 1 + Utf8.length(s, from, to)) + 1;
    }

    private static int writeField(byte[] name, String s, int from, int to, byte[] out, int at) {
        System.arraycopy(name, 0, out, at, name.length);
        at += name.length;
        if (name != COLON || from < to) {
            out[at++] = ' ';
            at = Utf8.write(s, from, to, out, at);
        }
        out[at++] = '\n';
        return at;
    }

    /** One field per line of {@code text}, cut at CR, LF and CRLF. */
    private static int linesLength(byte[] name, String text) {
        int n = 0;
        int from = 0;
        for (;;) {
            int end = nextBreak(text, from);
            n += fieldLength(name, text, from, end);
            if (end == text.length()) return n;
            from = afterBreak(text, end);
        }
    }

    private static int writeLines(byte[] name, String text, byte[] out, int at) {
        int from = 0;
        for (;;) {
            int end = nextBreak(text, from);
            at = writeField(name, text, from, end, out, at);
            if (end == text.length()) return at;
            from = afterBreak(text, end);
        }
    }

    /** The index of the first CR or LF at or after {@code from}, or the length. */
    private static int nextBreak(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') return i;
        }
        return s.length();
    }

    /** The index after the line break at {@code at}: CRLF is one break. */
    private static int afterBreak(String s, int at) {
        return s.charAt(at) == '\r' && at + 1 < s.length() && s.charAt(at + 1) == '\n' ? at + 2 : at + 1;
    }

    // ---- retry ----

    private static int writeRetry(long millis, byte[] out) {
        System.arraycopy(RETRY, 0, out, 0, RETRY.length);
        int at = RETRY.length;
        out[at++] = ' ';
        int end = at + digits(millis);
        for (int i = end - 1; i >= at; i--) {
            out[i] = (byte) ('0' + millis % 10);
            millis /= 10;
        }
        out[end] = '\n';
        return end + 1;
    }

    private static int digits(long n) {
        int digits = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) digits++;
        return digits;
    }

    private static UsageViolation notWritable(Signal s) {
        return new UsageViolation(s + " is a decoder signal, not part of a stream");
    }
}
