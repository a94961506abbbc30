package dev.weft.loop.epoll;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;

/** errno to the exceptions java.nio throws for the same failure, with the kernel's message. */
final class Errors {
    private static final int ECONNREFUSED = 111;
    private static final int EADDRINUSE = 98;
    private static final int EADDRNOTAVAIL = 99;
    private static final int EACCES = 13;
    private static final int ENETUNREACH = 101;
    private static final int EHOSTUNREACH = 113;
    private static final int ETIMEDOUT = 110;
    private static final int ECONNRESET = 104;
    private static final String[] MESSAGES = new String[134];

    private Errors() {}

    /** The message alone ("Connection reset by peer"), as java.nio's exceptions carry it. */
    static String message(int errno) {
        if (errno <= 0 || errno >= MESSAGES.length) return LibC.strerror(errno);
        var message = MESSAGES[errno];
        if (message == null) MESSAGES[errno] = message = LibC.strerror(errno);   // benign race: same string
        return message;
    }

    /** A failed call on a socket: reset, broken pipe and the like are the peer's doing and carry only the kernel's words. */
    static IOException socket(int errno) {
        // java.nio says "Connection reset" where strerror says "... by peer"; the same words on
        // either transport keep logs and tests transport-blind.
        return new SocketException(errno == ECONNRESET ? "Connection reset" : message(errno));
    }

    static IOException io(String call, int errno) {
        return switch (errno) {
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(message(errno) + " (" + call + ")");
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT -> new ConnectException(message(errno));
            default -> new IOException(call + ": " + message(errno));
        };
    }
}
