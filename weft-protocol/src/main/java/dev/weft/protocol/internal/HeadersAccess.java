package dev.weft.protocol.internal;

import dev.weft.protocol.http.Headers;

/**
 * Lets the parser append field lines it has already validated byte by byte, without
 * {@link Headers#add} checking them a second time (the JDK's SharedSecrets idiom: the
 * unchecked path stays out of the public API).
 */
public final class HeadersAccess {
    private HeadersAccess() {}

    @FunctionalInterface
    public interface Adder {
        void add(Headers headers, String name, String value);
    }

    private static Adder adder;

    /** Called once, from Headers' static initialiser. */
    public static void install(Adder a) { adder = a; }

    /** Appends a line the caller has validated: name a token, value free of controls. */
    public static void addTrusted(Headers headers, String name, String value) {
        Adder a = adder;
        if (a == null) {
            new Headers(1); // runs Headers' static initialiser, which installs the adder
            a = adder;
        }
        a.add(headers, name, value);
    }
}
