package dev.weft.client;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Where a 3xx leads, for a client that follows redirects (RFC 9110 §15.4). */
final class Redirects {
    private Redirects() {}

    /** The request to send after {@code response} to {@code request}, or empty when it is not a redirect to follow. */
    static Optional<ClientRequest> next(ClientRequest request, ClientResponse response) {
        int code = response.status().code();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return Optional.empty();
        String location = response.headers().firstOr(FieldName.LOCATION, "");
        if (location.isEmpty()) return Optional.empty();
        URI target;
        try {
            target = request.uri().resolve(location.strip());
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();                               // the 3xx itself is the answer then
        }
        if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) return Optional.empty();
        // 303 always, and 301/302 after a POST as every browser does (§15.4.2, §15.4.3), become a GET without a body
        boolean toGet = code == 303 || ((code == 301 || code == 302) && request.method() == Method.POST);
        boolean sameOrigin = Origin.of(target).equals(Origin.of(request.uri()));
        var headers = new Headers();
        for (Headers.Field f : request.headers()) {
            String name = f.name().toLowerCase(java.util.Locale.ROOT);
            if (name.equals(FieldName.HOST)) continue;             // the client writes it from the URI
            if (!sameOrigin && (name.equals(FieldName.AUTHORIZATION) || name.equals("cookie"))) continue;
            if (toGet && (name.equals(FieldName.CONTENT_TYPE) || name.equals(FieldName.CONTENT_LENGTH))) continue;
            headers.add(f.name(), f.value());
        }
        Method method = toGet && request.method() != Method.HEAD ? Method.GET : request.method();
        ByteBuffer body = toGet ? ByteBuffer.allocate(0) : request.body();
        return Optional.of(new ClientRequest(method, target, headers, body, request.timeout()));
    }
}
