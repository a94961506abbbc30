/**
 * Sans-IO codecs: bytes in, events out; messages in, bytes out. No sockets, threads or clocks
 * (ARCHITECTURE.md rule 7, checked by ArchitectureTest).
 */
module weft.protocol {
    exports dev.weft.protocol.http;
    exports dev.weft.protocol.http1;
    exports dev.weft.protocol.sse;
    exports dev.weft.protocol.websocket;
}
