package dev.weft.loop.epoll;

import dev.weft.loop.nio.PollerContract;
import dev.weft.loop.spi.Poller;
import java.io.IOException;

/** The poller contract over raw descriptors (pipe2), the native way onto an epoll loop. */
class EpollPollerTest implements PollerContract {
    @Override
    public Poller open() throws IOException { return EpollPoller.open(); }

    @Override
    public TestPipe pipe() throws IOException { return NativePipe.open(); }
}
