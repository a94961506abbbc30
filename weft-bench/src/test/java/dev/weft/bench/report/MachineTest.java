package dev.weft.bench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineTest {
    @Test
    void theHeaderNamesTheMachineAndEveryPeersVersion() {
        String d = Machine.describe();
        assertTrue(d.matches("date \\d{4}-\\d\\d-\\d\\dT[\\d:]{8} UTC; \\d+ cores; .*; JDK 25.*"), d);
        String v = Machine.versions();
        assertTrue(v.matches("Weft .*; Netty 4\\.2\\.\\d+\\.Final; Jetty 12\\.\\d+\\.\\d+; .*"), v);
    }
}
