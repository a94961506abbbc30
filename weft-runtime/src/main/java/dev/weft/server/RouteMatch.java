package dev.weft.server;

import dev.weft.protocol.http.Method;

import java.util.List;
import java.util.Map;

/** What the {@link Router} found for a request. */
sealed interface RouteMatch {
    /** A route for this path and method; {@code params} are percent-decoded. */
    record Found(Route route, Map<String, String> params) implements RouteMatch {}

    /** Routes exist for this path, but none for the method: answer 405 with {@code Allow} (RFC 9110 §15.5.6). */
    record MethodNotAllowed(List<Method> allowed) implements RouteMatch {
        /** The Allow field value, e.g. {@code GET, HEAD, POST} (RFC 9110 §10.2.1). */
        String allowHeader() {
            var sb = new StringBuilder();
            for (Method m : allowed) {
                if (!sb.isEmpty()) sb.append(", ");
                sb.append(m.name());
            }
            return sb.toString();
        }
    }

    /** No route has this path: 404. */
    enum NotFound implements RouteMatch { INSTANCE }
}
