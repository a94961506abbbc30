package dev.weft.server.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path made safe to look up under a root, or the reason it is refused. The path is
 * percent-decoded exactly once (RFC 3986 §2.1), as bytes, then read as strict UTF-8, so an
 * overlong form such as {@code %C0%AE} (a disguised '.') or any other malformed sequence is
 * refused rather than guessed at. Then, segment by segment:
 * <ul>
 *   <li>a decoded '/' ({@code %2F}), a backslash (a separator on Windows, and in some proxies), a
 *       NUL or another control character is refused: none names a file, and each has been used
 *       to smuggle a separator past a check;</li>
 *   <li>{@code .} and empty segments are dropped, {@code ..} removes the segment before it
 *       (RFC 3986 §5.2.4), and a {@code ..} that would climb above the root is refused;</li>
 *   <li>a segment starting with '.' is hidden (dot-files: {@code .git}, {@code .env}), and is
 *       refused unless hidden files are allowed.</li>
 * </ul>
 * Refusals are not found (404): the answer must not tell which rule matched.
 */
record RequestPath(List<String> segments, boolean directory) {
    /** Why a path was refused; each is answered 404. */
    enum Refusal { MALFORMED_ESCAPE, NOT_UTF_8, FORBIDDEN_CHARACTER, ABOVE_ROOT, HIDDEN }

    /** The result of {@link #parse}. */
    sealed interface Parsed {
        record Ok(RequestPath path) implements Parsed {}
        record Refused(Refusal why) implements Parsed {}
    }

    RequestPath {
        segments = List.copyOf(segments);
    }

    /** The path under the mount point, as the client sent it (percent-encoded), without the query. */
    static Parsed parse(String raw, boolean allowHidden) {
        var segments = new ArrayList<String>();
        int start = 0;
        boolean directory = raw.isEmpty() || raw.endsWith("/");
        for (int i = 0; i <= raw.length(); i++) {
            if (i < raw.length() && raw.charAt(i) != '/') continue;
            // Split on the separators of the raw text, so an encoded '/' stays inside its segment.
            byte[] bytes = percentDecode(raw.substring(start, i));
            start = i + 1;
            if (bytes == null) return new Parsed.Refused(Refusal.MALFORMED_ESCAPE);
            String segment = utf8(bytes);
            if (segment == null) return new Parsed.Refused(Refusal.NOT_UTF_8);
            Refusal refused = step(segments, segment, allowHidden);
            if (refused != null) return new Parsed.Refused(refused);
        }
        return new Parsed.Ok(new RequestPath(segments, directory));
    }

    private static Refusal step(List<String> segments, String segment, boolean allowHidden) {
        for (int c = 0; c < segment.length(); c++) {
            char ch = segment.charAt(c);
            if (ch == '/' || ch == '\\' || ch < 0x20 || ch == 0x7f) return Refusal.FORBIDDEN_CHARACTER;
        }
        switch (segment) {
            case "", "." -> { return null; }
            case ".." -> {
                if (segments.isEmpty()) return Refusal.ABOVE_ROOT;
                segments.removeLast();
                return null;
            }
            default -> {
                if (segment.startsWith(".") && !allowHidden) return Refusal.HIDDEN;
                segments.add(segment);
                return null;
            }
        }
    }

    /** Percent-decodes to bytes; null if an escape is not two hex digits, or a char is not ASCII. */
    private static byte[] percentDecode(String s) {
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7f) return null;           // the HTTP parser lets only visible ASCII into a target
            if (c != '%') {
                out[n++] = (byte) c;
                continue;
            }
            int hi = i + 1 < s.length() ? hex(s.charAt(i + 1)) : -1;
            int lo = i + 2 < s.length() ? hex(s.charAt(i + 2)) : -1;
            if (hi < 0 || lo < 0) return null;
            out[n++] = (byte) (hi << 4 | lo);
            i += 2;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** Strict UTF-8: null for anything malformed, overlong forms and surrogates included. */
    private static String utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The path relative to the root, with '/' between segments. */
    String relative() { return String.join("/", segments); }
}
