package dev.weft.protocol.http1;

/**
 * A request-target as received (RFC 9112 §3.2), with its form. The parser checks only that the
 * raw text fits its form; {@link #path()}, {@link #query()} and {@link #authority()} split it on
 * demand, so a request that never asks pays nothing. Percent-decoding is the router's business.
 */
public record RequestTarget(Form form, String raw) {
    public enum Form {
        /** {@code /where?q=1}: the usual one (§3.2.1). */
        ORIGIN,
        /** {@code http://host/where}: sent to proxies, and accepted by servers (§3.2.2). */
        ABSOLUTE,
        /** {@code host:port}: CONNECT only (§3.2.3). */
        AUTHORITY,
        /** {@code *}: server-wide OPTIONS only (§3.2.4). */
        ASTERISK
    }

    /** The path: {@code /where} for origin and absolute forms ({@code /} when absent), {@code *}, or "" for authority form. */
    public String path() {
        return switch (form) {
            case ORIGIN -> cutQuery(raw, 0);
            case ABSOLUTE -> {
                int p = pathStart();
                yield p < 0 ? "/" : cutQuery(raw, p);
            }
            case AUTHORITY -> "";
            case ASTERISK -> "*";
        };
    }

    /** The query without its {@code ?}, or "" when there is none. */
    public String query() {
        int q = raw.indexOf('?');
        if (q < 0) return "";
        int hash = raw.indexOf('#', q);
        return raw.substring(q + 1, hash < 0 ? raw.length() : hash);
    }

    /** {@code host[:port]} for absolute and authority forms, "" otherwise. */
    public String authority() {
        return switch (form) {
            case AUTHORITY -> raw;
            case ABSOLUTE -> {
                int start = raw.indexOf("://") + 3;
                int p = pathStart();
                int end = p < 0 ? raw.length() : p;
                int q = raw.indexOf('?', start);
                if (q >= 0 && q < end) end = q;
                yield raw.substring(start, end);
            }
            default -> "";
        };
    }

    private int pathStart() {
        int start = raw.indexOf("://");
        return start < 0 ? -1 : raw.indexOf('/', start + 3);
    }

    private static String cutQuery(String s, int from) {
        int end = s.length();
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') { end = i; break; }
        }
        return from == 0 && end == s.length() ? s : s.substring(from, end);
    }

    @Override public String toString() { return raw; }
}
