package dev.weft.server;

import dev.weft.protocol.http.Method;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {
    private static final Handler.Async A = (r, e) -> {};
    private static final Handler.Async B = (r, e) -> {};
    private static final Handler.Blocking C = r -> Response.ok("c");

    private static RouteMatch.Found found(RouteMatch m) { return assertInstanceOf(RouteMatch.Found.class, m); }

    @Test void literalsParamsAndRest() {
        var router = new Router()
                .add(Method.GET, "/", A)
                .add(Method.GET, "/users/{id}", B)
                .add(Method.GET, "/users/{id}/posts/{post}", C)
                .add(Method.GET, "/files/{path...}", A);
        assertSame(A, found(router.match(Method.GET, "/")).route().handler());
        var user = found(router.match(Method.GET, "/users/42"));
        assertEquals(Map.of("id", "42"), user.params());
        assertEquals(Map.of("id", "7", "post", "x y"), found(router.match(Method.GET, "/users/7/posts/x%20y")).params());
        assertEquals(Map.of("path", "a/b/c.txt"), found(router.match(Method.GET, "/files/a/b/c.txt")).params());
        assertEquals(Map.of("path", ""), found(router.match(Method.GET, "/files/")).params());
        assertSame(RouteMatch.NotFound.INSTANCE, router.match(Method.GET, "/files"));
        assertSame(RouteMatch.NotFound.INSTANCE, router.match(Method.GET, "/users/"));   // a parameter is never empty
        assertSame(RouteMatch.NotFound.INSTANCE, router.match(Method.GET, "/users/1/2"));
        assertSame(RouteMatch.NotFound.INSTANCE, router.match(Method.GET, "*"));
    }

    @Test void literalBeatsParamBeatsRest() {
        var router = new Router()
                .add(Method.GET, "/a/new", A)
                .add(Method.GET, "/a/{x}", B)
                .add(Method.GET, "/a/{rest...}", C);
        assertSame(A, found(router.match(Method.GET, "/a/new")).route().handler());
        assertSame(B, found(router.match(Method.GET, "/a/old")).route().handler());
        assertSame(C, found(router.match(Method.GET, "/a/old/deeper")).route().handler());
    }

    @Test void methodPicksAmongShapes() {
        var router = new Router().add(Method.GET, "/users/new", A).add(Method.POST, "/users/{id}", B);
        assertSame(B, found(router.match(Method.POST, "/users/new")).route().handler());
    }

    @Test void methodNotAllowedListsEveryMethodOfThePath() {
        var router = new Router()
                .add(Method.GET, "/items/{id}", A)
                .add(Method.DELETE, "/items/{id}", B)
                .add(Method.PUT, "/items/special", C);
        var m = assertInstanceOf(RouteMatch.MethodNotAllowed.class, router.match(Method.POST, "/items/special"));
        assertEquals(List.of(Method.PUT, Method.GET, Method.HEAD, Method.DELETE), m.allowed());
        assertEquals("PUT, GET, HEAD, DELETE", m.allowHeader());
    }

    @Test void headFallsBackToGetUnlessItHasItsOwn() {
        var router = new Router().add(Method.GET, "/x", A).add(Method.GET, "/y", A).add(Method.HEAD, "/y", B);
        assertSame(A, found(router.match(Method.HEAD, "/x")).route().handler());
        assertSame(B, found(router.match(Method.HEAD, "/y")).route().handler());
    }

    @Test void decodingIsPerSegment() {
        var router = new Router().add(Method.GET, "/n/{name}", A).add(Method.GET, "/caf\u00e9", B);
        assertEquals(Map.of("name", "a/b+c"), found(router.match(Method.GET, "/n/a%2Fb+c")).params());
        assertSame(B, found(router.match(Method.GET, "/caf%C3%A9")).route().handler());
        assertEquals(Map.of("name", "100%"), found(router.match(Method.GET, "/n/100%")).params());  // malformed: as sent
        assertEquals(Map.of("name", "%zz"), found(router.match(Method.GET, "/n/%zz")).params());
    }

    @Test void trailingSlashIsSignificant() {
        var router = new Router().add(Method.GET, "/a", A).add(Method.GET, "/a/", B);
        assertSame(A, found(router.match(Method.GET, "/a")).route().handler());
        assertSame(B, found(router.match(Method.GET, "/a/")).route().handler());
    }

    @Test void badPatternsAndDuplicatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Router().add(Method.GET, "a", A));
        assertThrows(IllegalArgumentException.class, () -> new Router().add(Method.GET, "/{rest...}/x", A));
        assertThrows(IllegalArgumentException.class, () -> new Router().add(Method.GET, "/{x}/{x}", A));
        assertThrows(IllegalArgumentException.class, () -> new Router().add(Method.GET, "/{}", A));
        assertThrows(IllegalArgumentException.class, () -> new Router().add(Method.GET, "/a{b}", A));
        assertThrows(IllegalArgumentException.class, () -> new Router().add(Method.GET, "/{open", A));
        assertThrows(IllegalArgumentException.class,
                () -> new Router().add(Method.GET, "/u/{id}", A).add(Method.GET, "/u/{name}", B));
    }
}
