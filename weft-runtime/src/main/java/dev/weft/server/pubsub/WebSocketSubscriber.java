package dev.weft.server.pubsub;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.loop.spi.TcpInfo;
import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.websocket.FrameEncoder;
import dev.weft.protocol.websocket.MessageType;
import dev.weft.pubsub.Broker;
import dev.weft.pubsub.Message;
import dev.weft.pubsub.Resume;
import dev.weft.pubsub.Start;
import dev.weft.pubsub.Subscriber;
import dev.weft.pubsub.SubscriberQueue;
import dev.weft.pubsub.Subscription;
import dev.weft.server.Exchange;
import dev.weft.server.Request;
import dev.weft.server.websocket.WebSockets;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket subscriber (docs/NCHAN.md N25 to N28): one frame per message; with the
 * {@code ws+meta.nchan} subprotocol each carries Nchan's meta header ({@code id:}, then
 * {@code content-type:} if any, then a blank line) before the message. Text frames, or binary for
 * {@code application/octet-stream} and for bytes that are not UTF-8 (a text frame must be, RFC
 * 6455 §5.6). Each frame is encoded once per message for every subscriber where the connection
 * allows it ({@link WebSocket#acceptsEncoded()}); a connection with compression gets its own.
 *
 * <p>Endings: topic deleted, 1001 {@code 410 Gone}; queue overflow, 1008; subscriber timeout,
 * 1000 {@code 408 Request Timeout}; a message from the client, 1008 (publishing is not allowed
 * here); a graceful stop, 1001 (the server's drain).
 */
final class WebSocketSubscriber implements WebSocketHandler, Subscriber, PubSubRoutes.Streaming {
    static final String META = "ws+meta.nchan";
    static final Message.Encoder<ByteBuffer> META_FRAME = m -> frame(m, true);
    static final Message.Encoder<ByteBuffer> PLAIN_FRAME = m -> frame(m, false);

    private final PubSubRoutes routes;
    private final String channel;
    private final Start start;
    private final EventLoop loop;
    private final boolean reportResume;
    private final SubscriberQueue queue;
    private WebSocket ws;
    private boolean meta;
    private Subscription subscription;
    private Timer quiet;
    private boolean sending;                           // a send's stage is awaited: queue behind it
    private volatile int queued;                       // the queue's size, for the stats on other threads
    private volatile TcpInfo tcp;                      // sampled on the loop when the stats ask

    private WebSocketSubscriber(PubSubRoutes routes, String channel, Start start, EventLoop loop, boolean reportResume) {
        this.routes = routes;
        this.channel = channel;
        this.start = start;
        this.loop = loop;
        this.reportResume = reportResume;
        var o = routes.options;
        this.queue = new SubscriberQueue(o.queueMessages(), o.queueBytes(), o.overflow());
    }

    /** The handshake (N25: version 13, {@code ws+meta.nchan} chosen wherever it is offered), then the session. */
    static void upgrade(PubSubRoutes routes, String channel, Request request, Exchange exchange, Start start) throws Exception {
        var options = routes.options.webSocket();
        if (!options.handshake().subprotocols().contains(META)) {
            var protocols = new java.util.ArrayList<>(options.handshake().subprotocols());
            protocols.add(META);
            options = options.withHandshake(options.handshake().withSubprotocols(protocols.toArray(String[]::new)));
        }
        boolean report = routes.options.reportResume() && request.queryParam("weft_resume").isPresent();
        var subscriber = new WebSocketSubscriber(routes, channel, start, exchange.loop(), report);
        WebSockets.route(options, _ -> subscriber).handle(request, exchange);
    }

    // ---- the WebSocket ----

    @Override public void onOpen(WebSocket socket) {
        ws = socket;
        socket.writeWatermarks(PubSubRoutes.HIGH_WATER, PubSubRoutes.LOW_WATER);
        meta = socket.subprotocol().map(META::equals).orElse(false);
        if (routes.broker.subscribe(loop, channel, start, this) instanceof Broker.Subscribed.Refused r) {
            socket.close(r.why() == dev.weft.pubsub.Refusal.CLOSED ? 1001 : 1008, r.why().toString());
            return;
        }
        var timeout = routes.options.subscriberTimeout();
        if (!timeout.isZero() && subscription != null && !subscription.isCancelled()) {
            quiet = loop.newTimer(() -> end(1000, "408 Request Timeout"));
            quiet.schedule(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override public void onText(WebSocket socket, String text) { end(1008, "Publishing not allowed."); }

    @Override public void onBinary(WebSocket socket, ByteBuffer bytes) { end(1008, "Publishing not allowed."); }

    @Override public void onClose(WebSocket socket, int code, String reason) {
        routes.streaming.remove(this);
        queue.clear();
        queued = 0;
        if (quiet != null) quiet.cancel();
        if (subscription != null) subscription.cancel();
    }

    // ---- the topic ----

    @Override public void onStart(Subscription s, Resume resume) {
        subscription = s;
        routes.streaming.add(this);
        if (reportResume && resume.status() != Resume.Status.COMPLETE) ws.sendText("weft-resume: " + LongPollSubscriber.describe(resume) + "\n\n");
    }

    @Override public void onMessage(Message m) {
        if (quiet != null) quiet.schedule(routes.options.subscriberTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (!sending && queue.isEmpty() && ws.isWritable()) {
            send(m);
            return;
        }
        if (queue.offer(m) == SubscriberQueue.Offer.OVERFLOW) end(1008, "subscriber too slow");
        else queued = queue.size();
    }

    @Override public String channel() { return channel; }

    @Override public String transport() { return "websocket"; }

    @Override public int queued() { return queued; }

    @Override public TcpInfo tcp() { return tcp; }

    @Override public void sampleTcp() {
        // ws is the loop's field: read there, not here
        PubSubRoutes.sample(loop, () -> ws == null ? java.util.Optional.empty() : ws.tcpInfo(), t -> tcp = t);
    }

    @Override public long behind() {
        Subscription s = subscription;
        return s == null ? 0 : s.lag();
    }

    @Override public void onEnd(EndReason reason) {
        switch (reason) {
            case TOPIC_DELETED -> end(1001, "410 Gone");
            case SHUTDOWN -> end(1001, "server going away");
            case QUEUE_OVERFLOW -> end(1008, "subscriber too slow");
            case CANCELLED -> end(1000, "");
        }
    }

    private void send(Message m) {
        routes.delivered.increment();
        var stage = ws.acceptsEncoded() ? ws.sendEncoded(m.encoded(meta ? META_FRAME : PLAIN_FRAME)) : sendOwn(m);
        if (!ws.isWritable()) {
            sending = true;
            stage.whenComplete((_, failure) -> loop.execute(() -> {
                sending = false;
                if (failure == null) flush();
            }));
        }
    }

    /** For a connection that compresses: its own frame, built from the same payload. */
    private java.util.concurrent.CompletionStage<Void> sendOwn(Message m) {
        ByteBuffer payload = payload(m, meta);
        return binary(m) ? ws.sendBinary(payload) : ws.sendText(StandardCharsets.UTF_8.decode(payload));
    }

    private void flush() {
        while (!sending && !queue.isEmpty() && ws.isWritable()) send(queue.poll());
        queued = queue.size();
    }

    private void end(int code, String reason) {
        routes.streaming.remove(this);
        queue.clear();
        queued = 0;
        if (quiet != null) quiet.cancel();
        if (subscription != null) subscription.cancel();
        if (ws != null) ws.close(code, reason);
    }

    // ---- encodings ----

    private static ByteBuffer frame(Message m, boolean meta) {
        var out = new Bytes();
        FrameEncoder.server().message(binary(m) ? MessageType.BINARY : MessageType.TEXT, payload(m, meta), out);
        return out.toBuffer();
    }

    /** N27: the meta header, then the body; the body alone without the subprotocol. */
    private static ByteBuffer payload(Message m, boolean meta) {
        if (!meta) return m.bytes();
        String head = "id: " + Cursor.idOf(m) + "\n" + (m.contentType().isEmpty() ? "" : "content-type: " + m.contentType() + "\n") + "\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.allocate(h.length + m.size());
        all.put(h).put(m.bytes()).flip();
        return all;
    }

    private static boolean binary(Message m) {
        return m.contentType().regionMatches(true, 0, "application/octet-stream", 0, 24) || !isUtf8(m.bytes());
    }

    private static boolean isUtf8(ByteBuffer bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A sink that keeps what it is given, for an encoding built once. */
    private static final class Bytes implements ByteSink {
        private byte[] data = new byte[64];
        private int size;

        @Override public void write(byte[] bytes, int offset, int length) {
            if (size + length > data.length) data = Arrays.copyOf(data, Math.max(2 * data.length, size + length));
            System.arraycopy(bytes, offset, data, size, length);
            size += length;
        }

        @Override public void write(ByteBuffer bytes) {
            int n = bytes.remaining();
            if (size + n > data.length) data = Arrays.copyOf(data, Math.max(2 * data.length, size + n));
            bytes.get(data, size, n);
            size += n;
        }

        ByteBuffer toBuffer() { return ByteBuffer.wrap(data, 0, size).slice().asReadOnlyBuffer(); }
    }
}
