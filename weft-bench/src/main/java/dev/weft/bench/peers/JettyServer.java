package dev.weft.bench.peers;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Jetty 12 with a core handler (no servlets), as Jetty's TechEmpower entry runs it: the default
 * QueuedThreadPool and ServerConnector, no Server header, pre-encoded header fields, and the body
 * written from a shared read-only buffer in one {@code write(last = true)}. The handler never
 * blocks: /plaintext completes at once and /echo copies the request content to the response as it
 * arrives ({@code Content.copy}); /file/NAME is Jetty's own ResourceHandler in a context.
 */
public final class JettyServer implements Peer {
    private static final PreEncodedHttpField TEXT_PLAIN = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
    private static final PreEncodedHttpField OCTETS =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    private static final PreEncodedHttpField HELLO_LENGTH =
            new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(HELLO.length));
    private static final ByteBuffer HELLO_BUFFER = ByteBuffer.wrap(HELLO).asReadOnlyBuffer();

    private final Server server;
    private final ServerConnector connector;

    private JettyServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static JettyServer start(InetSocketAddress address, Path files) throws Exception {
        var server = new Server();
        var config = new HttpConfiguration();
        config.setSendServerVersion(false);
        var connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(8192);
        server.addConnector(connector);
        var resources = new ResourceHandler();
        resources.setBaseResource(ResourceFactory.of(resources).newResource(files));
        resources.setDirAllowed(false);
        server.setHandler(new Handler.Sequence(new Endpoints(), new ContextHandler(resources, "/file")));
        server.start();
        return new JettyServer(server, connector);
    }

    /** GET /plaintext and POST /echo; returning false lets Jetty answer 404. */
    private static final class Endpoints extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (HttpMethod.GET.is(method) && path.equals("/plaintext")) {
                response.setStatus(200);
                response.getHeaders().add(TEXT_PLAIN).add(HELLO_LENGTH);
                response.write(true, HELLO_BUFFER.slice(), callback);
                return true;
            }
            if (HttpMethod.POST.is(method) && path.equals("/echo")) {
                response.setStatus(200);
                response.getHeaders().add(OCTETS);
                long length = request.getLength();
                if (length >= 0) response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
                Content.copy(request, response, callback);
                return true;
            }
            return false;
        }
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("jetty did not stop cleanly", e);
        }
    }
}
