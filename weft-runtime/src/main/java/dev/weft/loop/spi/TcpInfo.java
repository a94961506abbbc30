package dev.weft.loop.spi;

/**
 * What the kernel knows about one TCP connection's path (Linux {@code TCP_INFO}): enough to draw
 * a connection's round-trip time and congestion window over time.
 *
 * @param rttMicros smoothed round-trip time
 * @param rttVarianceMicros its mean deviation
 * @param congestionWindow in segments
 * @param unackedSegments sent and not yet acknowledged
 * @param totalRetransmits segments sent again over the connection's life
 * @param notSentBytes written by us, still in the kernel's send queue
 */
public record TcpInfo(int rttMicros, int rttVarianceMicros, int congestionWindow, int unackedSegments,
                      int totalRetransmits, long notSentBytes) {}
