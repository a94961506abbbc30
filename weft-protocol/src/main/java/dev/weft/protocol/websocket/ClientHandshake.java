package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.internal.Ascii;

import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

import static dev.weft.protocol.websocket.HandshakeFields.*;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1; or the hybi-07 and -08 drafts, which
 * differ only in the version number and in sending the origin as {@code Sec-WebSocket-Origin}),
 * as pure functions: {@link #start} makes the key and {@link #headers()} the fields to add to the GET;
 * {@link #finish} judges the response head. No I/O.
 *
 * <pre>{@code
 * var handshake = ClientHandshake.start(options, secureRandom);
 * var fields = handshake.headers().add("Host", "example.com");       // and cookies, authorization, ...
 * writer.writeRequestHead(Method.GET, "/chat", fields, Http1Writer.NO_BODY, out);
 * parser.requestSent(Method.GET);
 * // ... the ResponseHead arrives, then PAUSED:
 * switch (handshake.finish(head.status(), head.headers())) {
 *     case Accepted(var subprotocol, var deflate) -> startFrames(subprotocol, deflate);   // bytes after the head are frames
 *     case Failed(var reason) -> fail(reason);                                            // close the connection
 * }
 * }</pre>
 *
 * {@link #finish} checks, in order (§4.1, the client's list): status 101 (anything else is for
 * the caller's HTTP handling: authentication, redirects); {@code Upgrade} naming websocket in any
 * case; {@code Connection} naming upgrade; {@code Sec-WebSocket-Accept} equal to the value our
 * key calls for; no extension we did not offer, and permessage-deflate only with parameters we
 * can keep (see {@code DeflateNegotiation}); at most one subprotocol, and one we offered. A
 * response without a subprotocol is accepted even if we offered some, as RFC 6455 allows; the
 * caller may insist.
 */
public final class ClientHandshake {
    /**
     * What a client offers: subprotocols in order of preference, permessage-deflate or not, the
     * protocol version (13 by default; 8 and 7 for servers of the drafts' time), and the origin
     * of the page it speaks for, if any (browsers send it; other clients need not).
     */
    public record Options(List<String> subprotocols, Optional<DeflateOptions> deflate, WebSocketVersion version,
                          Optional<String> origin) {
        public static final Options DEFAULTS = new Options(List.of(), Optional.empty(), WebSocketVersion.RFC_6455, Optional.empty());

        public Options {
            subprotocols = List.copyOf(subprotocols);
            for (String p : subprotocols) if (!Ascii.isToken(p)) throw new IllegalArgumentException("subprotocol is not a token: " + p);
            Objects.requireNonNull(deflate, "deflate");
            if (version.isLegacy()) throw new IllegalArgumentException("a client speaks versions 13, 8 and 7, not " + version);
            Objects.requireNonNull(origin, "origin");
        }

        public Options withSubprotocols(String... preferred) { return new Options(List.of(preferred), deflate, version, origin); }

        public Options withDeflate(DeflateOptions options) { return new Options(subprotocols, Optional.of(options), version, origin); }

        public Options withVersion(WebSocketVersion v) { return new Options(subprotocols, deflate, v, origin); }

        public Options withOrigin(String o) { return new Options(subprotocols, deflate, version, Optional.of(o)); }
    }

    /** How the server's response was judged. */
    public sealed interface Result permits Accepted, Failed {}

    /** The connection is a WebSocket now, with this subprotocol and permessage-deflate, if any. */
    public record Accepted(Optional<String> subprotocol, Optional<DeflateParameters> deflate) implements Result {}

    /** The client must fail the connection (RFC 6455 §4.1): close it without a Close frame. */
    public record Failed(String reason) implements Result {}

    private final Options options;
    private final String key;

    private ClientHandshake(Options options, String key) {
        this.options = options;
        this.key = key;
    }

    /**
     * A handshake with a fresh key: 16 bytes from {@code random}, base64-encoded (RFC 6455 §4.1
     * item 7). The key must be unpredictable, so pass a {@code SecureRandom} or a generator
     * seeded from one.
     */
    public static ClientHandshake start(Options options, RandomGenerator random) {
        Objects.requireNonNull(options, "options");
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return new ClientHandshake(options, Base64.getEncoder().encodeToString(nonce));
    }

    /** The {@code Sec-WebSocket-Key} sent. */
    public String key() { return key; }

    /**
     * The handshake's fields for the GET, in a new Headers: Upgrade, Connection, the key, the
     * version, the origin (as {@code Origin}, or {@code Sec-WebSocket-Origin} for 7 and 8), and the
     * offered subprotocols and extension. The caller adds Host.
     */
    public Headers headers() {
        var h = new Headers(8);
        h.add(UPGRADE, "websocket").add(CONNECTION, "Upgrade").add(SEC_WEBSOCKET_KEY, key)
            .add(SEC_WEBSOCKET_VERSION, Integer.toString(options.version().number()));
        options.origin().ifPresent(o -> h.add(options.version() == WebSocketVersion.RFC_6455 ? ORIGIN : SEC_WEBSOCKET_ORIGIN, o));
        if (!options.subprotocols().isEmpty()) h.add(SEC_WEBSOCKET_PROTOCOL, String.join(", ", options.subprotocols()));
        options.deflate().ifPresent(d -> h.add(SEC_WEBSOCKET_EXTENSIONS, DeflateNegotiation.offer(d)));
        return h;
    }

    /** Judges the response head; see the class comment for the checks. */
    public Result finish(Status status, Headers response) {
        if (status.code() != 101) return new Failed("status " + status + ", not 101 Switching Protocols");
        if (!response.containsToken(UPGRADE, "websocket")) return new Failed("Upgrade does not name websocket");
        if (!response.containsToken(CONNECTION, "upgrade")) return new Failed("Connection does not name upgrade");
        String accept = response.count(SEC_WEBSOCKET_ACCEPT) == 1 ? response.firstOr(SEC_WEBSOCKET_ACCEPT, "").strip() : "";
        if (!accept.equals(ServerHandshake.acceptValue(key))) return new Failed("Sec-WebSocket-Accept does not match the key");
        Optional<DeflateParameters> deflate;
        try {
            deflate = extensions(response);
        } catch (IllegalArgumentException e) {
            return new Failed(e.getMessage());
        }
        List<String> chosen = response.all(SEC_WEBSOCKET_PROTOCOL);
        if (chosen.isEmpty()) return new Accepted(Optional.empty(), deflate);
        String protocol = chosen.getFirst().strip();
        if (chosen.size() > 1 || !options.subprotocols().contains(protocol)) {
            return new Failed("Sec-WebSocket-Protocol " + String.join(", ", chosen) + " is not one subprotocol we offered");
        }
        return new Accepted(Optional.of(protocol), deflate);
    }

    /** The extensions in use: none, or permessage-deflate if we offered it and its parameters suit us. */
    private Optional<DeflateParameters> extensions(Headers response) {
        List<ExtensionHeader.Extension> used = ExtensionHeader.parse(response.all(SEC_WEBSOCKET_EXTENSIONS));
        if (used.isEmpty()) return Optional.empty();
        ExtensionHeader.Extension first = used.getFirst();
        if (used.size() > 1 || options.deflate().isEmpty() || !first.name().equalsIgnoreCase(DeflateNegotiation.NAME)) {
            throw new IllegalArgumentException("the server uses extensions we did not offer: " + used);
        }
        return Optional.of(DeflateNegotiation.confirm(first, options.deflate().get()));
    }
}
