package dev.weft.cli;

import dev.weft.server.Exchange;
import dev.weft.server.Response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The demo's long-poll chat: a bounded history of messages with ids, and the exchanges parked
 * until a message newer than the one they have arrives. A poll costs no thread while it waits;
 * the message that wakes it is answered from the poster's thread, and a poller that leaves is
 * dropped at once through {@link Exchange#onCancel}.
 *
 * <p>Bounded both ways (ARCHITECTURE.md rule 4): the last {@value #HISTORY} messages are kept, and at most
 * {@value #MAX_PARKED} polls wait at once; one more is answered 503 at once.
 */
final class ChatRoom {
    static final int HISTORY = 100;
    static final int MAX_PARKED = 10_000;
    static final int MAX_TEXT = 500;

    record Message(long id, long epochMillis, String text) {}

    private final ArrayDeque<Message> history = new ArrayDeque<>();
    private final Set<Parked> parked = new LinkedHashSet<>();
    private long lastId;

    private record Parked(Exchange exchange, long after) {}

    /** Answers at once if there is news after {@code after}, else parks the exchange. */
    void poll(Exchange exchange, long after) {
        List<Message> news;
        var waiter = new Parked(exchange, after);
        synchronized (this) {
            news = newerThan(history, after);
            if (news.isEmpty()) {
                if (parked.size() >= MAX_PARKED) {
                    news = null;
                } else {
                    parked.add(waiter);
                }
            }
        }
        if (news == null) {
            exchange.reply(Response.text(dev.weft.protocol.http.Status.SERVICE_UNAVAILABLE, "too many waiting polls"));
        } else if (!news.isEmpty()) {
            exchange.reply(Response.json(json(news)));
        } else {
            exchange.onCancel(() -> forget(waiter));
        }
    }

    /** Adds a message and answers every parked poll, from the caller's thread. */
    Message say(String text, long epochMillis) {
        Message m;
        List<Parked> woken;
        List<Message> snapshot;
        synchronized (this) {
            m = new Message(++lastId, epochMillis, text);
            history.addLast(m);
            if (history.size() > HISTORY) history.removeFirst();
            woken = new ArrayList<>(parked);
            parked.clear();
            snapshot = List.copyOf(history);
        }
        // Polls that saw the same last message get the same answer: built once, not once each.
        var answers = new HashMap<Long, Response>();
        for (Parked p : woken) {
            p.exchange.reply(answers.computeIfAbsent(p.after, after -> Response.json(json(newerThan(snapshot, after)))));
        }
        return m;
    }

    /** Answers every parked poll that has waited long enough with an empty list, so clients poll again. */
    void expireAll() {
        List<Parked> all;
        synchronized (this) {
            all = new ArrayList<>(parked);
            parked.clear();
        }
        var nothing = Response.json("[]");
        for (Parked p : all) p.exchange.reply(nothing);
    }

    synchronized int parkedCount() { return parked.size(); }

    private synchronized void forget(Parked p) { parked.remove(p); }

    private static List<Message> newerThan(Iterable<Message> messages, long after) {
        var out = new ArrayList<Message>();
        for (Message m : messages) if (m.id > after) out.add(m);
        return out;
    }

    static String json(List<Message> messages) {
        var sb = new StringBuilder("[");
        for (Message m : messages) {
            if (sb.length() > 1) sb.append(',');
            sb.append("{\"id\":").append(m.id).append(",\"time\":").append(m.epochMillis)
              .append(",\"text\":");
            Json.string(sb, m.text);
            sb.append('}');
        }
        return sb.append(']').toString();
    }
}
