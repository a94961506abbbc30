package dev.weft.server;

import dev.weft.protocol.http.UsageViolation;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * {@link ResponseStream#outputStream()}: the blocking bridge for responses. Collects writes in an
 * 8 KiB array, hands each full array to the stream as a piece of its own (the stream takes it,
 * so it is never reused), and parks the writing virtual thread on the piece's stage while the
 * connection is above its high-water mark (ARCHITECTURE.md rule 4).
 */
final class StreamOutputStream extends OutputStream {
    static final int BUFFER = 8 << 10;

    private final ExchangeStream stream;
    private byte[] buffer;
    private int count;
    private boolean closed;

    StreamOutputStream(ExchangeStream stream) { this.stream = stream; }

    @Override public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        check();
        while (length > 0) {
            if (buffer == null) buffer = new byte[BUFFER];
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
            if (count == buffer.length) send();
        }
    }

    @Override public void flush() throws IOException {
        check();
        if (count > 0) send();
    }

    @Override public void close() throws IOException {
        if (closed) return;
        try {
            flush();
        } finally {
            closed = true;
            stream.close();
        }
    }

    private void check() throws IOException {
        if (closed) throw new IOException("stream closed");
        if (!stream.isOpen()) throw new IOException("the client is gone");
    }

    private void send() throws IOException {
        if (stream.inLoop()) throw new UsageViolation("ResponseStream.outputStream() blocks: never on an event loop");
        CompletionStage<Void> stage = stream.write(ByteBuffer.wrap(buffer, 0, count));
        buffer = null;
        count = 0;
        if (stream.isReady()) return;
        try {
            stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the client was slow");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
