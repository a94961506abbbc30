package dev.weft.protocol.websocket;

/**
 * The permessage-deflate parameters both ends agreed on in the handshake (RFC 7692 §7.1): whether
 * each side resets its compressor between messages, and the largest LZ77 window, in bits (8-15),
 * each side compresses with. Inflating needs no agreement on the window: a 15-bit inflater reads
 * any smaller window too.
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {
    /** Context takeover both ways, 15-bit windows: what a bare {@code permessage-deflate} agrees to. */
    public static final DeflateParameters PLAIN = new DeflateParameters(false, false, 15, 15);

    public DeflateParameters {
        if (serverMaxWindowBits < 8 || serverMaxWindowBits > 15) throw new IllegalArgumentException("serverMaxWindowBits: " + serverMaxWindowBits);
        if (clientMaxWindowBits < 8 || clientMaxWindowBits > 15) throw new IllegalArgumentException("clientMaxWindowBits: " + clientMaxWindowBits);
    }
}
