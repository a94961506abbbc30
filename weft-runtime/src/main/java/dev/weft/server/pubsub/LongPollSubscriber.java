package dev.weft.server.pubsub;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.pubsub.Broker;
import dev.weft.pubsub.Message;
import dev.weft.pubsub.Resume;
import dev.weft.pubsub.Start;
import dev.weft.pubsub.Subscriber;
import dev.weft.pubsub.Subscription;
import dev.weft.server.Exchange;
import dev.weft.server.HttpDates;
import dev.weft.server.Request;
import dev.weft.server.Response;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One long-poll (docs/NCHAN.md N15, N16): the request parks, holding no thread, until the first
 * message after its cursor, which is its answer, with the cursor for the next request in
 * {@code Last-Modified} and {@code Etag}. Everything runs on the exchange's loop.
 *
 * <p>Endings, each answered once: a message (200); the long-poll deadline (408, the cursor
 * echoed so the client keeps its place); the topic deleted (410); a graceful stop (503 with
 * {@code Retry-After}, the cursor echoed); the client gone (the subscription is dropped at once,
 * nothing is written).
 */
final class LongPollSubscriber implements Subscriber {
    private final PubSubRoutes routes;
    private final String channel;
    private final Request request;
    private final Exchange exchange;
    private final Cursor cursor;
    private Subscription subscription;
    private Resume resume = Resume.COMPLETE;
    private boolean answered;
    private boolean joining;
    private boolean parked;                           // counted in the routes' long-polls
    private Response held;                            // answered while joining: sent once unsubscribed

    LongPollSubscriber(PubSubRoutes routes, String channel, Request request, Exchange exchange, Cursor cursor) {
        this.routes = routes;
        this.channel = channel;
        this.request = request;
        this.exchange = exchange;
        this.cursor = cursor;
    }

    /** On the loop, in the handler. */
    void start(Start start) {
        joining = true;
        Broker.Subscribed result = routes.broker.subscribe(exchange.loop(), channel, start, this);
        joining = false;
        switch (result) {
            case Broker.Subscribed.Refused r -> {
                answered = true;
                exchange.reply(routes.refused(request, r.why()));
            }
            case Broker.Subscribed.Accepted a -> {
                subscription = a.subscription();
                if (answered) {                               // the backlog had its message
                    subscription.cancel();
                    exchange.reply(held);
                    held = null;
                    return;
                }
                parked = true;
                routes.longPolls.incrementAndGet();
                exchange.onCancel(this::leave);
                exchange.onDrain(this::drain);
                exchange.replyTimeout(routes.options.longPollTimeout(), this::timedOut);   // the connection's timer, no new one
            }
        }
    }

    @Override public void onStart(Subscription s, Resume r) {
        resume = r;
    }

    @Override public void onMessage(Message m) {
        if (answered) return;
        answered = true;
        routes.delivered.increment();
        // Unsubscribed before the reply leaves: a client that asks for the channel's info the
        // moment it has its message, on another loop, must not find itself still counted (Nchan
        // does not count it). While joining, the subscription is cancelled by start().
        reply(message(m));
    }

    @Override public void onEnd(EndReason reason) {
        if (answered) return;
        answered = true;
        Status status = reason == EndReason.TOPIC_DELETED ? Status.GONE : Status.SERVICE_UNAVAILABLE;
        reply(status(status, status == Status.SERVICE_UNAVAILABLE));
    }

    private void reply(Response response) {
        if (joining) {
            held = response;
            return;
        }
        finish();
        exchange.reply(response);
    }

    private void finish() {
        if (parked) {
            parked = false;
            routes.longPolls.decrementAndGet();
        }
        if (subscription != null) subscription.cancel();
    }

    private void leave() {
        answered = true;
        finish();
    }

    private void timedOut() {
        if (answered) return;
        answered = true;
        finish();
        exchange.reply(status(Status.REQUEST_TIMEOUT, false));
    }

    private void drain() {
        if (answered) return;
        answered = true;
        finish();
        exchange.reply(status(Status.SERVICE_UNAVAILABLE, true));
    }

    /** N15: the message, its content type, and the cursor that asks for the one after it. */
    private Response message(Message m) {
        var h = new Headers(8);
        if (!m.contentType().isEmpty()) h.add(FieldName.CONTENT_TYPE, m.contentType());
        h.add(FieldName.LAST_MODIFIED, HttpDates.format(m.seconds()));
        h.add("Etag", Integer.toString(m.tag()));
        cursorHeaders(h);
        if (routes.options.reportResume() && resume.status() != Resume.Status.COMPLETE) h.add("weft-resume", describe(resume));
        return new Response(Status.OK, h, m.bytes());
    }

    /** N16: a status with the cursor echoed (the tag in Etag), so the client's next request keeps its place. */
    private Response status(Status status, boolean retryLater) {
        var h = new Headers(8);
        if (cursor instanceof Cursor.After(long seconds, int tag)) {
            if (retryLater) h.add(FieldName.LAST_MODIFIED, HttpDates.format(seconds));
            h.add("Etag", Integer.toString(tag));
        }
        cursorHeaders(h);
        // A stopping server spreads its clients' returns: 1 to 3 seconds.
        if (retryLater) h.add("retry-after", Integer.toString(1 + ThreadLocalRandom.current().nextInt(3)));
        return new Response(status, h, ByteBuffer.allocate(0));
    }

    private void cursorHeaders(Headers h) {
        String origin = request.headers().firstOr("origin", null);
        if (origin != null) h.add("access-control-expose-headers", "Last-Modified, Etag, Content-Type");
        h.add(FieldName.VARY, PubSubRoutes.VARY);
        if (origin != null) {
            h.add("access-control-allow-origin", origin);
            h.add("access-control-allow-credentials", "true");
        }
    }

    /** The Weft-Resume value: {@code gap}, {@code gap; lost=3}, {@code other-epoch} or {@code future}. */
    static String describe(Resume r) {
        return switch (r.status()) {
            case COMPLETE -> "complete";
            case GAP -> r.lost() > 0 ? "gap; lost=" + r.lost() : "gap";
            case OTHER_EPOCH -> "other-epoch";
            case FUTURE -> "future";
        };
    }
}
