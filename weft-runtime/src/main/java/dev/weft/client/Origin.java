package dev.weft.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: scheme, host and port (RFC 9110 §4.3.1), the key of the connection pool.
 * Only {@code http} is spoken; TLS is not part of Weft yet.
 */
record Origin(String host, int port) {
    static Origin of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) throw new IllegalArgumentException("only http:// URIs are supported: " + uri);
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new IllegalArgumentException("no host in " + uri);
        if (uri.getRawUserInfo() != null) throw new IllegalArgumentException("userinfo is not sent (RFC 9110 §4.2.4): " + uri);
        return new Origin(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
    }

    /** The Host field value (RFC 9110 §7.2): the port only when it is not the default. */
    String hostField() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == 80 ? h : h + ":" + port;
    }

    /** A fresh, unresolved-then-resolved address: resolution happens here, off the loop's hot path. */
    InetSocketAddress address() {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new InetSocketAddress(h, port);
    }

    @Override public String toString() { return "http://" + hostField(); }
}
