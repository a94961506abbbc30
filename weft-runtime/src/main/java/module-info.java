/** The runtime: event loops, connections, the HTTP/1.1 server. Depends on weft.protocol only. */
module weft {
    requires transitive weft.protocol;

    exports dev.weft.client;
    exports dev.weft.loop;
    exports dev.weft.loop.epoll;
    exports dev.weft.loop.nio;
    exports dev.weft.loop.spi;
    exports dev.weft.net;
    exports dev.weft.pubsub;
    exports dev.weft.server;
    exports dev.weft.server.files;
    exports dev.weft.server.pubsub;
    exports dev.weft.server.sse;
    exports dev.weft.server.websocket;
    exports dev.weft.websocket;
}
