package dev.weft.protocol.http1;

/**
 * The sizes a peer may spend, charged as bytes arrive so a limit trips before the memory is
 * spent (ARCHITECTURE.md convention 6). Defaults are ARCHITECTURE.md's limits table:
 *
 * <table>
 *   <tr><th>limit</th><th>default</th><th>exceeded</th><th>why this figure</th></tr>
 *   <tr><td>request line</td><td>8 KiB</td><td>414</td><td>RFC 9112 §3 asks for at least 8000 octets</td></tr>
 *   <tr><td>header section</td><td>64 KiB</td><td>431</td><td>above browsers' ~16 KiB cookies, below Jetty's and nginx's worst case</td></tr>
 *   <tr><td>field lines</td><td>200</td><td>431</td><td>a dozen is typical; 200 leaves room for proxies</td></tr>
 *   <tr><td>body</td><td>16 MiB</td><td>413</td><td>buffered bodies; a streaming handler raises it per request</td></tr>
 *   <tr><td>chunk extensions, per message</td><td>16 KiB</td><td>400</td><td>Node.js's bound after CVE-2024-22019</td></tr>
 * </table>
 *
 * The header-section limit covers the field lines (not the start line) and applies to
 * trailers too; in the client role the start-line limit applies to the status line.
 */
public record Http1Limits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
                          int maxChunkExtensionBytes) {
    public static final Http1Limits DEFAULTS = new Http1Limits(8 << 10, 64 << 10, 200, 16L << 20, 16 << 10);

    public Http1Limits {
        if (maxRequestLine < 64) throw new IllegalArgumentException("maxRequestLine < 64: " + maxRequestLine);
        if (maxHeaderBytes < 64) throw new IllegalArgumentException("maxHeaderBytes < 64: " + maxHeaderBytes);
        if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount < 1: " + maxHeaderCount);
        if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes < 0: " + maxBodyBytes);
        if (maxChunkExtensionBytes < 0) throw new IllegalArgumentException("maxChunkExtensionBytes < 0: " + maxChunkExtensionBytes);
    }

    public Http1Limits withMaxRequestLine(int n) {
        return new Http1Limits(n, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxChunkExtensionBytes);
    }

    public Http1Limits withMaxHeaderBytes(int n) {
        return new Http1Limits(maxRequestLine, n, maxHeaderCount, maxBodyBytes, maxChunkExtensionBytes);
    }

    public Http1Limits withMaxHeaderCount(int n) {
        return new Http1Limits(maxRequestLine, maxHeaderBytes, n, maxBodyBytes, maxChunkExtensionBytes);
    }

    public Http1Limits withMaxBodyBytes(long n) {
        return new Http1Limits(maxRequestLine, maxHeaderBytes, maxHeaderCount, n, maxChunkExtensionBytes);
    }

    public Http1Limits withMaxChunkExtensionBytes(int n) {
        return new Http1Limits(maxRequestLine, maxHeaderBytes, maxHeaderCount, maxBodyBytes, n);
    }
}
