package dev.weft.protocol.testing;

import dev.weft.protocol.http1.Http1Event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Event lists in a form tests can compare: body pieces merged and compared by content. */
public final class Events {
    private Events() {}

    /** Body bytes compared by content (a ByteBuffer compares its remaining bytes, which move). */
    public record Data(byte[] bytes) {
        @Override public boolean equals(Object o) { return o instanceof Data d && Arrays.equals(bytes, d.bytes); }

        @Override public int hashCode() { return Arrays.hashCode(bytes); }

        @Override public String toString() { return "Data[" + escape(bytes) + "]"; }
    }

    /** Expected body text, as ISO-8859-1 bytes. */
    public static Data data(String latin1) { return new Data(latin1.getBytes(StandardCharsets.ISO_8859_1)); }

    /**
     * The events with adjacent Body events merged into one {@link Data}; other events as they are.
     * Splitting the input moves the Body boundaries and nothing else, so this form is the same
     * for every split.
     */
    public static List<Object> coalesceBodies(List<Http1Event> events) {
        var out = new ArrayList<Object>(events.size());
        ByteArrayOutputStream pending = null;
        for (Http1Event e : events) {
            if (e instanceof Http1Event.Body body) {
                if (pending == null) pending = new ByteArrayOutputStream();
                pending.writeBytes(body.copy());
                continue;
            }
            if (pending != null) {
                out.add(new Data(pending.toByteArray()));
                pending = null;
            }
            out.add(e);
        }
        if (pending != null) out.add(new Data(pending.toByteArray()));
        return out;
    }

    /** Printable ASCII as is, CR and LF as \r \n, anything else as \xNN. */
    public static String escape(byte[] bytes) {
        var sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c >= 0x20 && c < 0x7F && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}
