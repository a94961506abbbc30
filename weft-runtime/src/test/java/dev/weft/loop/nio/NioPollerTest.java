package dev.weft.loop.nio;

import dev.weft.loop.spi.Poller;
import java.io.IOException;

class NioPollerTest implements PollerContract {
    @Override
    public Poller open() throws IOException { return NioPoller.open(); }
}
