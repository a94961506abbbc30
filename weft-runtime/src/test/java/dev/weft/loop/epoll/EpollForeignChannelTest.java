package dev.weft.loop.epoll;

import dev.weft.loop.nio.PollerContract;
import dev.weft.loop.spi.Poller;
import java.io.IOException;

/** The poller contract for java.nio channels put on an epoll loop (watched by its inner selector). */
class EpollForeignChannelTest implements PollerContract {
    @Override
    public Poller open() throws IOException { return EpollPoller.open(); }
}
