package dev.weft.server;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Status;

import java.io.OutputStream;
import java.util.Map;

/**
 * Routes an exchange and runs its handler where its kind says (ARCHITECTURE.md convention 10): an async one on
 * the loop, now; a blocking one on a virtual thread of its own, never on the loop (ARCHITECTURE.md rule 2).
 */
final class Dispatch {
    private static final Response NOT_FOUND = Response.text(Status.NOT_FOUND, "Not Found\n");

    private Dispatch() {}

    /** On the loop, right after the head was parsed. */
    static void route(Router router, HttpExchange ex) {
        Request request = ex.req();
        switch (router.match(request.method(), request.path())) {
            case RouteMatch.Found(Route route, Map<String, String> params) -> {
                request.route(params);
                invoke(route.handler(), ex);
            }
            case RouteMatch.MethodNotAllowed m -> ex.serverReply(                          // RFC 9110 §15.5.6
                    Response.text(Status.METHOD_NOT_ALLOWED, "Method Not Allowed\n").withHeader(FieldName.ALLOW, m.allowHeader()));
            case RouteMatch.NotFound _ -> ex.serverReply(NOT_FOUND);
        }
    }

    private static void invoke(Handler handler, HttpExchange ex) {
        switch (handler) {
            case Handler.Async h -> ex.runGuarded(() -> h.handle(ex.req(), ex));
            case Handler.Blocking h -> {
                Thread t = Thread.ofVirtual().name("weft-handler").unstarted(
                        () -> ex.runGuarded(() -> ex.reply(h.handle(ex.req()))));
                ex.worker(t);
                t.start();
            }
        }
    }

    /**
     * Runs a {@link Response#streamed} body writer on a virtual thread, in the request's context.
     * The stream ends when the writer returns; if it throws, the failure path aborts the response
     * rather than ending it cleanly (a truncated body must not look complete).
     */
    static void runWriter(HttpExchange ex, ExchangeStream stream, BodyWriter writer) {
        Thread t = Thread.ofVirtual().name("weft-body-writer").unstarted(() -> ex.runGuarded(() -> {
            OutputStream out = stream.outputStream();
            writer.writeTo(out);
            out.close();
        }));
        ex.worker(t);
        t.start();
    }
}
