package dev.weft.protocol.testing;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Role;

import java.util.List;

/**
 * One test vector: bytes a peer sends and the events a parser must report for them, in the
 * form {@link Events#coalesceBodies} gives.
 *
 * @param sent   client role: the methods of the requests sent, in order
 * @param end    whether the peer then closes (feedEnd), as an until-close body needs
 * @param events the expected events, NEED_MORE left out, Body merged into {@link Events.Data}
 */
public record Vector(String name, Role role, List<Method> sent, byte[] wire, List<Object> events, boolean end) {
    public Vector {
        sent = List.copyOf(sent);
        events = List.copyOf(events);
    }

    /** A fresh parser for this vector, with every request in {@link #sent} announced. */
    public Http1Parser parser() { return parser(Http1Limits.DEFAULTS); }

    public Http1Parser parser(Http1Limits limits) {
        var parser = new Http1Parser(role, limits);
        sent.forEach(parser::requestSent);
        return parser;
    }

    /**
     * True when the vector's last message ends HTTP/1.1 on this connection (PAUSED or CLOSED)
     * without the peer closing: bytes after it must stay unconsumed in the buffer.
     */
    public boolean isFinal() {
        Object last = events.isEmpty() ? null : events.getLast();
        return !end && (last == Signal.PAUSED || last == Signal.CLOSED);
    }

    @Override public String toString() { return role + " " + name; }
}
