package dev.weft.cli.browser;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The reader of the browser scripts' JSON lines (RFC 8259), on what JSON.stringify writes. */
class JsonLineTest {
    @Test
    void readsWhatJsonStringifyWrites() {
        var o = JsonLine.parseObject("{\"page\":0,\"texts\":[\"a\\nb\",\"\\\"q\\\" \\u00e9 ✓\"],\"ok\":true,\"no\":false,"
                + "\"none\":null,\"n\":-1.5e2,\"nested\":{\"empty\":[],\"obj\":{}}}");
        assertEquals(0.0, o.get("page"));
        assertEquals(List.of("a\nb", "\"q\" é ✓"), o.get("texts"));
        assertEquals(true, o.get("ok"));
        assertEquals(false, o.get("no"));
        assertEquals(null, o.get("none"));
        assertEquals(-150.0, o.get("n"));
        assertEquals(Map.of("empty", List.of(), "obj", Map.of()), o.get("nested"));
        assertEquals(List.of("page", "texts", "ok", "no", "none", "n", "nested"), List.copyOf(o.keySet()));
    }

    @Test
    void refusesWhatIsNotOneObject() {
        for (var bad : Arrays.asList("[1]", "{\"a\":1} x", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":", "", "{\"a\":tru}")) {
            assertThrows(IllegalArgumentException.class, () -> JsonLine.parseObject(bad), bad);
        }
    }
}
