package dev.weft.bench.parse;

import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Role;
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

import java.nio.ByteBuffer;
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

    private ByteBuffer weftBytes;
    private Http1Parser weft;
    private ByteBuf nettyBytes;
    private NettyDecoder netty;

    @Setup
    public void setUp() throws Exception {
        byte[] wire = input.pipelined(pipelined);
        weftBytes = (buffer == Memory.DIRECT ? ByteBuffer.allocateDirect(wire.length) : ByteBuffer.allocate(wire.length))
                .put(wire).flip();
        weft = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS);
        var check = new Blackhole(BLACKHOLE_CHALLENGE);
        int parsed = weft(check);
        if (parsed != pipelined) throw new IllegalStateException("Weft parsed " + parsed + " of " + pipelined);
        nettyBytes = (buffer == Memory.DIRECT ? Unpooled.directBuffer(wire.length) : Unpooled.buffer(wire.length))
                .writeBytes(wire);
        netty = new NettyDecoder();
        int seen = netty.decodeAll(nettyBytes.readerIndex(0), check);
        if (seen != pipelined) throw new IllegalStateException("Netty decoded " + seen + " of " + pipelined);
    }

    /** Feeds the whole buffer and pulls events until the parser has consumed every byte. */
    @Benchmark
    public int weft(Blackhole sink) {
        weftBytes.clear();
        weft.feed(weftBytes);
        int requests = 0;
        for (;;) {
            Http1Event event = weft.next();
            switch (event) {
                case Http1Event.RequestHead _ -> requests++;
                case Http1Event.Body _, Http1Event.EndOfMessage _ -> { }
                case Http1Event.Signal.NEED_MORE -> { return requests; }
                case Http1Event.Signal _, Http1Event.ResponseHead _ -> throw new IllegalStateException("unexpected " + event);
            }
            sink.consume(event);
        }
    }

    @Benchmark
    public int netty(Blackhole sink) throws Exception {
        return netty.decodeAll(nettyBytes.readerIndex(0), sink);
    }

    /** JMH's own words, which it asks user code to repeat before making a Blackhole by hand. */
    private static final String BLACKHOLE_CHALLENGE =
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";
}
