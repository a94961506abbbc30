package dev.weft.protocol.websocket;

import dev.weft.protocol.websocket.ExtensionHeader.Extension;
import dev.weft.protocol.websocket.ExtensionHeader.Param;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The permessage-deflate negotiation of RFC 7692 §5 and §7.1, for both roles.
 *
 * <h2>Windows smaller than 15 bits (§7.1.2)</h2>
 * java.util.zip's Deflater always uses a 32 KiB window. An offer with {@code server_max_window_bits}
 * below 15 asks the server to compress with a smaller one; the server accepts it only by
 * echoing a value no larger (§7.1.2.1), which it could not keep. So such an offer is declined,
 * and the next offer in the header considered (§5: a server may decline any offer; the client
 * lists alternatives in order of preference); a value of 15 is accepted and echoed. The other way
 * round a client never offers {@code client_max_window_bits}, so a server may not limit its
 * window (§7.1.2.2), and a response that does so anyway fails the handshake. Inflating is never
 * the problem: a 15-bit window reads data compressed with any smaller one.
 */
final class DeflateNegotiation {
    private DeflateNegotiation() {}

    static final String NAME = "permessage-deflate";

    /** What a server agreed to, and the extension as it goes in the response. */
    record Agreement(DeflateParameters parameters, String response) {}

    /** Server: the first offer it can accept, or empty if it declines them all. */
    static Optional<Agreement> accept(List<Extension> offers, DeflateOptions options) {
        for (Extension offer : offers) {
            if (!offer.name().equalsIgnoreCase(NAME)) continue;
            Agreement a = acceptOne(offer, options);
            if (a != null) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** One offer (§7), or null to decline it: unknown, repeated or bad parameters, or a window we cannot keep. */
    private static Agreement acceptOne(Extension offer, DeflateOptions options) {
        boolean serverNoContext = options.serverNoContextTakeover();
        boolean clientNoContext = options.clientNoContextTakeover();
        boolean echoServerBits = false;
        int clientBits = 15;
        var seen = new HashSet<String>();
        for (Param p : offer.params()) {
            String name = p.name().toLowerCase(java.util.Locale.ROOT);
            if (!seen.add(name)) return null;
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (p.value() != null) return null;
                    serverNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (p.value() != null) return null;
                    clientNoContext = true;             // the client's hint; confirming it lets us drop our inflater
                }
                case "server_max_window_bits" -> {
                    if (windowBits(p.value()) != 15) return null;    // invalid, or below what java.util.zip can keep
                    echoServerBits = true;
                }
                case "client_max_window_bits" -> {
                    if (p.value() != null) {
                        clientBits = windowBits(p.value());
                        if (clientBits < 0) return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        var response = new StringBuilder(NAME);
        if (serverNoContext) response.append("; server_no_context_takeover");
        if (clientNoContext) response.append("; client_no_context_takeover");
        if (echoServerBits) response.append("; server_max_window_bits=15");
        return new Agreement(new DeflateParameters(serverNoContext, clientNoContext, 15, clientBits), response.toString());
    }

    /** Client: the extension offered. */
    static String offer(DeflateOptions options) {
        var offer = new StringBuilder(NAME);
        if (options.serverNoContextTakeover()) offer.append("; server_no_context_takeover");
        if (options.clientNoContextTakeover()) offer.append("; client_no_context_takeover");
        return offer.toString();
    }

    /**
     * Client: the parameters of the server's response to our offer (§5, §7.1).
     *
     * @throws IllegalArgumentException with the reason when the client must fail the connection
     */
    static DeflateParameters confirm(Extension response, DeflateOptions options) {
        boolean serverNoContext = false;
        boolean clientNoContext = options.clientNoContextTakeover();   // our own promise holds either way
        int serverBits = 15;
        var seen = new HashSet<String>();
        for (Param p : response.params()) {
            String name = p.name().toLowerCase(java.util.Locale.ROOT);
            if (!seen.add(name)) throw new IllegalArgumentException("permessage-deflate parameter " + name + " twice");
            switch (name) {
                case "server_no_context_takeover" -> serverNoContext = noValue(p);
                case "client_no_context_takeover" -> clientNoContext = noValue(p);
                case "server_max_window_bits" -> {
                    serverBits = windowBits(p.value());
                    if (serverBits < 0) throw new IllegalArgumentException("bad server_max_window_bits: " + p.value());
                }
                case "client_max_window_bits" -> throw new IllegalArgumentException(
                    "client_max_window_bits in the response, which we did not offer (RFC 7692 §7.1.2.2)");
                default -> throw new IllegalArgumentException("unknown permessage-deflate parameter: " + name);
            }
        }
        return new DeflateParameters(serverNoContext, clientNoContext, serverBits, 15);
    }

    private static boolean noValue(Param p) {
        if (p.value() != null) throw new IllegalArgumentException(p.name() + " takes no value");
        return true;
    }

    /** 8-15 written without leading zeros (§7.1.2), else -1. */
    private static int windowBits(String value) {
        if (value == null) return -1;
        return switch (value) {
            case "8" -> 8;
            case "9" -> 9;
            case "10" -> 10;
            case "11" -> 11;
            case "12" -> 12;
            case "13" -> 13;
            case "14" -> 14;
            case "15" -> 15;
            default -> -1;
        };
    }
}
