package dev.weft.server;

import java.util.List;
import java.util.Optional;

/**
 * A request's context, captured on one thread and bound again on another, so that a reply given
 * later, from any thread, runs as if the request were still being handled: {@link #CURRENT}, the request itself, plus each scoped value the server was told to
 * carry ({@code Server.Builder.carry}) that was bound at capture time.
 *
 * <p>The server does this for you around every callback of an {@link Exchange}. Do it yourself to
 * hand work to your own executor:
 * <pre>{@code
 * var context = RequestContext.capture();               // in the handler
 * executor.execute(() -> context.run(() -> work()));     // RequestContext.CURRENT is bound in work()
 * }</pre>
 * A context is immutable and may be run any number of times, on any thread.
 */
public final class RequestContext {
    /** The request being handled: bound while a handler runs and while its callbacks run. */
    public static final ScopedValue<Request> CURRENT = ScopedValue.newInstance();

    private static final RequestContext EMPTY = new RequestContext(null, null);

    // With no carried values (the common case) only the request is kept and its binding is made
    // when the context is entered: a parked exchange then holds one small object, not a carrier too.
    private final Request request;                 // null: nothing to bind
    private final ScopedValue.Carrier bindings;    // null: bind the request alone

    private RequestContext(Request request, ScopedValue.Carrier bindings) {
        this.request = request;
        this.bindings = bindings;
    }

    /** The request bound to {@link #CURRENT} on this thread, if any. */
    public static Optional<Request> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** The context of the current request (nothing, outside of one). */
    public static RequestContext capture() {
        return CURRENT.isBound() ? of(CURRENT.get()) : EMPTY;
    }

    /** {@code request} bound to {@link #CURRENT}, plus its server's carried values bound on this thread now. */
    static RequestContext of(Request request) {
        List<ScopedValue<?>> carried = request.carried();
        if (carried.isEmpty()) return new RequestContext(request, null);
        ScopedValue.Carrier carrier = ScopedValue.where(CURRENT, request);
        for (int i = 0; i < carried.size(); i++) carrier = rebind(carrier, carried.get(i));
        return new RequestContext(request, carrier);
    }

    private static <T> ScopedValue.Carrier rebind(ScopedValue.Carrier carrier, ScopedValue<T> value) {
        return value.isBound() ? carrier.where(value, value.get()) : carrier;
    }

    /** Runs {@code action} on this thread with the captured bindings in place. */
    public void run(Runnable action) {
        if (bindings != null) bindings.run(action);
        else if (request != null) ScopedValue.where(CURRENT, request).run(action);
        else action.run();
    }

    /** Calls {@code op} on this thread with the captured bindings in place. */
    public <R, X extends Throwable> R call(ScopedValue.CallableOp<? extends R, X> op) throws X {
        if (bindings != null) return bindings.call(op);
        return request != null ? ScopedValue.where(CURRENT, request).call(op) : op.call();
    }
}
