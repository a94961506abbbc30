package dev.weft.server;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http1.BodyFraming;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestTest {
    private static final ScopedValue<String> USER = ScopedValue.newInstance();
    private final RequestScope scope = new RequestScope(List.of(USER), 1 << 20);

    @Test void targetQueryAndParams() {
        var r = FakeHost.request(Method.GET, "/users/7?full=1&name=a+b%21&empty&bad=%zz", BodyFraming.EMPTY, scope);
        r.route(Map.of("id", "7"));
        assertEquals("/users/7", r.path());
        assertEquals(Optional.of("1"), r.queryParam("full"));
        assertEquals(Optional.of("a b!"), r.queryParam("name"));
        assertEquals(Optional.of(""), r.queryParam("empty"));
        assertEquals(Optional.of("%zz"), r.queryParam("bad"));
        assertEquals(Optional.empty(), r.queryParam("none"));
        assertEquals("7", r.pathParam("id"));
        assertThrows(IllegalArgumentException.class, () -> r.pathParam("nope"));
        assertTrue(!r.hasBody() && r.contentLength().getAsLong() == 0);
        assertEquals(0, r.body().remaining(), "no body: empty, even on the loop");
        r.attributes().put("k", "v");
        assertEquals("v", r.attributes().get("k"));
    }

    @Test void unbufferedBodyOnAPlatformThreadIsAUsageError() {
        var r = FakeHost.request(Method.POST, "/p", BodyFraming.CHUNKED, scope);
        assertTrue(r.contentLength().isEmpty());
        assertThrows(UsageViolation.class, r::body);
        assertThrows(UsageViolation.class, r::bodyStream);
    }

    @Test void contextCarriesTheRequestAndDeclaredValuesToAnotherThread() throws Exception {
        var r = FakeHost.request(Method.GET, "/ctx", BodyFraming.EMPTY, scope);
        RequestContext captured = ScopedValue.where(RequestContext.CURRENT, r).where(USER, "ann")
                .call(RequestContext::capture);
        var seen = new CompletableFuture<String>();
        Thread.ofPlatform().start(() -> captured.run(() ->
                seen.complete(RequestContext.current().orElseThrow().path() + " " + USER.get())));
        assertEquals("/ctx ann", seen.get(5, TimeUnit.SECONDS));
        assertTrue(RequestContext.current().isEmpty());
        var nothing = new CompletableFuture<Boolean>();
        RequestContext.capture().run(() -> nothing.complete(RequestContext.current().isEmpty()));
        assertTrue(nothing.get());
    }
}
