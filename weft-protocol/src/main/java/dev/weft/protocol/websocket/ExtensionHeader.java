package dev.weft.protocol.websocket;

import dev.weft.protocol.internal.Ascii;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1), every line of it in order:
 * <pre>
 *   extension-list  = 1#extension
 *   extension       = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" ( token / quoted-string ) ]
 * </pre>
 * with optional whitespace around the separators and empty list elements skipped (RFC 9110
 * §5.6.1). A quoted value is unescaped and must then be a token itself (§9.1). Anything else is
 * malformed: {@link #parse} throws IllegalArgumentException with what was wrong.
 */
final class ExtensionHeader {
    /** One parameter; {@code value} is null when the parameter has none. */
    record Param(String name, String value) {}

    record Extension(String name, List<Param> params) {}

    private final String s;
    private int i;

    private ExtensionHeader(String s) { this.s = s; }

    static List<Extension> parse(List<String> lines) {
        var out = new ArrayList<Extension>();
        for (String line : lines) new ExtensionHeader(line).list(out);
        return out;
    }

    private void list(List<Extension> out) {
        for (;;) {
            ows();
            if (i == s.length()) return;
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            out.add(extension());
            ows();
            if (i == s.length()) return;
            expect(',');
        }
    }

    private Extension extension() {
        String name = token("extension name");
        var params = new ArrayList<Param>();
        for (ows(); i < s.length() && s.charAt(i) == ';'; ows()) {
            i++;
            ows();
            String param = token("parameter name");
            ows();
            String value = null;
            if (i < s.length() && s.charAt(i) == '=') {
                i++;
                ows();
                value = i < s.length() && s.charAt(i) == '"' ? quoted() : token("parameter value");
            }
            params.add(new Param(param, value));
        }
        return new Extension(name, List.copyOf(params));
    }

    private String token(String what) {
        int start = i;
        while (i < s.length() && s.charAt(i) < 0x80 && Ascii.isTchar((byte) s.charAt(i))) i++;
        if (i == start) throw new IllegalArgumentException("expected a token for the " + what + " at " + start + " in: " + s);
        return s.substring(start, i);
    }

    /** A quoted-string, unescaped; §9.1 requires the result to be a token. */
    private String quoted() {
        var sb = new StringBuilder();
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                String value = sb.toString();
                if (!Ascii.isToken(value)) throw new IllegalArgumentException("quoted parameter value is not a token: " + value);
                return value;
            }
            if (c == '\\') {
                if (++i == s.length()) break;
                c = s.charAt(i);
            }
            sb.append(c);
        }
        throw new IllegalArgumentException("unterminated quoted-string in: " + s);
    }

    private void ows() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
    }

    private void expect(char c) {
        if (i == s.length() || s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i + " in: " + s);
        i++;
    }
}
