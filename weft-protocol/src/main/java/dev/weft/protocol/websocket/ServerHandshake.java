package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.internal.Ascii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.weft.protocol.websocket.HandshakeFields.*;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2), as a pure function from a request
 * head to the response to send: {@link #accept} returns an {@link Accept} (101 and its fields)
 * or a {@link Reject} (a status, fields and a reason). No I/O, no state: one instance serves
 * every connection, from any thread.
 *
 * <h2>What is checked, in order</h2>
 * <ol>
 *   <li>The method is GET (§4.2.1 item 1), else 405 with {@code Allow: GET}.</li>
 *   <li>HTTP/1.1 or later, else 400: an HTTP/1.0 upgrade is not a WebSocket handshake; and one
 *       {@code Host} (item 2), else 400, which the HTTP/1.1 parser has already made sure of.</li>
 *   <li>{@code Upgrade} lists the token {@code websocket} in any case (§4.2.1 item 3), and
 *       {@code Connection} lists {@code upgrade} (item 4), else 400.</li>
 *   <li>{@code Sec-WebSocket-Version} (item 6): one line saying 13, 8 or 7, else 426 with
 *       {@code Sec-WebSocket-Version: 13, 8, 7} (§4.4), so the client may retry with one of them.
 *       Missing, or repeated (§11.3.5), it is 400.</li>
 *   <li>{@code Sec-WebSocket-Key} (item 5): exactly one, the base64 form of 16 bytes (24
 *       characters ending {@code ==}), else 400.</li>
 *   <li>{@code Sec-WebSocket-Protocol} (§4.2.2 item 5.4): a list of tokens, else 400. The server
 *       picks the first of its own protocols, in its order of preference, that the client
 *       offered, compared exactly as browsers compare the echo; if none matches, it answers
 *       without the field and the client decides whether to go on.</li>
 *   <li>{@code Sec-WebSocket-Extensions} (§9.1): well-formed, else 400. Only permessage-deflate
 *       is understood; the first offer of it that can be accepted is (see
 *       {@code DeflateNegotiation} for the windows java.util.zip cannot honour); others are
 *       declined by leaving them out of the answer.</li>
 * </ol>
 * The origin is not judged here: {@link Accept#origin()} carries it (from {@code Origin}, or
 * {@code Sec-WebSocket-Origin} for versions 7 and 8) for the application to check, since a
 * browser's WebSocket is not bound by the same-origin policy (RFC 6455 §10.2).
 *
 * <h2>The legacy drafts, off by default</h2>
 * With {@link Options#legacyHixie()} the server also accepts the handshakes of hixie-75 and
 * hixie-76 (alias hybi-00), which old Safari, Chrome before 14 and Firefox 4 spoke, after which
 * the connection uses {@link HixieDecoder} and {@link HixieEncoder}. They stay off unless asked
 * for, because:
 * <ul>
 *   <li>their frames are not masked, so a hostile page can make a browser send bytes that a
 *       transparent proxy reads as an HTTP request and caches the answer to: the cache poisoning
 *       that RFC 6455 §10.3 introduced masking against;</li>
 *   <li>they carry text only: no binary messages, no ping or pong, and no close codes or
 *       reasons, so a peer's failure cannot even be explained;</li>
 *   <li>hixie-76 sends eight bytes of key after the request head with no Content-Length to
 *       announce them ({@link #bytesAfterHead}), and proxies and HTTP stacks that do not know
 *       to wait for them stall or pass them on as the start of the next request;</li>
 *   <li>hixie-75 has no key at all, so any HTTP endpoint can be talked into "accepting" one.</li>
 * </ul>
 */
public final class ServerHandshake {
    /** The GUID of RFC 6455 §1.3, appended to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String SUPPORTED_VERSIONS = "13, 8, 7";

    /**
     * What a server accepts: its subprotocols in order of preference, permessage-deflate or not,
     * and whether the legacy drafts may connect. {@link #DEFAULTS}: no subprotocols, no
     * compression (it costs CPU and memory per connection; opt in), no legacy drafts.
     */
    public record Options(List<String> subprotocols, Optional<DeflateOptions> deflate, boolean legacyHixie) {
        public static final Options DEFAULTS = new Options(List.of(), Optional.empty(), false);

        public Options {
            subprotocols = List.copyOf(subprotocols);
            for (String p : subprotocols) if (!Ascii.isToken(p)) throw new IllegalArgumentException("subprotocol is not a token: " + p);
            Objects.requireNonNull(deflate, "deflate");
        }

        public Options withSubprotocols(String... preferred) { return new Options(List.of(preferred), deflate, legacyHixie); }

        public Options withDeflate(DeflateOptions options) { return new Options(subprotocols, Optional.of(options), legacyHixie); }

        public Options withLegacyHixie(boolean allowed) { return new Options(subprotocols, deflate, allowed); }
    }

    /**
     * The parts of a request head the handshake reads. {@code target} and {@code secure} (whether
     * the connection is TLS) matter only to the legacy drafts, which echo the URL.
     */
    public record UpgradeRequest(Method method, Version version, String target, Headers headers, boolean secure) {
        public UpgradeRequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(headers, "headers");
        }
    }

    /** What to answer. */
    public sealed interface Outcome permits Accept, Reject {}

    /**
     * Switch protocols: write {@code status} and {@code headers} as the response head (the
     * status is 101; the legacy drafts' clients expect their own reason phrase in it), then
     * {@code body}, which is empty except for hixie-76's 16-byte answer. From the next byte on,
     * the connection speaks {@code version}'s framing, with {@code deflate} if negotiated.
     */
    public record Accept(Status status, Headers headers, Optional<String> subprotocol, Optional<DeflateParameters> deflate,
                         WebSocketVersion version, Optional<String> origin, ByteBuffer body) implements Outcome {}

    /** Refuse: answer {@code status} with {@code headers}; {@code reason} says why, for logs and the body. */
    public record Reject(Status status, Headers headers, String reason) implements Outcome {}

    private final Options options;

    public ServerHandshake(Options options) { this.options = Objects.requireNonNull(options, "options"); }

    /**
     * How many bytes after the request head the handshake needs: 8 for a hixie-76 request when
     * the legacy drafts are allowed (its third key, draft-hixie-76 §5.2), else 0. Read them before
     * calling {@link #accept(UpgradeRequest, ByteBuffer)}.
     */
    public int bytesAfterHead(Headers request) {
        return options.legacyHixie() && LegacyHandshake.isHixie76(request) ? LegacyHandshake.KEY3_BYTES : 0;
    }

    /** As {@link #accept(UpgradeRequest, ByteBuffer)} with no bytes after the head. */
    public Outcome accept(UpgradeRequest request) { return accept(request, ByteBuffer.allocate(0)); }

    /**
     * The response to {@code request}; {@code afterHead} holds the {@link #bytesAfterHead} bytes
     * that followed it (read, not consumed). Giving fewer is a UsageViolation.
     */
    public Outcome accept(UpgradeRequest request, ByteBuffer afterHead) {
        Objects.requireNonNull(request, "request");
        Headers h = request.headers();
        if (request.method() != Method.GET) {
            return new Reject(Status.METHOD_NOT_ALLOWED, Headers.of(ALLOW, "GET"), "a WebSocket handshake is a GET (RFC 6455 §4.1)");
        }
        if (request.version() == Version.HTTP_1_0) return reject("a WebSocket handshake needs HTTP/1.1 (RFC 6455 §4.1)");
        if (h.count(HOST) != 1) return reject("not exactly one Host (RFC 6455 §4.2.1, RFC 9112 §3.2)");
        if (!h.containsToken(UPGRADE, "websocket")) return reject("Upgrade does not name websocket (RFC 6455 §4.2.1)");
        if (!h.containsToken(CONNECTION, "upgrade")) return reject("Connection does not name upgrade (RFC 6455 §4.2.1)");
        if (!h.contains(SEC_WEBSOCKET_VERSION)) {
            if (options.legacyHixie() && !h.contains(SEC_WEBSOCKET_KEY)) {
                return LegacyHandshake.accept(request, afterHead, options.subprotocols());
            }
            return reject("no Sec-WebSocket-Version (RFC 6455 §4.2.1)");
        }
        if (h.count(SEC_WEBSOCKET_VERSION) > 1) return reject("Sec-WebSocket-Version more than once (RFC 6455 §11.3.5)");
        WebSocketVersion version = switch (h.firstOr(SEC_WEBSOCKET_VERSION, "").strip()) {
            case "13" -> WebSocketVersion.RFC_6455;
            case "8" -> WebSocketVersion.HYBI_08;
            case "7" -> WebSocketVersion.HYBI_07;
            default -> null;
        };
        if (version == null) {
            return new Reject(Status.UPGRADE_REQUIRED, Headers.of(SEC_WEBSOCKET_VERSION, SUPPORTED_VERSIONS),
                "Sec-WebSocket-Version " + h.firstOr(SEC_WEBSOCKET_VERSION, "") + " is not one of " + SUPPORTED_VERSIONS + " (RFC 6455 §4.4)");
        }
        return acceptHybi(h, version);
    }

    /** Versions 13, 8 and 7: the key, then the subprotocol and extensions. */
    private Outcome acceptHybi(Headers h, WebSocketVersion version) {
        if (h.count(SEC_WEBSOCKET_KEY) != 1) return reject("not exactly one Sec-WebSocket-Key (RFC 6455 §11.3.1)");
        String key = h.firstOr(SEC_WEBSOCKET_KEY, "").strip();
        if (!isKey(key)) return reject("Sec-WebSocket-Key is not the base64 form of 16 bytes (RFC 6455 §4.1)");
        List<String> offered = protocols(h.all(SEC_WEBSOCKET_PROTOCOL));
        if (offered == null) return reject("Sec-WebSocket-Protocol is not a list of tokens (RFC 6455 §4.1)");
        List<ExtensionHeader.Extension> extensions;
        try {
            extensions = ExtensionHeader.parse(h.all(SEC_WEBSOCKET_EXTENSIONS));
        } catch (IllegalArgumentException e) {
            return reject("malformed Sec-WebSocket-Extensions (RFC 6455 §9.1): " + e.getMessage());
        }
        var response = new Headers(5);
        response.add(UPGRADE, "websocket").add(CONNECTION, "Upgrade").add(SEC_WEBSOCKET_ACCEPT, acceptValue(key));
        Optional<String> subprotocol = options.subprotocols().stream().filter(offered::contains).findFirst();
        subprotocol.ifPresent(p -> response.add(SEC_WEBSOCKET_PROTOCOL, p));
        Optional<DeflateNegotiation.Agreement> deflate = options.deflate().flatMap(o -> DeflateNegotiation.accept(extensions, o));
        deflate.ifPresent(a -> response.add(SEC_WEBSOCKET_EXTENSIONS, a.response()));
        Optional<String> origin = h.first(version == WebSocketVersion.RFC_6455 ? ORIGIN : SEC_WEBSOCKET_ORIGIN);
        return new Accept(Status.SWITCHING_PROTOCOLS, response, subprotocol, deflate.map(DeflateNegotiation.Agreement::parameters),
            version, origin, ByteBuffer.allocate(0).asReadOnlyBuffer());
    }

    /**
     * {@code Sec-WebSocket-Accept} for {@code key}: base64 of the SHA-1 of the key and the
     * {@link #GUID} (RFC 6455 §1.3, §4.2.2 item 5.4).
     */
    public static String acceptValue(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-1 (MessageDigest's javadoc)", e);
        }
    }

    /** 24 base64 characters ending in "==", which decode to exactly 16 bytes (RFC 6455 §4.1 item 7). */
    static boolean isKey(String key) {
        if (key.length() != 24 || !key.endsWith("==")) return false;
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The offered subprotocols, in order, or null if an element is not a token. */
    private static List<String> protocols(List<String> lines) {
        var out = new ArrayList<String>();
        for (String line : lines) {
            for (String element : line.split(",", -1)) {
                String p = element.strip();
                if (p.isEmpty()) continue;                            // RFC 9110 §5.6.1: empty elements are allowed
                if (!Ascii.isToken(p)) return null;
                out.add(p);
            }
        }
        return out;
    }

    static Reject reject(String reason) { return new Reject(Status.BAD_REQUEST, new Headers(1), reason); }

    static void requireBytes(ByteBuffer afterHead, int n) {
        if (afterHead.remaining() < n) {
            throw new UsageViolation("this handshake needs the " + n + " bytes after the head (bytesAfterHead), given " + afterHead.remaining());
        }
    }
}
