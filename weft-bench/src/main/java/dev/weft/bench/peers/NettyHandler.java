package dev.weft.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Date;

/**
 * The endpoints on one Netty connection. GET /plaintext answers at once from the request head;
 * GET /file/NAME sends the file with sendfile; POST /echo gathers the body's pieces in a composite buffer (no copy) and answers at the last
 * one. Responses are written, not flushed: {@link #channelReadComplete} flushes once per read
 * batch, which is what makes Netty fast with pipelined and concurrent requests.
 */
final class NettyHandler extends ChannelInboundHandlerAdapter {
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString OCTETS = AsciiString.cached("application/octet-stream");
    private static final AsciiString HELLO_LENGTH = AsciiString.cached(Integer.toString(Peer.HELLO.length));

    /** The Date header value, formatted once a second on one loop and read by all. */
    static final class DateValue {
        private volatile AsciiString value = format();

        void update() {
            value = format();
        }

        AsciiString value() {
            return value;
        }

        private static AsciiString format() {
            return new AsciiString(DateFormatter.format(new Date()));
        }
    }

    private final ByteBuf hello;
    private final DateValue date;
    private final Path files;
    private CompositeByteBuf echo;           // non-null while an echo request's body arrives
    private HttpRequest echoRequest;

    NettyHandler(ByteBuf hello, DateValue date, Path files) {
        this.hello = hello;
        this.date = date;
        this.files = files;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) onHead(ctx, request);
            if (msg instanceof HttpContent content && echo != null) {
                echo.addComponent(true, content.content().retain());
                if (msg instanceof LastHttpContent) {
                    var body = echo;
                    echo = null;
                    reply(ctx, echoRequest, HttpResponseStatus.OK, OCTETS, body, Integer.toString(body.readableBytes()));
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
        String uri = request.uri();
        if (request.method() == HttpMethod.GET && uri.equals("/plaintext")) {
            reply(ctx, request, HttpResponseStatus.OK, TEXT_PLAIN, hello.duplicate(), HELLO_LENGTH);
        } else if (request.method() == HttpMethod.GET && uri.startsWith("/file/")) {
            sendFile(ctx, request, uri.substring("/file/".length()));
        } else if (request.method() == HttpMethod.GET && uri.equals("/ws")) {
            webSocket(ctx, request);
        } else if (request.method() == HttpMethod.POST && uri.equals("/echo")) {
            echo = ctx.alloc().compositeBuffer();
            echoRequest = request;
        } else {
            reply(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT_PLAIN, ctx.alloc().buffer(0), "0");
        }
    }

    private void reply(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                       AsciiString type, ByteBuf body, CharSequence length) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, false);
        var headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, type);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        headers.set(HttpHeaderNames.DATE, date.value());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (request.protocolVersion() == HttpVersion.HTTP_1_0) headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.write(response, ctx.voidPromise());
        }
    }

    /**
     * The WebSocket echo, as Netty's WebSocketServer example has it: the handshaker swaps the HTTP
     * codec for frame codecs, and this handler for one that writes every data frame back.
     */
    private void webSocket(ChannelHandlerContext ctx, HttpRequest request) {
        var full = new io.netty.handler.codec.http.DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), io.netty.buffer.Unpooled.EMPTY_BUFFER, request.headers(),
                io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        var handshaker = new io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + "/ws", null, false, 1 << 20).newHandshaker(full);
        if (handshaker == null) {
            io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ctx.pipeline().replace(this, "ws-echo", new WebSocketEcho());
        handshaker.handshake(ctx.channel(), full);
    }

    /** Echoes text and binary frames, flushed once per read batch; answers pings, closes on close. */
    static final class WebSocketEcho extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame
                    || msg instanceof io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame) {
                ctx.write(msg, ctx.voidPromise());                      // the frame goes back as it came
            } else if (msg instanceof io.netty.handler.codec.http.websocketx.PingWebSocketFrame ping) {
                ctx.write(new io.netty.handler.codec.http.websocketx.PongWebSocketFrame(ping.content()), ctx.voidPromise());
            } else if (msg instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame close) {
                ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Head, then the file as a region the transport sends with sendfile, then the end marker. */
    private void sendFile(ChannelHandlerContext ctx, HttpRequest request, String name) {
        var file = StaticFiles.resolve(files, name);
        RandomAccessFile raf;
        long length;
        try {
            raf = new RandomAccessFile(file.orElseThrow(() -> new FileNotFoundException(name)).toFile(), "r");
            length = raf.length();
        } catch (IOException e) {
            reply(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT_PLAIN, ctx.alloc().buffer(0), "0");
            return;
        }
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, false);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, OCTETS).set(HttpHeaderNames.CONTENT_LENGTH, length)
                .set(HttpHeaderNames.DATE, date.value());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!keepAlive) head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.write(head, ctx.voidPromise());
        ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length), ctx.voidPromise());
        if (keepAlive) {
            ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (echo != null) echo.release();
        echo = null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();       // a reset or a bad request closes this connection only
    }
}
