package dev.weft.server;

import dev.weft.loop.EventLoop;
import dev.weft.net.ConnectionOptions;
import dev.weft.protocol.http1.Http1Limits;

import java.util.List;

/** What every connection of one server shares; immutable once the server has started. */
record ServerCore(Router router, Http1Limits limits, ServerTimeouts timeouts, int maxPipelined,
                  ConnectionOptions options, RequestScope scope, List<ServerLoop> loops, AccessLog accessLog) {
    ServerLoop loop(EventLoop loop) {
        ServerLoop l = loops.get(loop.index());
        assert l.loop == loop : "connection on a loop of another group";
        return l;
    }
}
