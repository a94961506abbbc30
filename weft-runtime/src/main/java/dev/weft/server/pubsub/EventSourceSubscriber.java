package dev.weft.server.pubsub;

import dev.weft.loop.Timer;
import dev.weft.loop.spi.TcpInfo;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.sse.SseEncoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.pubsub.Broker;
import dev.weft.pubsub.Message;
import dev.weft.pubsub.Resume;
import dev.weft.pubsub.Start;
import dev.weft.pubsub.Subscriber;
import dev.weft.pubsub.SubscriberQueue;
import dev.weft.pubsub.Subscription;
import dev.weft.server.Exchange;
import dev.weft.server.Request;
import dev.weft.server.sse.EventStream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An EventSource subscriber (docs/NCHAN.md N19 to N24): a {@link EventStream} that opens with
 * {@code : hi}, then one event per message, {@code id:} in Nchan's form, encoded once per message
 * for all subscribers ({@link #ENCODING}). Runs on the exchange's loop.
 *
 * <p>A message goes out at once while the connection is below its high-water mark, else into
 * the subscriber's bounded queue, drained when the connection can take more; a full queue applies
 * the route's overflow policy (by default the stream is closed, and the browser's reconnection,
 * with its {@code Last-Event-ID}, is told what it missed).
 */
final class EventSourceSubscriber implements Subscriber, PubSubRoutes.Streaming {
    /** A message as an SSE event: its type, Nchan's id, its bytes as UTF-8 data lines. */
    static final Message.Encoder<ByteBuffer> ENCODING = m -> SseEncoder.toBuffer(new SseEvent.Message(
            m.eventType().isEmpty() ? SseEvent.Message.DEFAULT_TYPE : m.eventType(),
            StandardCharsets.UTF_8.decode(m.bytes()).toString(), Cursor.idOf(m)));
    private static final ByteBuffer GONE = ByteBuffer.wrap(":410: 410 Gone\n\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final ByteBuffer TIMEOUT = ByteBuffer.wrap(":408: 408 Request Timeout\n\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final PubSubRoutes routes;
    private final String channel;
    private final Exchange exchange;
    private final EventStream.Options streamOptions;
    private final SubscriberQueue queue;
    private EventStream events;                       // opened once the subscription is in
    private Subscription subscription;
    private Timer quiet;                              // the subscriber timeout, if the route has one
    private boolean waitingForReady;

    private volatile int queued;                      // the queue's size, for the stats on other threads
    private volatile TcpInfo tcp;                     // sampled on the loop when the stats ask

    private EventSourceSubscriber(PubSubRoutes routes, String channel, Exchange exchange, EventStream.Options streamOptions) {
        this.routes = routes;
        this.channel = channel;
        this.exchange = exchange;
        this.streamOptions = streamOptions;
        var o = routes.options;
        this.queue = new SubscriberQueue(o.queueMessages(), o.queueBytes(), o.overflow());
    }

    /**
     * On the loop, in the handler: the subscription, then (once it is in) the stream's head and
     * the backlog. A refusal is a plain HTTP answer, before any stream (N20).
     */
    static void open(PubSubRoutes routes, String channel, Request request, Exchange exchange, Start start) {
        Headers cors = PubSubRoutes.corsHeaders(request);
        var options = cors.isEmpty() ? routes.streamOptions : routes.streamOptions.withHeaders(cors);
        var subscriber = new EventSourceSubscriber(routes, channel, exchange, options);
        if (routes.broker.subscribe(exchange.loop(), channel, start, subscriber) instanceof Broker.Subscribed.Refused r) {
            exchange.reply(routes.refused(request, r.why()));
        }
    }

    @Override public void onStart(Subscription s, Resume resume) {
        subscription = s;
        exchange.writeWatermarks(PubSubRoutes.HIGH_WATER, PubSubRoutes.LOW_WATER);
        events = EventStream.open(exchange, streamOptions);
        routes.streaming.add(this);
        events.onClose(() -> {
            routes.streaming.remove(this);
            s.cancel();
        });
        var timeout = routes.options.subscriberTimeout();
        if (!timeout.isZero()) {
            quiet = exchange.loop().newTimer(this::timedOut);
            quiet.schedule(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (routes.options.reportResume() && resume.status() != Resume.Status.COMPLETE) {
            events.send(SseEvent.Message.of("weft-resume", LongPollSubscriber.describe(resume)));
        }
    }

    @Override public void onMessage(Message m) {
        if (quiet != null) quiet.schedule(routes.options.subscriberTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (queue.isEmpty() && events.isReady()) {
            write(m);
            return;
        }
        if (queue.offer(m) == SubscriberQueue.Offer.OVERFLOW) {
            end(EndReason.QUEUE_OVERFLOW);
            return;
        }
        queued = queue.size();
        if (!waitingForReady) {
            waitingForReady = true;
            events.onReady(this::flush);
        }
    }

    private void flush() {
        waitingForReady = false;
        while (!queue.isEmpty() && events.isReady()) write(queue.poll());
        queued = queue.size();
        if (!queue.isEmpty() && events.isOpen()) {
            waitingForReady = true;
            events.onReady(this::flush);
        }
    }

    private void write(Message m) {
        routes.delivered.increment();
        events.sendEncoded(m.encoded(ENCODING));
    }

    @Override public String channel() { return channel; }

    @Override public String transport() { return "eventsource"; }

    @Override public int queued() { return queued; }

    @Override public TcpInfo tcp() { return tcp; }

    @Override public void sampleTcp() { PubSubRoutes.sample(exchange.loop(), exchange::tcpInfo, t -> tcp = t); }

    @Override public long behind() {
        Subscription s = subscription;
        return s == null ? 0 : s.lag();
    }

    @Override public void onEnd(EndReason reason) { end(reason); }

    private void end(EndReason reason) {
        queue.clear();
        queued = 0;
        routes.streaming.remove(this);
        if (quiet != null) quiet.cancel();
        if (subscription != null) subscription.cancel();
        switch (reason) {
            case TOPIC_DELETED -> endWith(GONE);
            case SHUTDOWN -> events.close(java.time.Duration.ofSeconds(1));
            case QUEUE_OVERFLOW, CANCELLED -> events.close();
        }
    }

    private void timedOut() {
        if (subscription != null) subscription.cancel();
        endWith(TIMEOUT);
    }

    /** N24: an ending status is a comment, then the stream closes. */
    private void endWith(ByteBuffer comment) {
        if (events.isOpen()) events.sendEncoded(comment);
        events.close();
    }
}
