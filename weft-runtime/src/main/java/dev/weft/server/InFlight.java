package dev.weft.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One connection's exchanges in request order, shared by its reading half (which appends) and its
 * {@link ResponseQueue} (which answers and removes from the front). Linked through the exchanges
 * themselves, so a connection between requests holds this one small object and no array. Loop
 * thread only.
 */
final class InFlight implements Iterable<HttpExchange> {
    private HttpExchange first;
    private HttpExchange last;
    private int size;

    int size() { return size; }

    boolean isEmpty() { return size == 0; }

    void addLast(HttpExchange exchange) {
        exchange.nextInFlight = null;
        if (last == null) first = exchange;
        else last.nextInFlight = exchange;
        last = exchange;
        size++;
    }

    HttpExchange peekFirst() { return first; }

    HttpExchange pollFirst() {
        HttpExchange exchange = first;
        if (exchange == null) return null;
        first = exchange.nextInFlight;
        exchange.nextInFlight = null;
        if (first == null) last = null;
        size--;
        return exchange;
    }

    void clear() { while (pollFirst() != null) { } }

    /** A copy, for walks that may remove what they visit (cancel, drain). */
    List<HttpExchange> snapshot() {
        var all = new ArrayList<HttpExchange>(size);
        for (var exchange = first; exchange != null; exchange = exchange.nextInFlight) all.add(exchange);
        return all;
    }

    @Override
    public Iterator<HttpExchange> iterator() {
        return new Iterator<>() {
            private HttpExchange next = first;
            @Override public boolean hasNext() { return next != null; }
            @Override public HttpExchange next() {
                if (next == null) throw new NoSuchElementException();
                var exchange = next;
                next = exchange.nextInFlight;
                return exchange;
            }
        };
    }
}
