package dev.weft.server.pubsub;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.pubsub.Authorizer;
import dev.weft.pubsub.Broker;
import dev.weft.pubsub.Refusal;
import dev.weft.pubsub.Start;
import dev.weft.pubsub.TopicInfo;
import dev.weft.server.Exchange;
import dev.weft.server.Handler;
import dev.weft.server.Request;
import dev.weft.server.Response;
import dev.weft.server.sse.EventStream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.Optional;
import java.util.function.Function;

/**
 * Topics served over HTTP, speaking Nchan's publisher and subscriber protocol (docs/NCHAN.md), so
 * that Nchan's JavaScript client and applications written for Nchan work unchanged:
 * <pre>{@code
 * var loops = EventLoopGroup.start(LoopConfig.defaults());
 * var topics = Topics.on(loops);
 * var pubsub = PubSubRoutes.of(topics);
 * Server.builder().group(loops)
 *     .any("/pub/{channel}", pubsub.publisher(r -> r.pathParam("channel")))
 *     .any("/sub/{channel}", pubsub.subscriber(r -> r.pathParam("channel")))
 *     .start();
 * }</pre>
 * The subscriber endpoint picks the transport by the request, in Nchan's order (N11): a
 * WebSocket handshake, then an {@code Accept} that names {@code text/event-stream}, then a
 * long-poll. {@link #longPoll}, {@link #eventSource} and {@link #webSocket} serve one transport
 * each. Every handler runs on the loop and holds no thread while its subscriber waits.
 */
public final class PubSubRoutes {
    static final String VARY = "If-None-Match, If-Modified-Since";
    /**
     * Output water marks of a streaming subscriber's connection. The kernel's socket buffers hold
     * far more than this already; past it, messages wait in the subscriber's queue, where each
     * costs a reference to the one shared message rather than bytes of its own, so fifteen
     * thousand subscribers that stop reading hold little.
     */
    static final int HIGH_WATER = 16 << 10, LOW_WATER = 4 << 10;
    static final String INVALID_ID = "Message ID invalid";

    final Broker broker;
    final PubSubOptions options;
    final AtomicInteger longPolls = new AtomicInteger();
    final LongAdder delivered = new LongAdder();
    /** SSE and WebSocket subscribers now, for their counts and lag. */
    final Set<Streaming> streaming = ConcurrentHashMap.newKeySet();

    /** A subscriber with a queue (EventSource, WebSocket), as the stats see it; any thread, values a little stale. */
    interface Streaming {
        String channel();

        String transport();

        int queued();

        long behind();

        /** The connection's TCP_INFO as last sampled, or null. */
        dev.weft.loop.spi.TcpInfo tcp();

        /** Any thread: samples TCP_INFO again on the subscriber's loop, for the next {@link #tcp()}. */
        void sampleTcp();
    }

    private PubSubRoutes(Broker broker, PubSubOptions options) {
        this.broker = Objects.requireNonNull(broker);
        this.options = Objects.requireNonNull(options);
        this.streamOptions = EventStream.Options.DEFAULTS.withHeartbeat(options.heartbeat()).withOpeningComment("hi")
                .withCloseDelimited(true);
    }

    /** The event streams' options, made once: most subscribers share them (CORS headers make their own). */
    final EventStream.Options streamOptions;

    public static PubSubRoutes of(Broker broker) { return new PubSubRoutes(broker, PubSubOptions.DEFAULTS); }

    public static PubSubRoutes of(Broker broker, PubSubOptions options) { return new PubSubRoutes(broker, options); }

    public PubSubOptions options() { return options; }

    /** Subscribers now and the {@code slowest} furthest behind (any thread; scans the streaming subscribers). */
    public PubSubStats stats(int slowest) {
        int eventSources = 0, webSockets = 0;
        var lags = new java.util.ArrayList<Ranked>();
        for (Streaming s : streaming) {
            if (s.transport().equals("websocket")) webSockets++;
            else eventSources++;
            int queued = s.queued();
            if (queued > 0 || lags.size() < slowest) lags.add(new Ranked(s, s.behind()));
        }
        lags.sort(java.util.Comparator.comparingLong(Ranked::behind).reversed());
        var chosen = new java.util.ArrayList<PubSubStats.Lag>();
        for (var r : lags.subList(0, Math.min(slowest, lags.size()))) {
            var tcp = r.s().tcp();
            chosen.add(new PubSubStats.Lag(r.s().channel(), r.s().transport(), r.s().queued(), r.behind(),
                    tcp == null ? -1 : tcp.rttMicros(), tcp == null ? -1 : tcp.congestionWindow()));
            r.s().sampleTcp();                  // for the next call: TCP_INFO is read on the connection's loop
        }
        return new PubSubStats(longPolls.get(), eventSources, webSockets, delivered.sum(), List.copyOf(chosen));
    }

    private record Ranked(Streaming s, long behind) {}

    /** Samples {@code read} on {@code loop} into {@code into}, dropping the sample if the loop is gone or busy. */
    static void sample(dev.weft.loop.EventLoop loop, java.util.function.Supplier<java.util.Optional<dev.weft.loop.spi.TcpInfo>> read,
                       java.util.function.Consumer<dev.weft.loop.spi.TcpInfo> into) {
        try {
            loop.execute(() -> into.accept(read.get().orElse(null)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // a stopping loop or a full inbox: this sample is skipped, the next call tries again
        }
    }

    /** The publisher endpoint (N4): POST or PUT publish, GET channel info, DELETE, OPTIONS; register with {@code any}. */
    public Handler.Async publisher(Function<Request, String> channel) {
        return (request, exchange) -> publish(channel, request, exchange);
    }

    /** The subscriber endpoint (N11): WebSocket, EventSource or long-poll, by the request; register with {@code any}. */
    public Handler.Async subscriber(Function<Request, String> channel) {
        return (request, exchange) -> subscribe(channel, request, exchange, Transport.ANY);
    }

    /** Long-poll only: one message per request, the cursor in Last-Modified and Etag. */
    public Handler.Async longPoll(Function<Request, String> channel) {
        return (request, exchange) -> subscribe(channel, request, exchange, Transport.LONG_POLL);
    }

    /** EventSource only: a {@code text/event-stream} of the topic's messages. */
    public Handler.Async eventSource(Function<Request, String> channel) {
        return (request, exchange) -> subscribe(channel, request, exchange, Transport.EVENT_SOURCE);
    }

    /** WebSocket only: one frame per message, with Nchan's {@code ws+meta.nchan} subprotocol when asked for. */
    public Handler.Async webSocket(Function<Request, String> channel) {
        return (request, exchange) -> subscribe(channel, request, exchange, Transport.WEBSOCKET);
    }

    enum Transport { ANY, LONG_POLL, EVENT_SOURCE, WEBSOCKET }

    // ---- publisher ----

    private void publish(Function<Request, String> channel, Request request, Exchange exchange) throws Exception {
        Method method = request.method();
        if (method == Method.OPTIONS) {
            exchange.reply(preflight(request, "GET, POST, PUT, DELETE", "Content-Type, X-EventSource-Event"));
            return;
        }
        String name = channelOf(channel, request, exchange, Authorizer.Action.PUBLISH);
        if (name == null) return;
        if (method == Method.GET || method == Method.HEAD) {
            Optional<TopicInfo> info = broker.info(name);
            exchange.reply(info.isPresent() ? info(request, Status.OK, info.get(), info.get().subscribers()) : empty(request, Status.NOT_FOUND));
        } else if (method == Method.DELETE) {
            Optional<TopicInfo> info = broker.info(name);
            exchange.reply(info.isPresent() && broker.delete(name)
                    ? info(request, Status.OK, info.get(), info.get().subscribers()) : empty(request, Status.NOT_FOUND));
        } else if (method == Method.POST || method == Method.PUT) {
            Handler.buffered(maxMessageBytes(), (r, ex) -> publishBody(name, r, ex)).handle(request, exchange);
        } else {
            exchange.reply(cors(request, Response.text(Status.METHOD_NOT_ALLOWED, "")
                    .withHeader(FieldName.ALLOW, "GET, POST, PUT, DELETE, OPTIONS")));
        }
    }

    private long maxMessageBytes() {
        return broker instanceof dev.weft.pubsub.Topics t ? t.limits().maxMessageBytes() : 1L << 20;
    }

    private void publishBody(String name, Request request, Exchange exchange) {
        String type = request.headers().firstOr(FieldName.CONTENT_TYPE, "");
        String event = request.headers().firstOr("x-eventsource-event", "");
        if (event.indexOf('\r') >= 0 || event.indexOf('\n') >= 0) event = "";
        switch (broker.publish(name, type, event, request.body())) {
            case Broker.Published.Accepted a -> {
                TopicInfo info = broker.info(name).orElse(null);
                Status status = a.subscribers() > 0 ? Status.CREATED : Status.ACCEPTED;
                exchange.reply(info == null ? empty(request, status) : info(request, status, info, a.subscribers()));
            }
            case Broker.Published.Refused r -> exchange.reply(refused(request, r.why()));
        }
    }

    private Response info(Request request, Status status, TopicInfo info, int subscribers) {
        ChannelInfo format = ChannelInfo.forAccept(request.headers().firstOr(FieldName.ACCEPT, null));
        byte[] body = format.render(info, subscribers, System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
        return cors(request, Response.bytes(status, format.contentType, body));
    }

    // ---- subscriber ----

    private void subscribe(Function<Request, String> channel, Request request, Exchange exchange, Transport transport) throws Exception {
        Method method = request.method();
        if (method == Method.OPTIONS) {
            exchange.reply(preflight(request, "GET", "If-None-Match, If-Modified-Since, Content-Type, Cache-Control, X-EventSource-Event, Etag, Last-Event-ID"));
            return;
        }
        if (method != Method.GET && method != Method.HEAD) {
            exchange.reply(empty(request, Status.FORBIDDEN));                  // N11: publishing here is refused
            return;
        }
        String name = channelOf(channel, request, exchange, Authorizer.Action.SUBSCRIBE);
        if (name == null) return;
        Cursor cursor = Cursor.of(request);
        boolean upgrade = request.isUpgrade() && request.headers().containsToken(FieldName.UPGRADE, "websocket");
        boolean stream = request.headers().firstOr(FieldName.ACCEPT, "").contains("text/event-stream");
        Transport chosen = transport != Transport.ANY ? transport
                : upgrade ? Transport.WEBSOCKET : stream ? Transport.EVENT_SOURCE : Transport.LONG_POLL;
        if (cursor == Cursor.Invalid.INVALID) {
            // N13, byte for byte: Nchan says text/plain without a charset and no Vary here
            exchange.reply(cors(request, Response.bytes(Status.BAD_REQUEST, "text/plain",
                    INVALID_ID.getBytes(StandardCharsets.US_ASCII))));
            return;
        }
        Start start = cursor instanceof Cursor.After after ? after.start() : options.firstMessage();
        switch (chosen) {
            case LONG_POLL -> new LongPollSubscriber(this, name, request, exchange, cursor).start(start);
            case EVENT_SOURCE -> EventSourceSubscriber.open(this, name, request, exchange, start);
            case WEBSOCKET -> WebSocketSubscriber.upgrade(this, name, request, exchange, start);
            case ANY -> throw new AssertionError();
        }
    }

    /** The channel named by the request, checked (N10) and authorised; null when already answered. */
    private String channelOf(Function<Request, String> channel, Request request, Exchange exchange, Authorizer.Action action) {
        String origin = request.headers().firstOr("origin", null);
        if (origin != null && !options.allowOrigin().test(origin)) {
            exchange.reply(Response.text(Status.FORBIDDEN, "origin not allowed\n"));
            return null;
        }
        String name = channel.apply(request);
        if (name == null || name.isEmpty()) {
            exchange.reply(cors(request, Response.text(Status.BAD_REQUEST, "no channel id\n")));
            return null;
        }
        if (name.length() > options.maxChannelIdBytes() || name.getBytes(StandardCharsets.UTF_8).length > options.maxChannelIdBytes()) {
            exchange.reply(cors(request, Response.text(Status.FORBIDDEN, "channel id longer than " + options.maxChannelIdBytes() + " bytes\n")));
            return null;
        }
        if (!options.authorizer().allows(name, action, request)) {
            exchange.reply(cors(request, Response.text(Status.FORBIDDEN, "not allowed\n")));
            return null;
        }
        return name;
    }

    // ---- answers shared by the transports ----

    /** What a refusal is answered with over HTTP. */
    Response refused(Request request, Refusal why) {
        Status status = switch (why) {
            case BAD_TOPIC_NAME -> Status.BAD_REQUEST;
            case MESSAGE_TOO_LARGE -> Status.CONTENT_TOO_LARGE;
            case TOO_MANY_SUBSCRIBERS -> Status.FORBIDDEN;                       // Nchan's answer to a full channel (N16)
            case TOO_MANY_TOPICS, OVERLOADED, CLOSED -> Status.SERVICE_UNAVAILABLE;
        };
        String reason = switch (why) {
            case BAD_TOPIC_NAME -> "a channel id has no control characters\n";
            case MESSAGE_TOO_LARGE -> "message too large\n";
            case TOO_MANY_SUBSCRIBERS -> "channel full\n";
            case TOO_MANY_TOPICS -> "too many channels\n";
            case OVERLOADED -> "subscribers too far behind; try again\n";
            case CLOSED -> "shutting down\n";
        };
        Response r = cors(request, Response.text(status, reason));
        return status == Status.SERVICE_UNAVAILABLE ? r.withHeader("retry-after", "1") : r;
    }

    Response empty(Request request, Status status) {
        return cors(request, new Response(status, new Headers(2), ByteBuffer.allocate(0)));
    }

    /** N17: with an Origin, echo it and allow credentials. */
    static Response cors(Request request, Response response) {
        String origin = request.headers().firstOr("origin", null);
        if (origin == null) return response;
        return response.withHeader("access-control-allow-origin", origin).withHeader("access-control-allow-credentials", "true");
    }

    /** The CORS pair as headers, for a stream's head. */
    static Headers corsHeaders(Request request) {
        String origin = request.headers().firstOr("origin", null);
        return origin == null ? Headers.empty()
                : Headers.of("access-control-allow-origin", origin, "access-control-allow-credentials", "true");
    }

    private Response preflight(Request request, String methods, String headers) {
        Response r = new Response(Status.OK, new Headers(6), ByteBuffer.allocate(0)).withHeader(FieldName.ALLOW, methods);
        if (request.headers().contains("origin")) {
            r = cors(request, r.withHeader("access-control-allow-headers", headers).withHeader("access-control-allow-methods", methods));
        }
        return r;
    }
}
