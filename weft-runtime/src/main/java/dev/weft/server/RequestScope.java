package dev.weft.server;

import java.util.List;

/** What every request of one server shares: the scoped values it carries and its body limit. */
record RequestScope(List<ScopedValue<?>> carried, long maxBodyBytes) {
    static final RequestScope DEFAULTS = new RequestScope(List.of(), 16L << 20);

    RequestScope {
        carried = List.copyOf(carried);
    }
}
