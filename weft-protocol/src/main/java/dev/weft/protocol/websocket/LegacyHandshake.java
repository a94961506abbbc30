package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.websocket.ServerHandshake.Accept;
import dev.weft.protocol.websocket.ServerHandshake.Outcome;
import dev.weft.protocol.websocket.ServerHandshake.UpgradeRequest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

import static dev.weft.protocol.websocket.HandshakeFields.*;

/**
 * The server's side of the legacy handshakes, reached only when {@link ServerHandshake.Options#legacyHixie()}
 * allows them (see {@link ServerHandshake} for why that is off by default). Both echo the origin
 * and the URL; hixie-76 also proves it read the request by answering a challenge:
 * <ol>
 *   <li>for each of {@code Sec-WebSocket-Key1} and {@code -Key2}, the digits in it read as one
 *       decimal number, divided by the number of spaces in it, which must be at least one and
 *       divide the number exactly (draft-hixie-76 §5.2);</li>
 *   <li>the two quotients as 32-bit big-endian integers, then the eight bytes after the head;</li>
 *   <li>the MD5 of those 16 bytes is the response body.</li>
 * </ol>
 */
final class LegacyHandshake {
    private LegacyHandshake() {}

    static final int KEY3_BYTES = 8;
    private static final Status HIXIE_76_STATUS = Status.of(101, "WebSocket Protocol Handshake");
    private static final Status HIXIE_75_STATUS = Status.of(101, "Web Socket Protocol Handshake");

    static boolean isHixie76(Headers h) { return h.contains(SEC_WEBSOCKET_KEY1) && h.contains(SEC_WEBSOCKET_KEY2); }

    static Outcome accept(UpgradeRequest request, ByteBuffer afterHead, List<String> subprotocols) {
        Headers h = request.headers();
        Optional<String> origin = h.first(ORIGIN);
        if (origin.isEmpty()) return ServerHandshake.reject("the legacy handshake echoes Origin, and there is none");
        String location = (request.secure() ? "wss://" : "ws://") + h.firstOr(HOST, "") + request.target();
        return isHixie76(h) ? hixie76(h, afterHead, origin, location, subprotocols) : hixie75(h, origin, location, subprotocols);
    }

    private static Outcome hixie76(Headers h, ByteBuffer key3, Optional<String> origin, String location, List<String> subprotocols) {
        long part1 = keyPart(h.firstOr(SEC_WEBSOCKET_KEY1, ""));
        long part2 = keyPart(h.firstOr(SEC_WEBSOCKET_KEY2, ""));
        if (part1 < 0 || part2 < 0) return ServerHandshake.reject("a Sec-WebSocket-Key1/2 without spaces, or not divisible by them (draft-hixie-76 §5.2)");
        ServerHandshake.requireBytes(key3, KEY3_BYTES);
        byte[] challenge = new byte[16];
        for (int i = 0; i < 4; i++) {
            challenge[i] = (byte) (part1 >>> (24 - 8 * i));
            challenge[4 + i] = (byte) (part2 >>> (24 - 8 * i));
        }
        key3.get(key3.position(), challenge, 8, KEY3_BYTES);
        var headers = new Headers(5);
        headers.add(UPGRADE, "WebSocket").add(CONNECTION, "Upgrade")
            .add(SEC_WEBSOCKET_ORIGIN, origin.get()).add(SEC_WEBSOCKET_LOCATION, location);
        Optional<String> protocol = h.first(SEC_WEBSOCKET_PROTOCOL).filter(subprotocols::contains);
        protocol.ifPresent(p -> headers.add(SEC_WEBSOCKET_PROTOCOL, p));
        return new Accept(HIXIE_76_STATUS, headers, protocol, Optional.empty(), WebSocketVersion.HIXIE_76, origin,
            ByteBuffer.wrap(md5(challenge)).asReadOnlyBuffer());
    }

    private static Outcome hixie75(Headers h, Optional<String> origin, String location, List<String> subprotocols) {
        var headers = new Headers(5);
        headers.add(UPGRADE, "WebSocket").add(CONNECTION, "Upgrade")
            .add(WEBSOCKET_ORIGIN, origin.get()).add(WEBSOCKET_LOCATION, location);
        Optional<String> protocol = h.first(WEBSOCKET_PROTOCOL).filter(subprotocols::contains);
        protocol.ifPresent(p -> headers.add(WEBSOCKET_PROTOCOL, p));
        return new Accept(HIXIE_75_STATUS, headers, protocol, Optional.empty(), WebSocketVersion.HIXIE_75, origin,
            ByteBuffer.allocate(0).asReadOnlyBuffer());
    }

    /** The key's digits as a number divided by its spaces, or -1 if that is not a whole 32-bit number. */
    static long keyPart(String key) {
        long number = 0;
        int spaces = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ' ') spaces++;
            else if (c >= '0' && c <= '9') {
                number = number * 10 + (c - '0');
                if (number > 0xFFFF_FFFFL) return -1;                 // a client's number fits 32 bits
            }
        }
        if (spaces == 0 || number % spaces != 0) return -1;
        return number / spaces;
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has MD5 (MessageDigest's javadoc)", e);
        }
    }
}
