package dev.weft.protocol.http;

import dev.weft.protocol.internal.Ascii;

/**
 * A request method (RFC 9110 §9). The registered methods are singletons, so the parser hands
 * them out without allocating and {@code ==} works for them; extension methods are any token.
 */
public final class Method {
    public static final Method GET = new Method("GET", true, true);
    public static final Method HEAD = new Method("HEAD", true, true);
    public static final Method POST = new Method("POST", false, false);
    public static final Method PUT = new Method("PUT", false, true);
    public static final Method DELETE = new Method("DELETE", false, true);
    public static final Method CONNECT = new Method("CONNECT", false, false);
    public static final Method OPTIONS = new Method("OPTIONS", true, true);
    public static final Method TRACE = new Method("TRACE", true, true);
    public static final Method PATCH = new Method("PATCH", false, false);

    private static final Method[] KNOWN = {GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH};

    private final String name;
    private final boolean safe;
    private final boolean idempotent;

    private Method(String name, boolean safe, boolean idempotent) {
        this.name = name;
        this.safe = safe;
        this.idempotent = idempotent;
    }

    /**
     * The method named {@code name}, case-sensitive (RFC 9110 §9.1).
     *
     * @throws IllegalArgumentException if {@code name} is not a token
     */
    public static Method of(String name) {
        for (Method m : KNOWN) {
            if (m.name.equals(name)) return m;
        }
        if (name.isEmpty() || !Ascii.isToken(name)) {
            throw new IllegalArgumentException("not a method token: " + name);
        }
        return new Method(name, false, false);
    }

    /**
     * The method spelled by {@code bytes[from, to)}, which the caller has checked to be a token.
     * Registered methods come back without allocating.
     */
    public static Method ofToken(byte[] bytes, int from, int to) {
        int len = to - from;
        for (Method m : KNOWN) {
            if (m.name.length() == len && Ascii.regionEquals(bytes, from, m.name)) return m;
        }
        return new Method(new String(bytes, from, len, java.nio.charset.StandardCharsets.ISO_8859_1), false, false);
    }

    public String name() { return name; }

    /** RFC 9110 §9.2.1. */
    public boolean isSafe() { return safe; }

    /** RFC 9110 §9.2.2. */
    public boolean isIdempotent() { return idempotent; }

    @Override public boolean equals(Object o) { return o instanceof Method m && m.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return name; }
}
