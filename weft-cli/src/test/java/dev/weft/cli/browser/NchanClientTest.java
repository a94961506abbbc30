package dev.weft.cli.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nchan's own JS client (NchanSubscriber from the npm package {@code nchan}) in chromium, over
 * each transport, against real Nchan and against {@code weft pubsub}: the same steps
 * (src/test/browser/nchan-client.js) on both, and what the client's {@code message} callback
 * received compared. Ids differ in time, so bodies, order, content types, the id's shape
 * {@code \d+:\d+} and where each resume starts are compared. Screenshots and the transcripts
 * (JSON lines): target/browser-shots/nchan-client-*.
 */
@Timeout(60)
class NchanClientTest {
    private static final Pattern ID = Pattern.compile("\\d+:\\d+");
    private static final List<String> RECEIVE = List.of("one", "{\"n\":2}", "line 1\nline 2", "héllo ✓");
    private static final List<String> TYPES = List.of("text/plain", "application/json", "text/plain; charset=utf-8", "text/html");
    private static final List<String> ALL = List.of("one", "{\"n\":2}", "line 1\nline 2", "héllo ✓",
            "five", "six", "seven", "eight", "nine", "ten", "eleven");

    @TempDir static Path dir;
    private static Browser browser;
    private static PubSubServer nchan, weft;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.require();
        nchan = PubSubServer.nchan(dir);
        weft = PubSubServer.weft();
    }

    @AfterAll
    static void stop() {
        if (nchan != null) nchan.close();
        if (weft != null) weft.close();
    }

    /** The steps' lines of one run, by server, then by step. */
    private static Map<String, Map<String, Map<String, Object>>> run(String transport) throws Exception {
        var servers = "[" + String.join(",", List.of(nchan, weft).stream()
                .map(s -> "{\"name\":\"" + s.name() + "\",\"base\":\"" + s.base() + "\"}").toList()) + "]";
        var result = browser.run("nchan-client.js", Duration.ofSeconds(50), Map.of("WEFT_SERVERS", servers), transport);
        // What the client received, for a human: one JSON line per server and step.
        java.nio.file.Files.write(Browser.SHOTS.resolve("nchan-client-" + transport + ".jsonl"), result.lines());
        var objects = result.objects();
        var byServer = new LinkedHashMap<String, Map<String, Map<String, Object>>>();
        for (var o : objects) {
            assertTrue(!o.containsKey("pageerror") && !o.containsKey("error"), "the page failed: " + o);
            if (o.containsKey("step")) byServer.computeIfAbsent((String) o.get("server"), k -> new LinkedHashMap<>()).put((String) o.get("step"), o);
        }
        assertEquals(List.of("nchan", "weft"), List.copyOf(byServer.keySet()), objects.toString());
        return byServer;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> got(Map<String, Map<String, Object>> steps, String step) {
        return (List<Map<String, Object>>) steps.get(step).get("got");
    }

    private static List<String> field(List<Map<String, Object>> got, String key) {
        return got.stream().map(m -> (String) m.get(key)).toList();
    }

    // What one server's client received, step by step: each message once, in order, with an id of
    // Nchan's shape, ids rising, the content type as published (EventSource carries none).
    private static void check(String server, String transport, Map<String, Map<String, Object>> steps) {
        // Nchan's long-poll ignores the client's resume: NchanSubscriber starts a long-poll from a
        // known id with a request header "Etag: <id>", which Nchan does not read, so it gets the
        // default first message, the oldest; Weft reads it (docs/NCHAN.md, the long-poll client).
        boolean replays = server.equals("nchan") && transport.equals("longpoll");
        var expected = new LinkedHashMap<String, List<String>>();
        expected.put("receive", RECEIVE);
        expected.put("restart", List.of("five", "six", "seven"));
        expected.put("resume-id", replays ? ALL.subList(0, 9) : List.of("eight", "nine"));
        expected.put("resume-session", replays ? ALL : List.of("eight", "nine", "ten", "eleven"));
        for (var e : expected.entrySet()) {
            var got = got(steps, e.getKey());
            var where = server + " " + transport + " " + e.getKey() + ": " + got;
            assertEquals(e.getValue(), field(got, "data"), where);
            var ids = field(got, "id");
            assertTrue(ids.stream().allMatch(id -> id != null && ID.matcher(id).matches()), where);
            for (int i = 1; i < ids.size(); i++) assertTrue(compare(ids.get(i - 1), ids.get(i)) < 0, where);
            var types = field(got, "type");
            if (transport.equals("eventsource")) assertTrue(types.stream().allMatch(t -> t == null), where);
            else if (e.getKey().equals("receive")) assertEquals(TYPES, types, where);
            else assertTrue(types.stream().allMatch(t -> t.startsWith("text/") || t.equals("application/json")), where);
        }
        var from = (String) steps.get("resume-id").get("from");
        assertEquals(field(got(steps, "restart"), "id").getLast(), from, "the stopped subscriber's lastMessageId");
        if (!replays) assertTrue(compare(from, field(got(steps, "resume-id"), "id").getFirst()) < 0);
        @SuppressWarnings("unchecked") var info = (Map<String, Object>) steps.get("info").get("info");
        assertEquals(4.0, info.get("messages"), server + " " + info);
        assertEquals(1.0, info.get("subscribers"), server + " " + info);
        assertEquals(field(got(steps, "receive"), "id").getLast(), info.get("last_message_id"), server + " " + info);
    }

    private static int compare(String a, String b) {
        long[] x = Arrays.stream(a.split(":")).mapToLong(Long::parseLong).toArray();
        long[] y = Arrays.stream(b.split(":")).mapToLong(Long::parseLong).toArray();
        return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
    }

    // Both servers' transcripts, with ids reduced to their shape: the same, but for the long-poll
    // resume Weft adds (there Weft's messages are the end of Nchan's replay).
    private static void compareServers(String transport, Map<String, Map<String, Map<String, Object>>> runs) {
        var nchanSteps = runs.get("nchan");
        var weftSteps = runs.get("weft");
        for (var step : List.of("receive", "restart", "resume-id", "resume-session")) {
            var fromNchan = shape(got(nchanSteps, step));
            var fromWeft = shape(got(weftSteps, step));
            if (transport.equals("longpoll") && step.startsWith("resume-")) {
                assertEquals(fromNchan.subList(fromNchan.size() - fromWeft.size(), fromNchan.size()), fromWeft, step);
            } else {
                assertEquals(fromNchan, fromWeft, transport + " " + step);
            }
        }
    }

    private static List<String> shape(List<Map<String, Object>> got) {
        var out = new ArrayList<String>();
        for (var m : got) out.add(m.get("data") + " | " + m.get("type") + " | " + ID.matcher(String.valueOf(m.get("id"))).matches());
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "eventsource", "longpoll"})
    void nchansClientGetsTheSameFromNchanAndWeft(String transport) throws Exception {
        var runs = run(transport);
        for (var server : runs.entrySet()) check(server.getKey(), transport, server.getValue());
        compareServers(transport, runs);
    }
}
