package dev.weft.server;

import dev.weft.protocol.http.Headers;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link Handler#buffered}: collects the body on the loop, then runs the handler with it. The
 * limit is the server's body limit, which the parser enforces as bytes arrive (413 past it,
 * RFC 9110 §15.5.14), so this class never sees more.
 *
 * <p>Memory follows bytes, not claims: the array grows as pieces arrive, doubling from 1 KiB but
 * never past the declared Content-Length, so a head that announces a large body and sends none
 * costs nothing. Each growth is reserved against the server's memory budget; when that is
 * spent the request is turned away (503) instead of growing.
 */
final class BodyCollector implements BodyReader {
    private static final byte[] EMPTY = new byte[0];
    private static final int FIRST = 1 << 10;

    private final Request request;
    private final Exchange exchange;
    private final Handler.Async handler;
    private byte[] data = EMPTY;
    private int size;
    private long reserved;
    private final long limit;

    BodyCollector(Request request, Exchange exchange, Handler.Async handler, long limit) {
        this.limit = limit;
        this.request = request;
        this.exchange = exchange;
        this.handler = handler;
    }

    @Override public boolean onBytes(ByteBuffer piece) {
        int n = piece.remaining();
        if (data.length - size < n) {
            int capacity = capacityFor(size + n);
            if (!reserve(capacity - data.length)) {
                if (exchange instanceof HttpExchange ex) ex.turnAway();
                return false;
            }
            data = Arrays.copyOf(data, capacity);
        }
        piece.get(data, size, n);
        size += n;
        return true;
    }

    /** At least {@code needed}; otherwise double, from {@value #FIRST}, up to the declared length. */
    private int capacityFor(int needed) {
        long declared = request.contentLength().orElse(Long.MAX_VALUE);
        long doubled = Math.max(2L * data.length, FIRST);
        return (int) Math.min(Math.max(needed, Math.min(doubled, declared)), Integer.MAX_VALUE - 8);
    }

    private boolean reserve(long n) {
        if (!(exchange instanceof HttpExchange ex)) return true;
        if (!ex.reserveBody(n)) return false;
        reserved += n;
        return true;
    }

    private void releaseAll() {
        if (reserved > 0 && exchange instanceof HttpExchange ex) ex.releaseBody(reserved);
        reserved = 0;
    }

    @Override public void onEnd(Headers trailers) throws Exception {
        request.bufferedBody(size == data.length ? data : Arrays.copyOf(data, size));
        data = EMPTY;
        releaseAll();                // the handler owns the body now
        handler.handle(request, exchange);
    }

    @Override public void onFailure(Throwable cause) {
        // The server answers a violation itself, and a client that left needs no answer.
        data = EMPTY;
        releaseAll();
    }

    @Override public long maxBytes() { return Math.min(limit, request.scope().maxBodyBytes()); }
}
