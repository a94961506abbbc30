package dev.weft.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `weft demo` on a port that is taken, or on a host that cannot be bound: one line, exit status 1. */
class BindFailureTest {
    private static Process weft(String... args) throws Exception {
        String jvm = ProcessHandle.current().info().command().orElseThrow();
        // Native access as the launcher grants it: without it the JDK warns on stderr before Weft says a word.
        var command = new ArrayList<>(List.of(jvm, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static String[] finish(Process p) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "weft exited by itself");
        return new String[] {new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    @Test void aTakenPortIsOneLineAndExitOne() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Process p = weft("demo", "--port", Integer.toString(port));
            String[] out = finish(p);
            assertEquals(1, p.exitValue(), out[0]);
            assertEquals("weft: cannot listen on 127.0.0.1:" + port
                    + ": the address is already in use (another process listens there)\n", out[0]);
        }
    }

    @Test void anUnresolvableHostIsOneLineAndExitOne() throws Exception {
        Process p = weft("demo", "--host", "no-such-host.invalid", "--port", "0");
        String[] out = finish(p);
        assertEquals(1, p.exitValue(), out[0]);
        assertEquals("weft: cannot listen on no-such-host.invalid:0: the host name does not resolve\n", out[0]);
    }
}
