package dev.weft.client;

import dev.weft.loop.EventLoop;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionHandler;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http1.BodyEncoder;
import dev.weft.protocol.http1.BodyFraming;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Http1Writer;
import dev.weft.protocol.http1.Role;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 client side of one connection: requests out through the loop's writer, responses
 * in through a client-role parser, matched in order (RFC 9112 §9.3.2; several may be in flight
 * when pipelined). All on the connection's loop.
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>{@link #send} writes the head (and the body, unless it waits for a 100 Continue) and tells
 *       the parser which method was sent, since HEAD and CONNECT change how a response is framed.</li>
 *   <li>{@link #onRead} pulls events: an interim 100 releases a waiting body, other 1xx are
 *       skipped; the final head, body pieces and the end go to the first exchange in line.</li>
 *   <li>A reader that pauses stops the pulling; the bytes not parsed stay with the connection,
 *       which stops reading the socket until {@link #resume}.</li>
 *   <li>Reuse: after a response read to its end, on a connection both sides keep alive, with
 *       nothing else in flight, the connection goes back to its owner ({@link Owner#idle}).
 *       Anything else (a violation, a deadline, a cancel, a close) closes it: a connection is never
 *       reused once it may be out of step with the server.</li>
 * </ol>
 */
final class ClientConnection implements ConnectionHandler {
    /** Who pools this connection. */
    interface Owner {
        /** Idle, reusable: nothing in flight, at a message boundary. */
        void idle(ClientConnection c);

        /** Closed, for any reason. */
        void closed(ClientConnection c);
    }

    private final Owner owner;
    private final Http1Writer writer;
    private final Http1Parser parser;
    private final ArrayDeque<ClientExchange> inFlight = new ArrayDeque<>(2);
    private final long maxBodyBytes;
    private Connection connection;
    private ByteBuffer fed;                    // the view of a read buffer the parser was last fed
    private boolean reading;                   // inside onRead
    private boolean served;                    // a response completed on it: later requests are on a reused connection
    private boolean keepAlive = true;          // neither side said close so far
    private boolean interim;                   // between a 1xx head and its EndOfMessage
    private java.util.concurrent.CompletableFuture<Void> writable;   // a body source waiting for the high-water mark

    ClientConnection(Owner owner, Http1Writer writer, long maxBodyBytes) {
        this.owner = owner;
        this.writer = writer;
        this.maxBodyBytes = maxBodyBytes;
        this.parser = new Http1Parser(Role.CLIENT, dev.weft.protocol.http1.Http1Limits.DEFAULTS.withMaxBodyBytes(maxBodyBytes));
    }

    EventLoop loop() { return connection.loop(); }

    boolean isOpen() { return connection != null && connection.isOpen(); }

    boolean isIdle() { return inFlight.isEmpty(); }

    int inFlight() { return inFlight.size(); }

    void close() { if (connection != null) connection.close(); }

    // ---- ConnectionHandler ----

    @Override public void onOpen(Connection c) { connection = c; }

    @Override public void onRead(Connection c, ByteBuffer in) {
        if (fed != null) fed.position(fed.limit());           // its bytes come back in {@code in}: see the server's Http1Connection
        ByteBuffer view = in.duplicate();
        fed = view;
        reading = true;
        try {
            parser.feed(view);
            drive();
        } catch (PeerViolation v) {
            failAll(new IOException("the server broke HTTP/1.1: " + v.getMessage(), v));
            c.close();
        } finally {
            reading = false;
            in.position(view.position());
            if (in.hasRemaining() && c.isOpen()) c.suspendRead();
            c.flush();
        }
    }

    @Override public void onInputClosed(Connection c) {
        parser.feedEnd();                                      // ends a body delimited by the close
        try {
            drive();
        } catch (PeerViolation v) {
            failAll(new IOException("the server closed mid-response: " + v.getMessage(), v));
        }
        failAll(new IOException("the server closed the connection"));
        c.close();
    }

    @Override public void onClose(Connection c) {
        failAll(c.failure().orElseGet(() -> new IOException("connection closed")));
        owner.closed(this);
    }

    // ---- requests ----

    /** Sends {@code ex}'s request now; on the loop. */
    void send(ClientExchange ex, String hostField) {
        ex.reused = served;
        ClientRequest r = ex.request;
        Headers headers = r.headers().copy();
        if (!headers.contains(FieldName.HOST)) headers.add(FieldName.HOST, hostField);
        boolean streamed = r.source().isPresent();
        long length = streamed ? Http1Writer.UNKNOWN_LENGTH : r.body().remaining();
        boolean expect = length >= HttpClient.EXPECT_CONTINUE_ABOVE;
        if (expect && !headers.contains(FieldName.EXPECT)) headers.add(FieldName.EXPECT, "100-continue");
        BodyFraming framing;
        try {
            framing = writer.writeRequestHead(r.method(), r.target(), headers, streamed || length > 0 ? length : Http1Writer.NO_BODY,
                    connection.sink());
        } catch (UsageViolation bad) {
            ex.failUnattached(bad);
            if (inFlight.isEmpty()) owner.idle(this);
            return;
        }
        inFlight.addLast(ex);
        parser.requestSent(r.method());
        ex.attach(this, expect);
        if (streamed) new BodyPump(this, ex, BodyEncoder.of(framing)).start();
        else if (!expect) writeBody(ex, framing);
        connection.flush();
    }

    // ---- a streamed request body (BodyPump), on the loop ----

    /** Writes a piece of {@code ex}'s streamed body; {@code done} completes below the high-water mark. */
    void writePiece(ClientExchange ex, BodyEncoder encoder, ByteBuffer piece, java.util.concurrent.CompletableFuture<Void> done) {
        if (ex.stage() != ClientExchange.Stage.SENDING || !connection.isOpen()) {
            done.completeExceptionally(new IOException("the exchange is over: the rest of the body is not sent"));
            return;
        }
        encoder.encode(piece, connection.sink());
        connection.flush();
        ex.bodyProgress();
        if (connection.isWritable()) done.complete(null);
        else writable = done;
    }

    /** The streamed body ended: its last chunk goes out and the response head is awaited. */
    void endPieces(ClientExchange ex, BodyEncoder encoder) {
        if (ex.stage() != ClientExchange.Stage.SENDING || !connection.isOpen()) return;
        encoder.finish(connection.sink());
        connection.flush();
        ex.streamSent();
    }

    @Override public void onWritable(Connection c) {
        var w = writable;
        writable = null;
        if (w != null) w.complete(null);
    }

    /** Sends a request already encoded; on the loop. The bytes are copied into the write buffers. */
    void sendRaw(ClientExchange ex, dev.weft.protocol.http.Method method, ByteBuffer request) {
        ex.reused = served;
        inFlight.addLast(ex);
        parser.requestSent(method);
        ex.attach(this, false);
        connection.write(request.duplicate());
        connection.flush();
    }

    /** After a 100 or the continue deadline: the waiting body goes out. */
    void sendBody(ClientExchange ex) {
        if (ex.stage() != ClientExchange.Stage.CONTINUE) return;
        writeBody(ex, new BodyFraming.Fixed(ex.request.body().remaining()));
        ex.bodySent();
        connection.flush();
    }

    private void writeBody(ClientExchange ex, BodyFraming framing) {
        if (framing instanceof BodyFraming.Empty) return;
        var encoder = BodyEncoder.of(framing);
        encoder.encode(ex.request.body().duplicate(), connection.sink());
        encoder.finish(connection.sink());
    }

    /** Resumes a paused reader. */
    void resume(ClientExchange ex) {
        if (!ex.paused) return;
        ex.paused = false;
        if (connection.isReadSuspended()) connection.resumeRead();
    }

    /** An exchange ended early (deadline, cancel): the connection cannot be trusted any more. */
    void exchangeFailed(ClientExchange ex) {
        keepAlive = false;
        if (connection != null) connection.close();
    }

    // ---- responses ----

    private void drive() {
        for (;;) {
            ClientExchange ex = inFlight.peekFirst();
            if (ex != null && ex.paused) return;
            Http1Event event = parser.next();
            switch (event) {
                case Http1Event.ResponseHead head -> onHead(ex, head);
                case Http1Event.Body(ByteBuffer bytes) -> {
                    if (ex != null) ex.bytes(bytes);
                }
                case Http1Event.EndOfMessage end -> onEnd(ex, end.trailers());
                case Signal s -> {
                    if (s == Signal.CLOSED && inFlight.isEmpty()) connection.close();
                    if (s == Signal.PAUSED) failAll(new IOException("the server switched protocols; this client speaks HTTP/1.1 only"));
                    return;
                }
                case Http1Event.RequestHead _ -> throw new AssertionError("the client role never yields a request head");
            }
        }
    }

    private void onHead(ClientExchange ex, Http1Event.ResponseHead head) {
        if (ex == null) return;                                // the parser has already failed UNEXPECTED_RESPONSE
        if (head.status().isInformational()) {
            interim = true;                                    // its EndOfMessage follows and ends nothing of ours
            if (head.status().code() == 100) sendBody(ex);    // RFC 9110 §15.2.1; other 1xx are skipped
            return;
        }
        if (ex.stage() == ClientExchange.Stage.CONTINUE || ex.stage() == ClientExchange.Stage.SENDING) {
            keepAlive = false;                                 // a final answer before the body: it is never sent, the connection ends
        }
        if (!head.keepAlive()) keepAlive = false;
        ex.head(head.status(), head.headers());
    }

    private void onEnd(ClientExchange ex, Headers trailers) {
        if (interim) {
            interim = false;
            return;
        }
        if (ex == null) return;
        inFlight.pollFirst();
        served = true;
        ex.end(trailers);
        if (inFlight.isEmpty() && keepAlive && connection.isOpen()) owner.idle(this);
        else if (!keepAlive && inFlight.isEmpty()) connection.close();
    }

    private void failAll(Throwable cause) {
        keepAlive = false;
        var w = writable;
        writable = null;
        if (w != null) w.completeExceptionally(cause);
        for (ClientExchange ex; (ex = inFlight.pollFirst()) != null; ) ex.fail(cause);
    }
}
