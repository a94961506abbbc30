package dev.weft.cli;

import dev.weft.cli.browser.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft demo}'s pages in headless chromium (src/test/browser/demo.js does the clicking and
 * waiting; the assertions are here). Screenshots: target/browser-shots/demo-*.png.
 */
@Timeout(60)
class DemoBrowserTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(45);
    private static final Pattern ID = Pattern.compile("\\d+:\\d+");

    private Browser browser;
    private Demo demo;

    @BeforeEach
    void start() throws Exception {
        browser = Browser.require();
        demo = Demo.start(new Options("127.0.0.1", 0, 2));
    }

    @AfterEach
    void stop() {
        if (demo != null) demo.stop(Duration.ofSeconds(2));
    }

    private List<Map<String, Object>> drive(String scenario) throws Exception {
        var base = "http://127.0.0.1:" + demo.server().address().getPort();
        var objects = browser.run("demo.js", SCRIPT_TIMEOUT, Map.of("WEFT_BASE", base), scenario).objects();
        for (var o : objects) {
            assertTrue(!o.containsKey("pageerror") && !o.containsKey("console") && !o.containsKey("error"), "the page complained: " + o);
            if (o.get("screenshot") instanceof String file) assertTrue(Files.size(Path.of(file)) > 1000, file);
        }
        return objects;
    }

    private static List<Map<String, Object>> pages(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> o.containsKey("page")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> o, String key) { return (List<String>) o.get(key); }

    // Every page shows the same messages, once each, in id order, with Nchan-shaped ids.
    private static List<String> sameEverywhere(List<Map<String, Object>> pages) {
        var first = strings(pages.getFirst(), "texts");
        for (var page : pages) {
            var texts = strings(page, "texts");
            assertEquals(first, texts, "page " + page.get("page") + " (" + page.get("transport") + ")");
            assertEquals(texts.size(), new HashSet<>(texts).size(), "a message shown twice: " + texts);
            var ids = strings(page, "ids");
            assertTrue(ids.stream().allMatch(id -> ID.matcher(id).matches()), ids.toString());
            assertEquals(ids.size(), new HashSet<>(ids).size(), ids.toString());
        }
        return first;
    }

    @Test
    void pagesOnDifferentTransportsChatWithEachOther() throws Exception {
        var pages = pages(drive("chat"));
        assertEquals(3, pages.size());
        var texts = sameEverywhere(pages);
        assertEquals(new HashSet<>(List.of("hello from websocket", "hello from eventsource", "hello from longpoll")),
                new HashSet<>(texts.subList(0, 3)));
        assertEquals("raw <b>text</b>", texts.get(3), "published raw to /pub/chat, shown as text");
        assertEquals(4, texts.size());
        for (var page : pages) {
            assertEquals("one connection", page.get("tabs"));
            assertEquals("(raw)", strings(page, "names").get(3));
        }
    }

    @Test
    void tenTabsOfOneBrowserAllReceiveEveryMessage() throws Exception {
        var pages = pages(drive("tabs"));
        assertEquals(10, pages.size());
        var texts = sameEverywhere(pages);
        assertEquals(10, texts.size(), texts.toString());
        for (int i = 0; i < 10; i++) assertTrue(texts.contains("line " + i + " from tab " + i), texts.toString());
        // Tabs 0, 3, 6, 9 listen over WebSocket, 1, 4, 7 over SSE, 2, 5, 8 by long-poll: one connection each.
        var expected = Map.of("websocket", 4, "eventsource", 3, "longpoll", 3);
        for (var page : pages) {
            assertEquals("one connection shared by " + expected.get((String) page.get("transport")) + " tabs", page.get("tabs"));
        }
    }

    @Test
    void aReloadedPageResumesWithoutLossOrRepeats() throws Exception {
        var objects = drive("reload");
        var said = strings(objects.stream().filter(o -> o.containsKey("said")).findFirst().orElseThrow(), "said");
        var pages = pages(objects);
        assertEquals(3, pages.size());
        assertEquals(said, sameEverywhere(pages), "what was said, in order, once each");
        assertEquals(17, said.size());
    }

    @Test
    void theDashboardsNumbersMoveWithTheMessages() throws Exception {
        var numbers = drive("dashboard").stream().filter(o -> o.containsKey("before")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked") var before = (Map<String, Object>) numbers.get("before");
        @SuppressWarnings("unchecked") var after = (Map<String, Object>) numbers.get("after");
        assertTrue(published(after) >= published(before) + 20, before + " -> " + after);
        assertTrue(delivered(after) >= delivered(before) + 20, "the chat page got them: " + before + " -> " + after);
        assertTrue((Double) after.get("updates") >= (Double) before.get("updates") + 2, numbers.toString());
        assertEquals("1", after.get("subscribers"));
        assertEquals("long-poll 0 · SSE 1 · WebSocket 0", after.get("byTransport"));
        assertEquals("live", after.get("state"));
    }

    private static long published(Map<String, Object> numbers) { return count(numbers, "published"); }

    private static long delivered(Map<String, Object> numbers) { return count(numbers, "delivered"); }

    private static long count(Map<String, Object> numbers, String what) {
        var m = Pattern.compile(what + " (\\d+)").matcher((String) numbers.get("published"));
        assertTrue(m.find(), numbers.toString());
        return Long.parseLong(m.group(1));
    }
}
