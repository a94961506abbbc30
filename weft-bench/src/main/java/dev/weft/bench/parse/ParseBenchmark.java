package dev.weft.bench.parse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Parses the same request bytes with Weft's Http1Parser and Netty's HttpRequestDecoder (issue 2).
 * One operation parses {@code pipelined} requests from one buffer, consuming every event up to
 * the point where the parser asks for more bytes. Both read the same bytes from the same kind of
 * buffer: DIRECT is what both servers read sockets into (Weft's BufferPool, Netty's pooled
 * allocator); HEAP is what a test or a TLS layer hands over. The parser or decoder lives for the
 * whole run, as it lives for a whole connection, so what is measured is the steady state
 * between requests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {
    @Param({"BROWSER", "MINIMAL"})
    public Requests input;

    /** Requests per buffer: 1 is one at a time, 16 is a pipelining client's burst. */
    @Param({"1", "16"})
    public int pipelined;

    /** Which kind of buffer holds the bytes. */
    public enum Memory { DIRECT, HEAP }

    @Param({"DIRECT", "HEAP"})
    public Memory buffer;

    private ByteBuf nettyBytes;
    private NettyDecoder netty;

    @Setup
    public void setUp() throws Exception {
        byte[] wire = input.pipelined(pipelined);
        nettyBytes = (buffer == Memory.DIRECT ? Unpooled.directBuffer(wire.length) : Unpooled.buffer(wire.length))
                .writeBytes(wire);
        netty = new NettyDecoder();
        int seen = netty.decodeAll(nettyBytes.readerIndex(0), new Blackhole(BLACKHOLE_CHALLENGE));
        if (seen != pipelined) throw new IllegalStateException("Netty decoded " + seen + " of " + pipelined);
    }

    @Benchmark
    public int netty(Blackhole sink) throws Exception {
        return netty.decodeAll(nettyBytes.readerIndex(0), sink);
    }

    /** JMH's own words, which it asks user code to repeat before making a Blackhole by hand. */
    private static final String BLACKHOLE_CHALLENGE =
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";
}
