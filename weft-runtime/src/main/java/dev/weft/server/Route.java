package dev.weft.server;

import dev.weft.protocol.http.Method;

import java.util.List;

/** One route: a method, a path pattern, and what runs; {@code params} names the pattern's parameters in order. */
record Route(Method method, String pattern, Handler handler, List<String> params) {
    Route {
        params = List.copyOf(params);
    }
}
