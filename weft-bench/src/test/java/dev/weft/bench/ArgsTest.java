package dev.weft.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    @Test
    void takesOptionsFlagsAndWordsInAnyOrder() {
        var args = new Args(List.of("server", "--port", "8080", "netty-nio", "--quick"));
        assertEquals(Optional.of("server"), args.word());
        assertEquals(8080, args.intOption("--port", 0));
        assertTrue(args.flag("--quick"));
        assertEquals(Optional.of("netty-nio"), args.word());
        args.finish();
    }

    @Test
    void aLeadingOptionMeansNoCommand() {
        var args = new Args(List.of("--servers", "weft,jdk", "--quick"));
        assertEquals(Optional.empty(), args.command());
        assertEquals(Optional.of("weft,jdk"), args.option("--servers"));
        assertEquals(Optional.of("idle"), new Args(List.of("idle", "--connections", "5")).command());
    }

    @Test
    void leftoversAreAnError() {
        var args = new Args(List.of("--prot", "8080"));
        assertEquals(7, args.intOption("--port", 7));
        assertThrows(IllegalArgumentException.class, args::finish);
    }

    @Test
    void aNumberOptionRejectsWords() {
        assertThrows(IllegalArgumentException.class, () -> new Args(List.of("--port", "eighty")).intOption("--port", 0));
    }
}
