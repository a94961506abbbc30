package dev.weft.loop;

/**
 * The runtime's only clock (ARCHITECTURE.md convention 12): a monotonic nanosecond reading, injected so that
 * deadline tests advance a fake ticker instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
