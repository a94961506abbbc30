package dev.weft.bench.parse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty 4.2's {@link HttpRequestDecoder} (default settings: header validation on), driven by
 * calling its protected {@code decode(ctx, buf, out)} directly, the way
 * {@code ByteToMessageDecoder.callDecode} does, so the benchmark measures the decoder and not the
 * pipeline plumbing (no cumulation copy, no fireChannelRead). The context comes from an
 * {@link EmbeddedChannel} the decoder sits in, so anything decode() asks of it is real. Every
 * object decode() produces is handed to the consumer and then released.
 */
final class NettyDecoder extends HttpRequestDecoder {
    private final ChannelHandlerContext ctx;
    private final List<Object> out = new ArrayList<>(4);

    NettyDecoder() {
        var channel = new EmbeddedChannel(this);
        this.ctx = channel.pipeline().context(this);
    }

    /** Decodes every message in {@code buf}; returns how many requests came out. */
    int decodeAll(ByteBuf buf, Blackhole sink) throws Exception {
        int requests = 0;
        while (buf.isReadable()) {
            int before = buf.readerIndex();
            decode(ctx, buf, out);
            for (int i = 0, n = out.size(); i < n; i++) {
                Object o = out.get(i);
                if (o instanceof HttpRequest request) {
                    if (!request.decoderResult().isSuccess()) {
                        throw new IllegalStateException("Netty rejected the input", request.decoderResult().cause());
                    }
                    requests++;
                }
                sink.consume(o);
                ReferenceCountUtil.release(o);
            }
            out.clear();
            if (buf.readerIndex() == before) break;     // needs more bytes: callDecode stops here too
        }
        return requests;
    }
}
