package dev.weft.cli.browser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value (RFC 8259) as the browser scripts print them: objects become
 * {@code Map<String, Object>} (in order), arrays {@code List<Object>}, numbers {@code Double},
 * and {@code true}, {@code false}, {@code null} themselves. Enough for test output, not a general parser.
 */
public final class JsonLine {
    private final String text;
    private int at;

    private JsonLine(String text) { this.text = text; }

    /** The JSON object in {@code line}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String line) {
        if (!(parse(line) instanceof Map<?, ?> map)) throw new IllegalArgumentException("not a JSON object: " + line);
        return (Map<String, Object>) map;
    }

    /** The JSON value in {@code text}. */
    public static Object parse(String text) {
        var reader = new JsonLine(text);
        var value = reader.value();
        reader.space();
        if (reader.at != text.length()) throw reader.error("trailing text");
        return value;
    }

    private Object value() {
        space();
        if (at >= text.length()) throw error("end of text");
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        var map = new LinkedHashMap<String, Object>();
        at++;
        space();
        if (peek() == '}') { at++; return map; }
        do {
            space();
            var key = string();
            space();
            expect(':');
            map.put(key, value());
            space();
        } while (next() == ',');
        if (text.charAt(at - 1) != '}') throw error("expected , or }");
        return map;
    }

    private List<Object> array() {
        var list = new ArrayList<Object>();
        at++;
        space();
        if (peek() == ']') { at++; return list; }
        do {
            list.add(value());
            space();
        } while (next() == ',');
        if (text.charAt(at - 1) != ']') throw error("expected , or ]");
        return list;
    }

    private String string() {
        expect('"');
        var out = new StringBuilder();
        for (char c; (c = next()) != '"'; ) {
            if (c != '\\') { out.append(c); continue; }
            char e = next();
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> { out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; }
                default -> out.append(e);          // \" \\ \/
            }
        }
        return out.toString();
    }

    private Double number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
        if (start == at) throw error("unexpected character");
        return Double.valueOf(text.substring(start, at));
    }

    private Object word(String word, Object value) {
        if (!text.startsWith(word, at)) throw error("expected " + word);
        at += word.length();
        return value;
    }

    private void space() { while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++; }

    private char peek() { return at < text.length() ? text.charAt(at) : '\0'; }

    private char next() {
        if (at >= text.length()) throw error("end of text");
        return text.charAt(at++);
    }

    private void expect(char c) {
        if (next() != c) throw error("expected " + c);
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + at + " in " + text);
    }
}
