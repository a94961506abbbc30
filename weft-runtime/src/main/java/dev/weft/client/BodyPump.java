package dev.weft.client;

import dev.weft.protocol.http1.BodyEncoder;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs a request's {@link ClientRequest.BodySource} on a virtual thread of its own. Each write is
 * copied and handed to the connection's loop, then the thread parks until the connection is
 * below its high-water mark, so a fast source never queues more than about one mark. Once the
 * exchange is over (an early answer, a deadline, a cancel) every write fails; a source that
 * throws fails the exchange.
 */
final class BodyPump extends OutputStream {
    private final ClientConnection connection;
    private final ClientExchange exchange;
    private final BodyEncoder encoder;
    private boolean closed;

    BodyPump(ClientConnection connection, ClientExchange exchange, BodyEncoder encoder) {
        this.connection = connection;
        this.exchange = exchange;
        this.encoder = encoder;
    }

    void start() {
        ClientRequest.BodySource source = exchange.request.source().orElseThrow();
        Thread.ofVirtual().name("weft-client-body").start(() -> {
            try {
                source.writeTo(this);
                close();                                      // only a source that returned ends the body
            } catch (IOException | RuntimeException e) {
                closed = true;                                // no last chunk: the server must not take it as complete
                connection.loop().execute(() -> exchange.fail(new IOException("the request body's source failed: " + e.getMessage(), e)));
            }
        });
    }

    @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

    @Override public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("the body stream is closed");
        if (len == 0) return;
        ByteBuffer piece = ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len));
        var done = new CompletableFuture<Void>();
        connection.loop().execute(() -> connection.writePiece(exchange, encoder, piece, done));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the connection was full");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        connection.loop().execute(() -> connection.endPieces(exchange, encoder));
    }
}
