package dev.weft.bench.parse;

import java.nio.charset.StandardCharsets;

/**
 * The request bytes both parsers are fed: the same arrays for Weft and Netty, so the figures
 * compare the parsers and nothing else.
 */
public enum Requests {
    /** What Firefox sends for a page: request line plus the 12 fields issue 2 names, about 500 bytes. */
    BROWSER("""
            GET /articles/evented-servers HTTP/1.1\r
            Host: www.example.com\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-US,en;q=0.5\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Referer: https://www.example.com/\r
            Cookie: session=3f2a9c1e7b4d8a6f; theme=dark; lang=en\r
            Connection: keep-alive\r
            Upgrade-Insecure-Requests: 1\r
            Sec-Fetch-Dest: document\r
            Sec-Fetch-Mode: navigate\r
            Sec-Fetch-Site: same-origin\r
            \r
            """),
    /** The smallest valid HTTP/1.1 request (RFC 9112 §3.2: Host is required). */
    MINIMAL("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

    private final byte[] one;

    Requests(String text) {
        this.one = text.getBytes(StandardCharsets.US_ASCII);
    }

    /** One request's bytes. */
    public byte[] one() {
        return one.clone();
    }

    /** {@code count} copies of the request back to back, as a pipelining client writes them. */
    public byte[] pipelined(int count) {
        var all = new byte[one.length * count];
        for (int i = 0; i < count; i++) System.arraycopy(one, 0, all, i * one.length, one.length);
        return all;
    }

    public int length() {
        return one.length;
    }
}
