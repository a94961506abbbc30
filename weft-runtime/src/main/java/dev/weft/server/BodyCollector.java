package dev.weft.server;

import dev.weft.protocol.http.Headers;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link Handler#buffered}: collects the body on the loop, then runs the handler with it. The
 * limit is the server's body limit, which the parser enforces as bytes arrive (413 past it,
 * RFC 9110 §15.5.14), so this class never sees more.
 */
final class BodyCollector implements BodyReader {
    private final Request request;
    private final Exchange exchange;
    private final Handler.Async handler;
    private byte[] data;
    private int size;

    BodyCollector(Request request, Exchange exchange, Handler.Async handler) {
        this.request = request;
        this.exchange = exchange;
        this.handler = handler;
        long declared = request.contentLength().orElse(8 << 10);
        this.data = new byte[(int) Math.min(declared, Math.min(maxBytes(), 1 << 20))];
    }

    @Override public boolean onBytes(ByteBuffer piece) {
        int n = piece.remaining();
        if (data.length - size < n) data = Arrays.copyOf(data, Math.max(size + n, data.length * 2));
        piece.get(data, size, n);
        size += n;
        return true;
    }

    @Override public void onEnd(Headers trailers) throws Exception {
        request.bufferedBody(size == data.length ? data : Arrays.copyOf(data, size));
        handler.handle(request, exchange);
    }

    @Override public void onFailure(Throwable cause) {
        // The server answers a violation itself, and a client that left needs no answer.
    }

    @Override public long maxBytes() { return request.scope().maxBodyBytes(); }
}
