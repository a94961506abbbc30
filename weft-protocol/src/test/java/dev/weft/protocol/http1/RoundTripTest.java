package dev.weft.protocol.http1;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Headers.Field;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.ResponseHead;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.Vectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.weft.protocol.http1.Http1Writer.NO_BODY;
import static dev.weft.protocol.http1.Http1Writer.UNKNOWN_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Writer → parser round trips in both roles (ARCHITECTURE.md convention 13, h11's ConnectionPair): what
 * {@link Http1Writer} and {@link BodyEncoder} put on the wire, cut into random reads, parses back
 * into the messages the caller wrote.
 *
 * <p>The oracle is the caller's side, not the writer's bytes: the parser must report the caller's
 * status (or method and target), the caller's fields in the caller's order, followed only by the
 * fields the writer owns (Content-Length, Transfer-Encoding, Connection, Date), the bytes of every
 * body piece, and the trailers. The framing the writer decides is checked against RFC 9112 §6.3
 * here, and the parser must arrive at the same one; a response's keep-alive must match
 * {@link Http1Writer#willClose}. The parser must consume exactly the bytes written.
 */
class RoundTripTest {
    /** Fields the writer may append after the caller's, each at most once. */
    private static final Set<String> RESPONSE_ADDED = Set.of("content-length", "transfer-encoding", "connection", "date");
    private static final Set<String> REQUEST_ADDED = Set.of("content-length", "transfer-encoding");
    /** Names random fields avoid: they change framing or connection handling, so they come only as specials. */
    private static final Set<String> RESERVED =
        Set.of("content-length", "transfer-encoding", "connection", "host", "date", "upgrade", "expect");
    private static final List<Field> RESPONSE_SPECIALS = List.of(
        new Field("Connection", "close"), new Field("connection", "keep-alive"),
        new Field("Connection", "Keep-Alive, Close"), new Field("Date", "Tue, 15 Nov 1994 08:12:31 GMT"));
    private static final List<Field> REQUEST_SPECIALS = List.of(
        new Field("Connection", "close"), new Field("connection", "keep-alive"),
        new Field("Connection", "Keep-Alive, Close"), new Field("Expect", "100-continue"));
    private static final List<Integer> REGISTERED =
        IntStream.rangeClosed(200, 599).filter(c -> !Status.of(c).reason().isEmpty()).boxed().toList();

    // ---- the caller's side ----

    /** How the caller gives the body's length: the contentLength argument, a Content-Length field, both, neither. */
    enum Length { ARGUMENT, FIELD, FIELD_AND_ARGUMENT, UNKNOWN, NO_BODY }

    /** A body as the caller hands it to the encoder, piece by piece (empty pieces too). */
    record Payload(Length length, List<byte[]> pieces) {
        byte[] bytes() {
            var out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        }

        /** The writer's contentLength argument. */
        long argument() {
            return switch (length) {
                case ARGUMENT, FIELD_AND_ARGUMENT -> bytes().length;
                case FIELD, UNKNOWN -> UNKNOWN_LENGTH;
                case NO_BODY -> NO_BODY;
            };
        }

        /** {@code fields}, with the caller's Content-Length, if it sets one, inserted at {@code at} (mod size + 1). */
        List<Field> withLengthField(List<Field> fields, int at) {
            if (length != Length.FIELD && length != Length.FIELD_AND_ARGUMENT) return fields;
            var out = new ArrayList<>(fields);
            out.add(at % (out.size() + 1), new Field("Content-Length", Integer.toString(bytes().length)));
            return out;
        }

        @Override public String toString() {
            var sb = new StringBuilder(length.toString());
            for (byte[] p : pieces) {
                sb.append(" [").append(p.length).append(": ");
                sb.append(Events.escape(java.util.Arrays.copyOf(p, Math.min(p.length, 32)))).append(']');
            }
            return sb.toString();
        }
    }

    /** A response as the caller writes it; {@code fields} holds any Content-Length it sets. */
    record Reply(Status status, List<Field> fields, Payload payload, List<Field> trailers) {
        Headers headers() { return toHeaders(fields); }

        /** The fields the writer passes on: all, but a 1xx or 204 loses Content-Length (RFC 9110 §8.6). */
        List<Field> passedOn() {
            int code = status.code();
            if (code >= 200 && code != 204) return fields;
            return fields.stream().filter(f -> !f.name().equalsIgnoreCase(FieldName.CONTENT_LENGTH)).toList();
        }
    }

    /** One request as the server saw it, the interim responses it got, then its final response. */
    record Exchange(RequestInfo request, List<Reply> interims, Reply reply) {}

    /** A request as the client writes it; {@code fields} holds its Host and any Content-Length. */
    record Request(Method method, String target, List<Field> fields, Payload payload, List<Field> trailers) {
        Headers headers() { return toHeaders(fields); }

        boolean closes() { return headers().containsToken(FieldName.CONNECTION, "close"); }
    }

    // ---- properties ----
    // Edge cases are off: mixed into these nested arbitraries they make four in ten responses a 204
    // (the first code listed), starving the body paths. The generators weight the corners themselves.

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void responseRoundTrips(@ForAll("exchanges") Exchange exchange, @ForAll @Size(max = 12) List<Integer> cuts,
                            @ForAll Feed.Buffers buffers) {
        checkResponses(List.of(exchange), cuts, buffers);
    }

    /** Keep-alive responses back to back on one connection, up to the first that closes it. */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void keepAliveResponsesParseAsTheSameSequence(@ForAll("conversations") List<Exchange> exchanges,
                                                  @ForAll @Size(max = 12) List<Integer> cuts, @ForAll Feed.Buffers buffers) {
        checkResponses(exchanges, cuts, buffers);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void requestRoundTrips(@ForAll("requests") Request request, @ForAll @Size(max = 12) List<Integer> cuts,
                           @ForAll Feed.Buffers buffers) {
        checkRequests(List.of(request), cuts, buffers);
    }

    /** Pipelined requests (RFC 9112 §9.3.2), up to the first that says Connection: close. */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void pipelinedRequestsParseAsTheSameSequence(@ForAll @Size(min = 2, max = 5) List<@From("requests") Request> requests,
                                                 @ForAll @Size(max = 12) List<Integer> cuts, @ForAll Feed.Buffers buffers) {
        checkRequests(requests, cuts, buffers);
    }

    // ---- responses: write, parse, compare ----

    private static void checkResponses(List<Exchange> exchanges, List<Integer> cuts, Feed.Buffers buffers) {
        var writer = new Http1Writer(new DateCache(784_111_777_000L));
        var out = new WriteRecorder();
        var sent = new ArrayList<Exchange>();
        var framings = new ArrayList<BodyFraming>();
        boolean closed = false;
        for (Exchange x : exchanges) {
            BodyFraming framing = write(writer, x, out);
            sent.add(x);
            framings.add(framing);
            if (Http1Writer.willClose(framing, x.request(), x.reply().headers())) {
                closed = true;
                break;
            }
        }
        var parser = new Http1Parser(Role.CLIENT, Http1Limits.DEFAULTS);
        sent.forEach(x -> parser.requestSent(x.request().method()));
        boolean untilClose = framings.getLast() instanceof BodyFraming.UntilClose;   // only the close ends it
        var result = Feed.run(parser, Splits.atModulo(out.bytes(), cuts), untilClose, buffers);
        assertEquals(0, result.unconsumed().length, "bytes left unparsed");
        var reader = new Reader(Events.coalesceBodies(result.events()));
        for (int i = 0; i < sent.size(); i++) {
            Exchange x = sent.get(i);
            for (Reply interim : x.interims()) checkResponse(reader.next(), interim, BodyFraming.EMPTY, true, true);
            boolean keepAlive = !Http1Writer.willClose(framings.get(i), x.request(), x.reply().headers());
            checkResponse(reader.next(), x.reply(), framings.get(i), keepAlive, false);
        }
        reader.assertEnd(closed);
    }

    /** Writes the exchange's interim and final responses; returns the final one's framing. */
    private static BodyFraming write(Http1Writer writer, Exchange x, ByteSink out) {
        for (Reply interim : x.interims()) {
            var framing = writer.writeResponseHead(interim.status(), interim.headers(), interim.payload().argument(),
                x.request(), out);
            assertEquals(BodyFraming.EMPTY, framing, "interim response");
        }
        Reply r = x.reply();
        BodyFraming framing = writer.writeResponseHead(r.status(), r.headers(), r.payload().argument(), x.request(), out);
        assertEquals(expectedFraming(x.request(), r), framing, "writer's framing");
        writeBody(framing, r.payload(), r.trailers(), out);
        return framing;
    }

    /** RFC 9112 §6.3 in the server's role: what the writer must decide for {@code r} to {@code request}. */
    private static BodyFraming expectedFraming(RequestInfo request, Reply r) {
        int code = r.status().code();
        if (code < 200 || code == 204 || code == 304 || request.method().equals(Method.HEAD)) return BodyFraming.EMPTY;
        return switch (r.payload().length()) {
            case ARGUMENT, FIELD, FIELD_AND_ARGUMENT -> new BodyFraming.Fixed(r.payload().bytes().length);
            case NO_BODY -> new BodyFraming.Fixed(0);
            // A response that says close itself ends its body at the close; chunks would add bytes only.
            case UNKNOWN -> request.version() == Version.HTTP_1_1
                    && !r.headers().containsToken(FieldName.CONNECTION, "close")
                ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
        };
    }

    private static void checkResponse(Message m, Reply r, BodyFraming framing, boolean keepAlive, boolean interim) {
        var head = assertInstanceOf(ResponseHead.class, m.head());
        assertEquals(Version.HTTP_1_1, head.version());
        assertEquals(r.status(), head.status());
        Set<String> added = assertCallerFields(r.passedOn(), head.headers(), interim ? Set.of() : RESPONSE_ADDED);
        if (!interim) {
            assertEquals(!r.headers().contains(FieldName.DATE), added.contains(FieldName.DATE),
                "Date added unless the caller set one (RFC 9110 §6.6.1)");
        }
        assertEquals(framing, head.framing(), "parser's framing");
        assertEquals(keepAlive, head.keepAlive(), "keepAlive");
        checkBody(m, framing, r.payload(), r.trailers());
    }

    // ---- requests: write, parse, compare ----

    private static void checkRequests(List<Request> requests, List<Integer> cuts, Feed.Buffers buffers) {
        var writer = new Http1Writer(new DateCache(0));
        var out = new WriteRecorder();
        var sent = new ArrayList<Request>();
        var framings = new ArrayList<BodyFraming>();
        for (Request r : requests) {
            BodyFraming framing = writer.writeRequestHead(r.method(), r.target(), r.headers(), r.payload().argument(), out);
            assertEquals(expectedFraming(r), bodyless(framing), "writer's framing");
            writeBody(framing, r.payload(), r.trailers(), out);
            sent.add(r);
            framings.add(framing);
            if (r.closes()) break;
        }
        var parser = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS);
        var result = Feed.run(parser, Splits.atModulo(out.bytes(), cuts), false, buffers);
        assertEquals(0, result.unconsumed().length, "bytes left unparsed");
        var reader = new Reader(Events.coalesceBodies(result.events()));
        for (int i = 0; i < sent.size(); i++) checkRequest(reader.next(), sent.get(i), framings.get(i));
        reader.assertEnd(sent.getLast().closes());
    }

    /**
     * RFC 9110 §8.6 and RFC 9112 §6.3 in the client's role, with Fixed(0) read as no body: the
     * writer says EMPTY where a POST's {@code Content-Length: 0} makes the parser say Fixed(0).
     */
    private static BodyFraming expectedFraming(Request r) {
        return switch (r.payload().length()) {
            case ARGUMENT, FIELD, FIELD_AND_ARGUMENT -> bodyless(new BodyFraming.Fixed(r.payload().bytes().length));
            case UNKNOWN -> BodyFraming.CHUNKED;
            case NO_BODY -> BodyFraming.EMPTY;
        };
    }

    private static BodyFraming bodyless(BodyFraming framing) {
        return framing.equals(new BodyFraming.Fixed(0)) ? BodyFraming.EMPTY : framing;
    }

    private static void checkRequest(Message m, Request r, BodyFraming framing) {
        var head = assertInstanceOf(RequestHead.class, m.head());
        assertEquals(r.method(), head.method());
        assertEquals(new RequestTarget(RequestTarget.Form.ORIGIN, r.target()), head.target());
        assertEquals(Version.HTTP_1_1, head.version());
        assertCallerFields(r.fields(), head.headers(), REQUEST_ADDED);
        assertEquals(bodyless(framing), bodyless(head.framing()), "parser's framing");
        assertEquals(!r.closes(), head.keepAlive(), "keepAlive");
        assertEquals(r.headers().containsToken(FieldName.EXPECT, "100-continue"), head.expectContinue(), "expectContinue");
        assertFalse(head.upgrade(), "upgrade");
        checkBody(m, framing, r.payload(), r.trailers());
    }

    // ---- both roles ----

    /** The payload's pieces through a BodyEncoder; trailers only where chunked can carry them. */
    private static void writeBody(BodyFraming framing, Payload payload, List<Field> trailers, ByteSink out) {
        var encoder = BodyEncoder.of(framing);
        if (!(framing instanceof BodyFraming.Empty)) {
            for (byte[] piece : payload.pieces()) encoder.encode(ByteBuffer.wrap(piece), out);
        }
        encoder.finish(framing instanceof BodyFraming.Chunked ? toHeaders(trailers) : Headers.empty(), out);
    }

    private static void checkBody(Message m, BodyFraming framing, Payload payload, List<Field> trailers) {
        byte[] body = framing instanceof BodyFraming.Empty ? new byte[0] : payload.bytes();
        assertArrayEquals(body, m.body(), "body");
        assertEquals(framing instanceof BodyFraming.Chunked ? toHeaders(trailers) : Headers.empty(), m.trailers(), "trailers");
    }

    /**
     * {@code parsed} starts with {@code sent}, in order (names without case), then holds only fields
     * named in {@code mayAdd}, each at most once. Returns the added names, lowercase.
     */
    private static Set<String> assertCallerFields(List<Field> sent, Headers parsed, Set<String> mayAdd) {
        var prefix = new Headers();
        for (int i = 0; i < Math.min(sent.size(), parsed.size()); i++) prefix.add(parsed.name(i), parsed.value(i));
        assertEquals(toHeaders(sent), prefix, () -> "the caller's fields, in " + parsed);
        var added = new HashSet<String>();
        for (int i = sent.size(); i < parsed.size(); i++) {
            String name = parsed.name(i).toLowerCase(Locale.ROOT);
            assertTrue(mayAdd.contains(name) && added.add(name), () -> "the writer added " + name + " in " + parsed);
        }
        return added;
    }

    private static Headers toHeaders(List<Field> fields) {
        var h = new Headers(Math.max(1, fields.size()));
        fields.forEach(f -> h.add(f.name(), f.value()));
        return h;
    }

    /** One message as the parser reported it: its head, its body bytes, its trailers. */
    record Message(Http1Event head, byte[] body, Headers trailers) {}

    /** Reads coalesced events ({@link Events#coalesceBodies}) a message at a time. */
    private static final class Reader {
        private final List<Object> events;
        private int at;

        Reader(List<Object> events) { this.events = events; }

        Message next() {
            assertTrue(at < events.size(), () -> "a message is missing from " + events);
            Object head = events.get(at++);
            assertTrue(head instanceof RequestHead || head instanceof ResponseHead, () -> "not a head: " + head + " in " + events);
            byte[] body = new byte[0];
            if (at < events.size() && events.get(at) instanceof Events.Data data) {
                body = data.bytes();
                at++;
            }
            assertTrue(at < events.size(), () -> "no EndOfMessage in " + events);
            var end = assertInstanceOf(EndOfMessage.class, events.get(at++), () -> "in " + events);
            return new Message((Http1Event) head, body, end.trailers());
        }

        /** Nothing after the last message but CLOSED, if the connection was to close. */
        void assertEnd(boolean closed) {
            assertEquals(closed ? List.of(Signal.CLOSED) : List.of(), events.subList(at, events.size()),
                () -> "after the last message, in " + events);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<Exchange> exchanges() {
        // an interim has no body: only its contentLength argument (ignored) and its Content-Length field (dropped) vary
        Arbitrary<Payload> noBody = lengths().map(length -> new Payload(length, List.of()));
        Arbitrary<List<Reply>> interims = replies(interimStatuses(), plainFields(), noBody).list().ofMaxSize(2);
        Arbitrary<List<Reply>> none = Arbitraries.just(List.of());
        return Combinators.combine(requestInfos(), Arbitraries.frequencyOf(Tuple.of(2, none), Tuple.of(1, interims)),
                replies(finalStatuses(), fields(RESPONSE_SPECIALS), payloads()))
            // the caller must not send a 1xx to an HTTP/1.0 request (RFC 9110 §15.2)
            .as((request, early, reply) -> new Exchange(request, request.version() == Version.HTTP_1_1 ? early : List.of(), reply));
    }

    /** Exchanges whose requests all asked for keep-alive but the last; a response may still close. */
    @Provide
    Arbitrary<List<Exchange>> conversations() {
        return exchanges().list().ofMinSize(2).ofMaxSize(5).map(xs -> IntStream.range(0, xs.size()).mapToObj(i -> {
            Exchange x = xs.get(i);
            RequestInfo r = x.request();
            if (i == xs.size() - 1 || r.keepAlive()) return x;
            return new Exchange(new RequestInfo(r.method(), r.version(), true), x.interims(), x.reply());
        }).toList());
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<Method> methods = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.OPTIONS,
                Method.TRACE, Method.PATCH)),
            Tuple.of(1, extensionMethods()));
        Arbitrary<String> targets = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("/")),
            Tuple.of(4, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40).map(s -> "/" + s)));
        Arbitrary<String> hosts = Arbitraries.oneOf(                       // reg-names, RFC 3986 §3.2.2
            Arbitraries.of("example.com", "127.0.0.1:8080", "[::1]:443", "xn--bcher-kva.example"),
            Arbitraries.strings().withChars("abcxyzABC019-._~!$&'()*+;=").ofMinLength(1).ofMaxLength(20));
        return Combinators.combine(methods, targets, fields(REQUEST_SPECIALS), hosts, payloads(), plainFields(),
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 9))
            .as((method, target, fields, host, payload, trailers, hostAt, lengthAt) -> {
                var all = new ArrayList<>(fields);
                all.add(hostAt % (all.size() + 1), new Field("Host", host));   // exactly one (RFC 9112 §3.2)
                return new Request(method, target, payload.withLengthField(all, lengthAt), payload, trailers);
            });
    }

    private static Arbitrary<Method> extensionMethods() {
        return tokens().filter(t -> !t.equals("CONNECT")).map(Method::of);   // CONNECT needs authority-form
    }

    private static Arbitrary<RequestInfo> requestInfos() {
        Arbitrary<Method> methods = Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(Method.HEAD)),
            Tuple.of(5, Arbitraries.of(Method.GET, Method.POST, Method.PUT, Method.DELETE, Method.OPTIONS, Method.PATCH)),
            Tuple.of(1, extensionMethods()));
        Arbitrary<Version> versions = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(Version.HTTP_1_1)), Tuple.of(1, Arbitraries.just(Version.HTTP_1_0)));
        Arbitrary<Boolean> keepAlive = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false)));
        return Combinators.combine(methods, versions, keepAlive).as(RequestInfo::new);
    }

    private static Arbitrary<Reply> replies(Arbitrary<Status> statuses, Arbitrary<List<Field>> fields,
                                            Arbitrary<Payload> payloads) {
        return Combinators.combine(statuses, fields, payloads, plainFields(), Arbitraries.integers().between(0, 8))
            .as((status, fs, payload, trailers, at) -> new Reply(status, payload.withLengthField(fs, at), payload, trailers));
    }

    /** 204, 304, the other registered codes, and any code up to 599. */
    private static Arbitrary<Status> finalStatuses() {
        return statuses(Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.of(204, 304)),
            Tuple.of(6, Arbitraries.of(REGISTERED)),
            Tuple.of(2, Arbitraries.integers().between(200, 599))));
    }

    /** 1xx but 101, which switches protocols and pauses the parser. */
    private static Arbitrary<Status> interimStatuses() {
        return statuses(Arbitraries.oneOf(Arbitraries.of(100, 102, 103),
            Arbitraries.integers().between(102, 199)));
    }

    /** The code's own reason, an empty one, or any reason-phrase (RFC 9112 §4: HTAB, SP, VCHAR, obs-text). */
    private static Arbitrary<Status> statuses(Arbitrary<Integer> codes) {
        Arbitrary<String> reasons = Arbitraries.strings().withCharRange(' ', '~').withCharRange((char) 0x80, (char) 0xFF)
            .withChars('\t').ofMaxLength(20);
        return Combinators.combine(codes, Arbitraries.integers().between(0, 3), reasons).as((code, kind, reason) ->
            switch (kind) {
                case 0, 1 -> Status.of(code);
                case 2 -> Status.of(code, "");
                default -> Status.of(code, reason);
            });
    }

    private static Arbitrary<Payload> payloads() {
        return Combinators.combine(lengths(), pieces().list().ofMaxSize(6))
            .as((length, pieces) -> new Payload(length, length == Length.NO_BODY ? List.of() : pieces));
    }

    /** Streamed (UNKNOWN) often, since chunked and until-close need it and HEAD, 204 and 304 void it. */
    private static Arbitrary<Length> lengths() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Length.ARGUMENT)),
            Tuple.of(1, Arbitraries.just(Length.FIELD)), Tuple.of(1, Arbitraries.just(Length.FIELD_AND_ARGUMENT)),
            Tuple.of(4, Arbitraries.just(Length.UNKNOWN)), Tuple.of(1, Arbitraries.just(Length.NO_BODY)));
    }

    /**
     * Mostly small pieces, some empty or looking like framing, and now and then a large one. Random
     * bytes come from a seed, not byte by byte from jqwik: the parser treats them as opaque, and
     * shrinking the length is what matters, at a fraction of the generation cost.
     */
    private static Arbitrary<byte[]> pieces() {
        return Arbitraries.frequencyOf(
            Tuple.of(20, Combinators.combine(Arbitraries.integers().between(0, 48), Arbitraries.longs())
                .as(RoundTripTest::noise)),
            Tuple.of(3, Arbitraries.of("", "0\r\n\r\n", "\r\n", "HTTP/1.1 200 OK\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                .map(Vectors::bytes)),
            Tuple.of(1, Combinators.combine(Arbitraries.integers().between(1_000, 10_000), Arbitraries.longs())
                .as(RoundTripTest::noise)));
    }

    private static byte[] noise(int length, long seed) {
        var bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Caller fields, now and then one of {@code specials} among them. */
    private static Arbitrary<List<Field>> fields(List<Field> specials) {
        return Arbitraries.frequencyOf(Tuple.of(12, plainField()), Tuple.of(1, Arbitraries.of(specials)))
            .list().ofMaxSize(8);
    }

    private static Arbitrary<List<Field>> plainFields() { return plainField().list().ofMaxSize(6); }

    private static Arbitrary<Field> plainField() {
        // a few common names, so one name often carries several values, and names the parser interns
        Arbitrary<String> names = Arbitraries.frequencyOf(
            Tuple.of(3, tokens()),
            Tuple.of(1, Arbitraries.of("X-Dup", "x-dup", "Accept", "Set-Cookie", "Vary", "content-type", "Cache-Control")));
        return Combinators.combine(names.filter(n -> !RESERVED.contains(n.toLowerCase(Locale.ROOT))), fieldValues())
            .as(Field::new);
    }

    private static Arbitrary<String> tokens() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
            .withChars("!#$%&'*+-.^_`|~").ofMinLength(1).ofMaxLength(12);
    }

    /** field-value (RFC 9110 §5.5): VCHAR, obs-text, inner SP and HTAB; the parser drops outer OWS (RFC 9112 §5). */
    private static Arbitrary<String> fieldValues() {
        return Arbitraries.strings().withCharRange('!', '~').withCharRange((char) 0x80, (char) 0xFF).withChars(" \t")
            .ofMaxLength(24).map(RoundTripTest::trimOws);
    }

    private static String trimOws(String s) {
        int from = 0, to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) from++;
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) to--;
        return s.substring(from, to);
    }
}
