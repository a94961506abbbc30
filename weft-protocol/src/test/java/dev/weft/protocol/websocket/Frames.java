package dev.weft.protocol.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Frames written by hand, independently of FrameEncoder, for decoder tests. */
final class Frames {
    private Frames() {}

    static final int TEXT = 0x1, BINARY = 0x2, CONTINUATION = 0x0, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    /** The masking key of RFC 6455 §5.7's examples. */
    static final int RFC_KEY = 0x37fa213d;

    /** A frame with the shortest length form; masked with {@code key} unless it is null. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, Integer key) {
        var out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = key != null ? 0x80 : 0;
        int n = payload.length;
        if (n <= 125) {
            out.write(maskBit | n);
        } else if (n <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) out.write((int) ((long) n >>> (8 * i)));
        }
        if (key == null) {
            out.writeBytes(payload);
        } else {
            byte[] k = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) (int) key};
            out.writeBytes(k);
            for (int i = 0; i < n; i++) out.write(payload[i] ^ k[i & 3]);
        }
        return out.toByteArray();
    }

    /** A final frame masked with the RFC's key: what a client sends. */
    static byte[] client(int opcode, byte[] payload) { return frame(true, 0, opcode, payload, RFC_KEY); }

    static byte[] client(int opcode, String utf8) { return client(opcode, utf8(utf8)); }

    /** A final unmasked frame: what a server sends. */
    static byte[] server(int opcode, byte[] payload) { return frame(true, 0, opcode, payload, null); }

    static byte[] server(int opcode, String utf8) { return server(opcode, utf8(utf8)); }

    /** A Close payload: the code, then the reason's bytes. */
    static byte[] closePayload(int code, byte[] reason) {
        var out = new ByteArrayOutputStream();
        out.write(code >>> 8);
        out.write(code);
        out.writeBytes(reason);
        return out.toByteArray();
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Bytes from hex pairs, spaces and 0x prefixes ignored: {@code hex("0x81 0x05 48 65")}. */
    static byte[] hex(String text) {
        String s = text.replace("0x", "").replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    /** {@code n} bytes of a repeating, non-trivial pattern. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + (i >>> 8));
        return b;
    }
}
