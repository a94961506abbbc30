package dev.weft.client;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.sse.SseDecoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.protocol.sse.SseLimits;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A client for an event stream with the EventSource semantics of WHATWG HTML §9.2: it connects,
 * hands each message to a {@link Listener} on the client's loop, and when the stream ends or the
 * network fails it reconnects after the reconnection time (the server may set it with
 * {@code retry:}), sending the last event ID it saw as {@code Last-Event-ID} so the server can
 * resume where it left off.
 * <pre>{@code
 * EventSource.connect(client, URI.create("http://127.0.0.1:8090/sub/news"), EventSource.Options.DEFAULTS,
 *         message -> System.out.println(message.id() + " " + message.data()));
 * }</pre>
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>Each attempt is a GET with {@code Accept: text/event-stream} and {@code Cache-Control:
 *       no-store}, plus {@code Last-Event-ID} once there is one (§9.2.4).</li>
 *   <li>A 200 whose Content-Type is {@code text/event-stream} opens the stream; any other answer
 *       fails it for good (§9.2.3: "fail the connection"): the server meant it, and asking again
 *       would get the same.</li>
 *   <li>The body goes through an {@link SseDecoder} that starts from the last event ID, so ids
 *       carry across reconnects. A stream that overruns the decoder's limits fails for good too.</li>
 *   <li>An end of stream or a network error (connect refused, reset, a deadline) reconnects after
 *       the reconnection time; consecutive attempts that never open double it, up to
 *       {@link Options#maxDelay}, with a little jitter so that many clients do not return at once.
 *       An open stream resets the doubling.</li>
 *   <li>Every wait has a deadline: the connect and head deadlines are the client's; the body may be
 *       silent for {@link Options#maxSilence} (a server's heartbeats keep it alive), after which
 *       the stream counts as lost and is reconnected.</li>
 * </ol>
 * All state is kept on one loop of the client's; {@link #close()} may be called from any thread.
 */
public final class EventSource implements AutoCloseable {
    /** What the stream says, on the client's loop; callbacks must not block. */
    @FunctionalInterface
    public interface Listener {
        /** A message; {@link SseEvent.Message#id()} is the last event ID as of it. */
        void onMessage(SseEvent.Message message);

        /** The stream is open (again). */
        default void onOpen() {}

        /** The stream was lost; another attempt follows after {@code retryIn}. */
        default void onError(Throwable cause, Duration retryIn) {}

        /** The stream is over for good: {@code cause} says why (a refusal, or {@link #close()}). */
        default void onClosed(Throwable cause) {}
    }

    /** The states of §9.2.2 {@code readyState}. */
    public enum ReadyState { CONNECTING, OPEN, CLOSED }

    /**
     * @param headers    more fields for every attempt (an authorisation, say)
     * @param retry      the reconnection time until the server sets one (browsers use a few seconds)
     * @param maxDelay   the most that doubling may make it
     * @param maxSilence how long the body may say nothing before the stream counts as lost
     * @param limits     the decoder's line and message limits
     */
    public record Options(Headers headers, Duration retry, Duration maxDelay, Duration maxSilence, SseLimits limits) {
        public static final Options DEFAULTS = new Options(Headers.empty(), Duration.ofSeconds(3), Duration.ofMinutes(1),
                Duration.ofMinutes(5), SseLimits.DEFAULTS);

        public Options {
            Objects.requireNonNull(headers);
            Objects.requireNonNull(limits);
            for (Duration d : new Duration[] {retry, maxDelay, maxSilence}) {
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }

        public Options withHeaders(Headers h) { return new Options(h, retry, maxDelay, maxSilence, limits); }
        public Options withRetry(Duration d) { return new Options(headers, d, maxDelay, maxSilence, limits); }
        public Options withMaxDelay(Duration d) { return new Options(headers, retry, d, maxSilence, limits); }
        public Options withMaxSilence(Duration d) { return new Options(headers, retry, maxDelay, d, limits); }
        public Options withLimits(SseLimits l) { return new Options(headers, retry, maxDelay, maxSilence, l); }
    }

    private static final long STREAM_LIFETIME_DAYS = 365;      // the whole-exchange deadline: a stream may run long

    private final HttpClient client;
    private final URI uri;
    private final Options options;
    private final Listener listener;
    private final EventLoop loop;
    private final ClientTimeouts timeouts;
    private volatile ReadyState state = ReadyState.CONNECTING;
    private volatile String lastEventId;
    private volatile long attempts;
    // loop-only
    private long retryMillis;
    private int failuresInARow;
    private ClientCall call;
    private Attempt current;
    private Timer reconnect;

    private EventSource(HttpClient client, URI uri, Options options, Listener listener, String lastEventId) {
        this.client = client;
        this.uri = uri;
        this.options = options;
        this.listener = listener;
        this.lastEventId = lastEventId;
        this.loop = client.anyLoop();
        this.retryMillis = options.retry().toMillis();
        this.timeouts = client.timeouts().withRead(options.maxSilence()).withExchange(Duration.ofDays(STREAM_LIFETIME_DAYS));
    }

    /** Connects to {@code uri} on {@code client}'s loops; the listener hears from it until it closes. */
    public static EventSource connect(HttpClient client, URI uri, Options options, Listener listener) {
        return connect(client, uri, options, "", listener);
    }

    /** As {@link #connect(HttpClient, URI, Options, Listener)}, resuming after {@code lastEventId}. */
    public static EventSource connect(HttpClient client, URI uri, Options options, String lastEventId, Listener listener) {
        Origin.of(uri);                                          // an http URI, checked now
        var source = new EventSource(Objects.requireNonNull(client), uri, Objects.requireNonNull(options),
                Objects.requireNonNull(listener), Objects.requireNonNull(lastEventId));
        source.loop.execute(source::attempt);
        return source;
    }

    public ReadyState readyState() { return state; }

    /** The last event ID seen: what the next attempt sends as {@code Last-Event-ID}. */
    public String lastEventId() { return lastEventId; }

    /** Attempts made so far, the first included. */
    public long attempts() { return attempts; }

    /** Ends the stream for good; idempotent. */
    @Override public void close() {
        loop.execute(() -> end(new IOException("closed by the application")));
    }

    // ---- the loop's side ----

    private void attempt() {
        if (state == ReadyState.CLOSED) return;
        state = ReadyState.CONNECTING;
        attempts++;
        var request = ClientRequest.get(uri.toString()).header(FieldName.ACCEPT, "text/event-stream")
                .header(FieldName.CACHE_CONTROL, "no-store");
        for (Headers.Field f : options.headers()) request = request.header(f.name(), f.value());
        String id = lastEventId;
        if (!id.isEmpty()) request = request.header("last-event-id", id);
        current = new Attempt();
        call = client.send(request, current, timeouts);          // on this loop: its callbacks come here
    }

    /** The stream was lost: try again later, unless it is over. */
    private void lost(Throwable cause) {
        if (state == ReadyState.CLOSED) return;
        state = ReadyState.CONNECTING;
        long delay = retryMillis << Math.min(failuresInARow, 16);
        delay = Math.min(delay, Math.max(retryMillis, options.maxDelay().toMillis()));
        delay += ThreadLocalRandom.current().nextLong(delay / 10 + 1);    // spread a crowd's returns
        failuresInARow++;
        Duration in = Duration.ofMillis(delay);
        listener.onError(cause, in);
        if (reconnect == null) reconnect = loop.newTimer(this::attempt);
        reconnect.schedule(delay, TimeUnit.MILLISECONDS);
    }

    private void end(Throwable cause) {
        if (state == ReadyState.CLOSED) return;
        state = ReadyState.CLOSED;
        current = null;
        if (reconnect != null) reconnect.cancel();
        if (call != null) call.cancel();
        listener.onClosed(cause);
    }

    /** One attempt's response; callbacks from a superseded attempt are ignored. */
    private final class Attempt implements ResponseReader {
        private SseDecoder decoder;

        private boolean superseded() { return current != this || state == ReadyState.CLOSED; }

        @Override public void onHead(Status status, Headers headers) {
            if (superseded()) return;
            String type = headers.firstOr(FieldName.CONTENT_TYPE, "");
            int semicolon = type.indexOf(';');
            String essence = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
            if (status.code() != 200 || !essence.equals("text/event-stream")) {
                end(new IOException("the server answered " + status.code() + " " + (type.isEmpty() ? "without a content type" : type)
                        + ", not an event stream"));
                return;
            }
            decoder = new SseDecoder(options.limits(), lastEventId);
            state = ReadyState.OPEN;
            failuresInARow = 0;
            listener.onOpen();
        }

        @Override public boolean onBytes(ByteBuffer piece) {
            if (superseded() || decoder == null) return true;
            decoder.feed(piece);
            try {
                for (;;) {
                    SseEvent e = decoder.next();
                    switch (e) {
                        case SseEvent.Message m -> {
                            lastEventId = m.id();
                            listener.onMessage(m);
                            if (superseded()) return true;           // the listener closed us
                        }
                        case SseEvent.Retry r -> retryMillis = r.millis();
                        case SseEvent.Comment _ -> { }
                        case SseEvent.Signal _ -> { return true; }
                    }
                }
            } catch (PeerViolation v) {
                end(v);
                return true;
            }
        }

        @Override public void onEnd(Headers trailers) {
            if (superseded()) return;
            lastEventId = decoder.lastEventId();
            lost(new IOException("the stream ended"));
        }

        @Override public void onFailure(Throwable cause) {
            if (superseded()) return;
            lost(cause);
        }
    }

    @Override public String toString() {
        return "EventSource[" + uri + " " + state + Optional.of(lastEventId).filter(s -> !s.isEmpty()).map(s -> " after " + s).orElse("") + "]";
    }
}
