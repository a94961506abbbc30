package dev.weft.server;

import java.net.InetSocketAddress;

/**
 * How a started server is set up: where it listens, on how many loops, and how connections are
 * spread over them ({@code reusePort}: one listening socket per loop with SO_REUSEPORT, else one
 * acceptor handing connections round-robin), and over which transport ("epoll" or "nio").
 */
public record ServerInfo(InetSocketAddress address, int loops, boolean reusePort, int maxPipelined,
                         ServerTimeouts timeouts, String transport) {}
