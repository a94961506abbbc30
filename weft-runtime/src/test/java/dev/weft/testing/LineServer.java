package dev.weft.testing;

import dev.weft.loop.EventLoopGroup;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A tiny line protocol, not HTTP, built only on {@link Listener} and {@link ConnectionHandler}:
 * it shows that other protocols share the same loops (docs/ARCHITECTURE.md, "How a request travels"). One command
 * per "\n"-terminated ASCII line:
 * <pre>
 *   PING        -> PONG
 *   ECHO text   -> text
 *   UPPER text  -> TEXT
 *   LOOP        -> the index of the loop serving this connection
 *   QUIT        -> BYE, then the server closes
 *   other       -> ERR unknown command
 * </pre>
 * A line longer than {@value #MAX_LINE} bytes answers "ERR line too long" and closes. A partial
 * line is simply left in the read buffer, so it comes back, with what follows, next time.
 */
public final class LineServer implements AutoCloseable {
    public static final int MAX_LINE = 1024;

    private final Listener listener;

    private LineServer(Listener listener) { this.listener = listener; }

    /** Listens on 127.0.0.1, any free port. */
    public static LineServer start(EventLoopGroup group) throws IOException {
        var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return new LineServer(Listener.bind(group, address, 128, ConnectionOptions.defaults(), LineHandler::new));
    }

    public InetSocketAddress address() { return listener.localAddress(); }

    public Listener listener() { return listener; }

    @Override
    public void close() { listener.close(); }

    /** Stateless apart from what the connection holds; one per connection anyway. */
    public static final class LineHandler implements ConnectionHandler {
        @Override
        public void onRead(Connection c, ByteBuffer in) {
            while (c.isOpen()) {
                int end = indexOf(in, (byte) '\n');
                if (end < 0) {
                    if (in.remaining() > MAX_LINE) reply(c, "ERR line too long").close();
                    break;                                  // partial line: leave it
                }
                byte[] line = new byte[end - in.position()];
                in.get(line).get();                         // the line, then its '\n'
                answer(c, new String(line, StandardCharsets.US_ASCII).strip());
            }
            c.flush();
        }

        private static void answer(Connection c, String line) {
            int space = line.indexOf(' ');
            var command = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            var argument = space < 0 ? "" : line.substring(space + 1);
            switch (command) {
                case "PING" -> reply(c, "PONG");
                case "ECHO" -> reply(c, argument);
                case "UPPER" -> reply(c, argument.toUpperCase(Locale.ROOT));
                case "LOOP" -> reply(c, Integer.toString(c.loop().index()));
                case "QUIT" -> reply(c, "BYE").close();
                default -> reply(c, "ERR unknown command");
            }
        }

        private static Connection reply(Connection c, String text) {
            c.sink().write((text + "\n").getBytes(StandardCharsets.US_ASCII));
            return c;
        }

        private static int indexOf(ByteBuffer in, byte b) {
            for (int i = in.position(); i < in.limit(); i++) if (in.get(i) == b) return i;
            return -1;
        }
    }
}
