package dev.weft.server.sse;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.sse.SseEncoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.server.Exchange;
import dev.weft.server.Request;
import dev.weft.server.ResponseStream;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events response (WHATWG HTML §9.2): {@code text/event-stream}, written from any
 * thread, held back when the client reads slowly.
 * <pre>{@code
 * .get("/clock", (request, exchange) -> {
 *     var events = EventStream.open(exchange);
 *     var task = ticker.scheduleAtFixedRate(() -> events.send(SseEvent.Message.of(Instant.now().toString())), 0, 1, SECONDS);
 *     events.onClose(() -> task.cancel(false));
 * })
 * }</pre>
 *
 * <h2>What it does for you</h2>
 * <ul>
 *   <li>Heartbeats: a comment line ({@code :}) whenever nothing was written for a heartbeat
 *       period (15 s by default, as §9.2.7 advises), so proxies keep the connection and a client
 *       that vanished without a FIN is found by the write deadlines.</li>
 *   <li>A departed client is noticed at once (its FIN or RST ends the exchange): the stream
 *       closes and the {@link #onClose} actions run, on the loop.</li>
 *   <li>Graceful stop: when the server stops, the stream sends {@code retry:} with a jittered
 *       delay and closes, at its own moment within the drain window, so clients come back spread
 *       out.</li>
 *   <li>Backpressure: {@link #send} returns the stream's stage, {@link #isReady()} and
 *       {@link #onReady} say when to go on (see {@link ResponseStream}).</li>
 * </ul>
 * Every method may be called from any thread.
 */
public final class EventStream {
    /**
     * How a stream starts and keeps alive.
     *
     * @param heartbeat      comment after this much silence; zero for none
     * @param retry          a {@code retry:} sent first, if present (the client's reconnection delay)
     * @param openingComment a comment sent first so the client sees the stream open at once
     *                       (Nchan sends {@code hi}); empty for none
     * @param headers        extra response headers (CORS, say)
     * @param closeDelimited the body ends when the connection closes, as Nchan frames its streams,
     *                       rather than in chunks: no framing bytes per event, and each event is
     *                       written as its encoded bytes alone (shared between subscribers); the
     *                       connection is not reused after the stream
     */
    public record Options(Duration heartbeat, Optional<Duration> retry, String openingComment, Headers headers,
                          boolean closeDelimited) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(15), Optional.empty(), "", Headers.empty(), false);

        public Options {
            Objects.requireNonNull(heartbeat);
            Objects.requireNonNull(retry);
            Objects.requireNonNull(openingComment);
            Objects.requireNonNull(headers);
            if (heartbeat.isNegative()) throw new IllegalArgumentException("heartbeat < 0");
        }

        public Options withHeartbeat(Duration d) { return new Options(d, retry, openingComment, headers, closeDelimited); }

        public Options withRetry(Duration d) { return new Options(heartbeat, Optional.of(d), openingComment, headers, closeDelimited); }

        public Options withOpeningComment(String text) { return new Options(heartbeat, retry, text, headers, closeDelimited); }

        public Options withHeaders(Headers h) { return new Options(heartbeat, retry, openingComment, h, closeDelimited); }

        public Options withCloseDelimited(boolean on) { return new Options(heartbeat, retry, openingComment, headers, on); }
    }

    /** The response type, as Nchan and most servers write it. */
    public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final ResponseStream stream;
    private final Request request;
    private final EventLoop loop;
    private volatile boolean wrote;                // something went out since the last heartbeat tick
    private volatile boolean closed;
    // loop-only
    private Timer heartbeat;
    private List<Runnable> closeActions = List.of();

    private EventStream(Exchange exchange, ResponseStream stream) {
        this.stream = stream;
        this.request = exchange.request();
        this.loop = exchange.loop();
    }

    /** Starts the stream with {@link Options#DEFAULTS}; counts as the exchange's reply. */
    public static EventStream open(Exchange exchange) { return open(exchange, Options.DEFAULTS); }

    /** Starts the stream: the head now, then the opening comment and retry if any. Counts as the exchange's reply. */
    public static EventStream open(Exchange exchange, Options options) {
        var headers = new Headers(4 + options.headers().size());
        headers.add(FieldName.CONTENT_TYPE, CONTENT_TYPE);
        headers.add(FieldName.CACHE_CONTROL, "no-cache");
        for (Headers.Field f : options.headers()) headers.add(f.name(), f.value());
        if (options.closeDelimited()) headers.add(FieldName.CONNECTION, "close");
        var events = new EventStream(exchange, exchange.stream(Status.OK, headers));
        if (!options.openingComment().isEmpty()) {
            // with a blank line after it, as Nchan sends it: some clients only look at whole blocks
            byte[] comment = SseEncoder.toBytes(new SseEvent.Comment(options.openingComment()));
            byte[] block = java.util.Arrays.copyOf(comment, comment.length + 1);
            block[comment.length] = '\n';
            events.stream.write(ByteBuffer.wrap(block));
        }
        options.retry().ifPresent(r -> events.stream.write(SseEncoder.toBuffer(new SseEvent.Retry(r.toMillis()))));
        exchange.onCancel(events::ended);
        exchange.onDrain(events::drain);
        if (!options.heartbeat().isZero()) {
            long period = options.heartbeat().toNanos();
            events.loop.execute(() -> events.startHeartbeat(period));
        }
        return events;
    }

    /**
     * The id the client last saw, if it says: the {@code Last-Event-ID} header a browser sends
     * when it reconnects, else the {@code last_event_id} query argument (how a page passes the id
     * it kept when it opens a new stream; Nchan reads the same two).
     */
    public static Optional<String> lastEventId(Request request) {
        Optional<String> header = request.headers().first("last-event-id").filter(s -> !s.isEmpty());
        return header.isPresent() ? header : request.queryParam("last_event_id").filter(s -> !s.isEmpty());
    }

    /** {@link #lastEventId(Request)} of the request that opened this stream. */
    public Optional<String> lastEventId() { return lastEventId(request); }

    /** Sends an event (a message, a retry or a comment). */
    public CompletionStage<Void> send(SseEvent event) { return sendEncoded(SseEncoder.toBuffer(event)); }

    /** Sends a message of the default type with {@code data}. */
    public CompletionStage<Void> send(String data) { return send(SseEvent.Message.of(data)); }

    /**
     * Sends bytes already encoded as events (by {@link SseEncoder}): the way to write one
     * encoding of a message to many streams. The buffer is not changed; a view of it is written.
     */
    public CompletionStage<Void> sendEncoded(ByteBuffer events) {
        wrote = true;
        return stream.write(events.duplicate());
    }

    /** True while open and the connection below its high-water mark. */
    public boolean isReady() { return stream.isReady(); }

    /** Runs {@code callback} once, on the loop, when the stream is ready (at once if it is now). */
    public void onReady(Runnable callback) { stream.onReady(callback); }

    /** Bytes sent and not yet on the socket. */
    public long pendingBytes() { return stream.pendingBytes(); }

    public boolean isOpen() { return !closed && stream.isOpen(); }

    /**
     * Runs {@code action} on the loop once the stream is over, whichever way: the client left,
     * the server closed it, a deadline fired. At once if it already is.
     */
    public void onClose(Runnable action) {
        Objects.requireNonNull(action);
        loop.execute(() -> {
            if (closed) {
                action.run();
                return;
            }
            if (closeActions.isEmpty()) closeActions = new ArrayList<>(1);
            closeActions.add(action);
        });
    }

    /** Ends the stream (the client's EventSource will reconnect after its retry delay). Idempotent. */
    public void close() {
        stream.close();
        loop.execute(this::ended);
    }

    /** Sends {@code retry:} with {@code delay}, then ends the stream. */
    public void close(Duration delay) {
        if (stream.isOpen()) stream.write(SseEncoder.toBuffer(new SseEvent.Retry(delay.toMillis())));
        close();
    }

    // ---- the loop ----

    private void startHeartbeat(long periodNanos) {
        if (closed) return;
        heartbeat = loop.newTimer(() -> beat(periodNanos));
        heartbeat.schedule(periodNanos, TimeUnit.NANOSECONDS);
    }

    private void beat(long periodNanos) {
        if (closed || !stream.isOpen()) return;
        if (!wrote && stream.isReady()) stream.write(SseEncoder.heartbeat());
        wrote = false;
        heartbeat.schedule(periodNanos, TimeUnit.NANOSECONDS);
    }

    /** The server is stopping: come back in one to three seconds, then close. */
    private void drain() {
        close(Duration.ofMillis(1_000 + ThreadLocalRandom.current().nextLong(2_000)));
    }

    private void ended() {
        if (closed) return;
        closed = true;
        if (heartbeat != null) heartbeat.cancel();
        List<Runnable> actions = closeActions;
        closeActions = List.of();
        for (Runnable a : actions) a.run();
    }
}
