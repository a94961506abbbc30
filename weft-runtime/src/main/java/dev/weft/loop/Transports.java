package dev.weft.loop;

import dev.weft.internal.Log;
import dev.weft.loop.epoll.EpollTransport;
import dev.weft.loop.nio.NioTransport;
import dev.weft.loop.spi.Transport;
import java.util.Locale;

/**
 * Which transport a loop group runs when nobody says: epoll where it works (Linux on x86-64 or
 * aarch64, with native access allowed to Weft's module), java.nio elsewhere. The system property
 * {@code weft.transport} ({@code nio} or {@code epoll}) overrides the choice; asking for epoll
 * where it cannot run fails with the reason.
 */
public final class Transports {
    private static final Log LOG = Log.of(Transports.class);
    /** The system property that names the transport. */
    public static final String PROPERTY = "weft.transport";

    private Transports() {}

    /** The transport named by {@value #PROPERTY}, else the best this platform has. */
    public static Transport preferred() { return Preferred.TRANSPORT; }

    /** By name: "nio" or "epoll". */
    public static Transport named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nio" -> NioTransport.INSTANCE;
            case "epoll" -> {
                var why = EpollTransport.unavailability();
                if (why != null) throw new IllegalStateException("the epoll transport cannot run here: " + why);
                yield EpollTransport.INSTANCE;
            }
            default -> throw new IllegalArgumentException("unknown transport '" + name + "': nio or epoll");
        };
    }

    /** Chosen once, on first use, so that the reason for falling back is logged once. */
    private static final class Preferred {
        static final Transport TRANSPORT = choose();

        private static Transport choose() {
            var asked = System.getProperty(PROPERTY);
            if (asked != null && !asked.isBlank()) return named(asked.strip());
            var why = EpollTransport.unavailability();
            if (why == null) return EpollTransport.INSTANCE;
            if (!why.startsWith("not Linux")) LOG.info("using the java.nio transport: " + why);
            return NioTransport.INSTANCE;
        }
    }
}
