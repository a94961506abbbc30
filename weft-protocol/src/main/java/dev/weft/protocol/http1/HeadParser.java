package dev.weft.protocol.http1;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.ResponseHead;
import dev.weft.protocol.internal.Ascii;
import dev.weft.protocol.internal.HeadersAccess;

import java.nio.charset.StandardCharsets;

/**
 * Turns the lines of one head, or of one trailer section, into an event.
 *
 * <p>Theory of operation. Two paths lead to the same result:
 * <ol>
 *   <li>The fast path, {@link #fieldLines}: after the start line, well-formed field lines that lie
 *       whole in the caller's buffer are parsed right there, one pass each: the name through the
 *       tchar table, then {@link HeadScan#fieldValueEnd} runs a word at a time to the CR, which
 *       also proves the value clean. It stops, consuming nothing of it, at the first line that is
 *       cut off, over a budget, or anything but plainly valid.</li>
 *   <li>The careful path, {@link #line}: {@link HeadLines} hands over one whole line (perhaps
 *       assembled in its scratch), and every check runs with its precise Violation. It reads the
 *       start line, every line the fast path declined, and every line cut by a read.</li>
 * </ol>
 * Both charge the budgets of {@link Http1Limits} per line ({@link #window()} is how far the current
 * line may run). When the empty line comes, {@link #request()} or {@link #response} decides framing
 * and connection facts once (through {@link HeadFacts}) and builds the event.
 *
 * <p>Errors: when a check fails and the line holds a CR that is not its ending, the answer is
 * BARE_CR rather than whatever the CR broke, so one input gets one violation however it is split.
 */
final class HeadParser {
    /** The most common target of all, shared (RequestTarget is immutable). */
    private static final RequestTarget ROOT = new RequestTarget(RequestTarget.Form.ORIGIN, "/");

    private final Role role;
    private final Http1Limits limits;
    private final HeadFacts facts;
    private final HeadNames.Scratch nameScratch = new HeadNames.Scratch();
    private int capacity = 8;           // fields in the previous head: the next Headers' size

    private boolean trailers;           // reading a trailer section rather than a head
    private boolean started;            // start line done (always, for trailers)
    private boolean done;               // the empty line that ends the section has come
    private int startBytes;             // spent on the start line and the empty lines before it
    private int fieldBytes;
    private int fieldCount;
    private Headers headers;

    private Method method;
    private RequestTarget.Form form;
    private String target;
    private Version version;
    private Status status;

    HeadParser(Role role, Http1Limits limits) {
        this.facts = new HeadFacts(role == Role.SERVER);
        this.role = role;
        this.limits = limits;
        beginHead();
    }

    void beginHead() {
        trailers = false;
        started = false;
        done = false;
        startBytes = fieldBytes = fieldCount = 0;
        headers = null;
        facts.reset();
    }

    /** Trailer fields get a fresh byte and line budget of their own (RFC 9112 §7.1.2). */
    void beginTrailers() {
        trailers = true;
        started = true;
        done = false;
        fieldBytes = fieldCount = 0;
        headers = null;
    }

    /** True once the empty line ending the head or trailer section has been read. */
    boolean done() { return done; }

    /** True before any byte of a head, empty lines included, has been taken. */
    boolean untouched() { return !started && !trailers && startBytes == 0 && fieldBytes == 0; }

    /** True once a start line has been read: input stopping now is an incomplete message. */
    boolean started() { return started && !trailers; }

    /** How many bytes the next line may take, LF included. */
    int window() {
        if (started) return limits.maxHeaderBytes() - fieldBytes;
        return (int) Math.min(Integer.MAX_VALUE, limits.maxRequestLine() + 2L - startBytes);   // the line and its CRLF
    }

    Violation tooLong() {
        return started ? Violation.HEADER_SECTION_TOO_LARGE : Violation.REQUEST_LINE_TOO_LONG;
    }

    /** Takes the line {@code a[from, lf]}; true when it was the empty line that ends the section. */
    boolean line(byte[] a, int from, int lf) {
        if (lf == from || a[lf - 1] != '\r') throw peer(Violation.BARE_LF, "line ends in LF without CR");  // §2.2
        int end = lf - 1;
        int length = lf + 1 - from;
        if (!started) {
            startBytes += length;
            if (end == from) {
                // RFC 9112 §2.2: a server ignores empty lines before the request-line
                if (role == Role.CLIENT) throw peer(Violation.BAD_STATUS_LINE, "empty line");
                return false;
            }
            if (role == Role.SERVER) requestLine(a, from, end);
            else statusLine(a, from, end);
            started = true;
            return false;
        }
        fieldBytes += length;
        if (end == from) return done = true;
        if (++fieldCount > limits.maxHeaderCount()) {
            throw peer(Violation.TOO_MANY_FIELDS, "more than " + limits.maxHeaderCount() + " field lines");
        }
        fieldLine(a, from, end);
        return false;
    }

    /**
     * The fast path: parses the well-formed, complete field lines (and the empty line) at the
     * start of {@code a[from, to)} in place, and returns where it stopped; {@link #done()} says
     * whether the section ended. It stops at the first line it cannot take whole and clean,
     * leaving that line to {@link #line}, which finds the same result or the precise violation.
     */
    int fieldLines(byte[] a, int from, int to) {
        if (!started || done) return from;
        int i = from;
        for (;;) {
            int budget = limits.maxHeaderBytes() - fieldBytes;
            int limit = to - i > budget ? i + budget : to;         // the whole line, LF too, within budget
            if (limit - i >= 2 && a[i] == '\r' && a[i + 1] == '\n') {
                fieldBytes += 2;
                done = true;
                return i + 2;
            }
            int next = fieldCount < limits.maxHeaderCount() ? cleanFieldLine(a, i, limit) : -1;
            if (next < 0) return i;
            fieldBytes += next - i;
            fieldCount++;
            i = next;
        }
    }

    /** One clean field line at {@code a[from, limit)}: the index after its LF, or -1 (nothing done). */
    private int cleanFieldLine(byte[] a, int from, int limit) {
        int colon = HeadScan.indexOf(a, from, limit, (byte) ':');
        if (colon == from || colon == limit) return -1;
        String name = a.length - from >= 8 ? HeadNames.common(a, from, colon) : null;   // a match proves the bytes tchars
        if (name == null) {
            for (int i = from; i < colon; i++) {
                if (!Ascii.isTchar(a[i])) return -1;
            }
            name = HeadNames.lowercase(a, from, colon, nameScratch);
        }
        int start = colon + 1;
        while (start < limit && (a[start] == ' ' || a[start] == '\t')) start++;
        int cr = HeadScan.fieldValueEnd(a, start, limit);
        if (limit - cr < 2 || a[cr] != '\r' || a[cr + 1] != '\n') return -1;
        addField(name, a, start, cr);
        return cr + 2;
    }

    // ---- start lines (RFC 9112 §3, §4) ----

    /** request-line = method SP request-target SP HTTP-version, single SP each (§3). */
    private void requestLine(byte[] a, int from, int end) {
        int sp = from;
        while (sp < end && Ascii.isTchar(a[sp])) sp++;
        if (sp == end || a[sp] != ' ' || sp == from) {
            boolean separator = sp == end || a[sp] == ' ' || a[sp] == '\t';
            throw fail(separator ? Violation.BAD_REQUEST_LINE : Violation.BAD_METHOD, a, from, end, "method");
        }
        method = Method.ofToken(a, from, sp);
        int t = sp + 1, sp2 = t;
        while (sp2 < end && Ascii.isTargetByte(a[sp2])) sp2++;
        if (sp2 == end || a[sp2] != ' ' || sp2 == t) {
            boolean separator = sp2 == end || a[sp2] == ' ' || a[sp2] == '\t';
            throw fail(separator ? Violation.BAD_REQUEST_LINE : Violation.BAD_TARGET, a, from, end, "request-target");
        }
        int v = sp2 + 1;
        if (end - v != 8) {
            boolean missing = v == end || contains(a, v, end, (byte) ' ');
            throw fail(missing ? Violation.BAD_REQUEST_LINE : Violation.BAD_VERSION,
                    a, from, end, "HTTP-version");
        }
        version = version(a, v, Violation.BAD_VERSION, from, end);
        form = targetForm(a, t, sp2);
        target = sp2 - t == 1 && a[t] == '/' ? ROOT.raw() : new String(a, t, sp2 - t, StandardCharsets.ISO_8859_1);
    }

    /**
     * The four request-target forms (§3.2), each tied to its methods: CONNECT takes only
     * authority-form and authority-form only CONNECT (§3.2.3); '*' only with OPTIONS (§3.2.4).
     */
    private RequestTarget.Form targetForm(byte[] a, int from, int to) {
        boolean connect = method == Method.CONNECT;
        RequestTarget.Form f;
        if (connect) f = isAuthority(a, from, to) ? RequestTarget.Form.AUTHORITY : null;
        else if (a[from] == '/') f = RequestTarget.Form.ORIGIN;
        else if (a[from] == '*') f = to - from == 1 && method == Method.OPTIONS ? RequestTarget.Form.ASTERISK : null;
        else f = isAbsolute(a, from, to) ? RequestTarget.Form.ABSOLUTE : null;
        if (f == null) throw peer(Violation.BAD_TARGET, "request-target does not fit the method");
        return f;
    }

    /**
     * scheme "://" authority ... (§3.2.2), the authority checked as a Host value is: not empty (an
     * http URI with an empty host is invalid, RFC 9110 §4.2.1) and without userinfo, which http
     * and https URIs may not carry (RFC 9110 §4.2.4).
     */
    private static boolean isAbsolute(byte[] a, int from, int to) {
        int i = from;
        if (!isAlpha(a[i])) return false;
        while (i < to && (isAlpha(a[i]) || Ascii.isDigit(a[i]) || a[i] == '+' || a[i] == '-' || a[i] == '.')) i++;
        if (to - i < 4 || a[i] != ':' || a[i + 1] != '/' || a[i + 2] != '/') return false;
        int authority = i + 3, end = authority;
        while (end < to && a[end] != '/' && a[end] != '?' && a[end] != '#') end++;
        return end > authority && HostSyntax.isHost(a, authority, end, false);
    }

    /** uri-host ":" port, with a port 1..65535 (§3.2.3; RFC 9110 §9.3.6 rejects an empty port). */
    private static boolean isAuthority(byte[] a, int from, int to) { return HostSyntax.isHostAndPort(a, from, to); }

    /**
     * HTTP-version = "HTTP/" DIGIT "." DIGIT (§2.3), 8 bytes at {@code v}. HTTP/1.x above 1.1 is
     * read as 1.1 (RFC 9110 §6.2); another major is a version we do not speak (505).
     */
    private static Version version(byte[] a, int v, Violation malformed, int lineFrom, int lineEnd) {
        if (!Ascii.regionEquals(a, v, "HTTP/") || !Ascii.isDigit(a[v + 5]) || a[v + 6] != '.' || !Ascii.isDigit(a[v + 7])) {
            throw fail(malformed, a, lineFrom, lineEnd, "HTTP-version");
        }
        if (a[v + 5] != '1') throw peer(Violation.VERSION_NOT_SUPPORTED, "HTTP/" + (char) a[v + 5] + "." + (char) a[v + 7]);
        return a[v + 7] == '0' ? Version.HTTP_1_0 : Version.HTTP_1_1;
    }

    /** status-line = HTTP-version SP status-code SP [reason-phrase] (§4); SP and reason may be missing. */
    private void statusLine(byte[] a, int from, int end) {
        if (end - from < 12 || a[from + 8] != ' ') throw fail(Violation.BAD_STATUS_LINE, a, from, end, "status-line");
        version = version(a, from, Violation.BAD_STATUS_LINE, from, end);
        int c = from + 9;
        if (!Ascii.isDigit(a[c]) || !Ascii.isDigit(a[c + 1]) || !Ascii.isDigit(a[c + 2])) {
            throw fail(Violation.BAD_STATUS_LINE, a, from, end, "status-code");
        }
        int code = (a[c] - '0') * 100 + (a[c + 1] - '0') * 10 + (a[c + 2] - '0');
        int r = c + 3;
        if (code < 100 || code > 599 || (r < end && a[r] != ' ')) {
            throw fail(Violation.BAD_STATUS_LINE, a, from, end, "status-code");
        }
        for (int i = r + 1; i < end; i++) {
            if (!Ascii.isFieldValueByte(a[i])) throw fail(Violation.BAD_STATUS_LINE, a, from, end, "reason-phrase");
        }
        status = status(code, a, Math.min(r + 1, end), end);
    }

    /** Registered statuses whose reason matches come back without allocating. */
    private static Status status(int code, byte[] a, int from, int to) {
        Status plain = Status.of(code);
        String reason = plain.reason();
        if (reason.length() == to - from && Ascii.regionEquals(a, from, reason)) return plain;
        return Status.of(code, new String(a, from, to - from, StandardCharsets.ISO_8859_1));
    }

    // ---- field lines (RFC 9112 §5) ----

    /** field-line = field-name ":" OWS field-value OWS, the name lowercased (the careful path). */
    private void fieldLine(byte[] a, int from, int end) {
        if (a[from] == ' ' || a[from] == '\t') throw fail(Violation.OBS_FOLD, a, from, end, "obs-fold");  // §5.2
        int colon = from;
        while (colon < end && Ascii.isTchar(a[colon])) colon++;
        if (colon == end || a[colon] != ':' || colon == from) throw nameViolation(a, from, colon, end);
        int start = colon + 1;
        while (start < end && (a[start] == ' ' || a[start] == '\t')) start++;
        if (HeadScan.fieldValueEnd(a, start, end) != end) throw fail(Violation.BAD_FIELD_VALUE, a, from, end, "field-value");
        addField(HeadNames.of(a, from, colon, nameScratch), a, start, end);
    }

    /** Adds a field whose value, leading OWS skipped, is {@code a[start, end)} less trailing OWS. */
    private void addField(String name, byte[] a, int start, int end) {
        int stop = end;
        while (stop > start && (a[stop - 1] == ' ' || a[stop - 1] == '\t')) stop--;
        String value = stop == start ? "" : new String(a, start, stop - start, StandardCharsets.ISO_8859_1);
        if (headers == null) headers = new Headers(capacity);
        HeadersAccess.addTrusted(headers, name, value);
        if (!trailers) facts.field(name, a, start, stop);
    }

    private static PeerViolation nameViolation(byte[] a, int from, int at, int end) {
        int next = at;
        while (next < end && (a[next] == ' ' || a[next] == '\t')) next++;
        boolean spaceThenColon = next > at && next < end && a[next] == ':' && at > from;   // §5.1
        return fail(spaceThenColon ? Violation.WHITESPACE_BEFORE_COLON : Violation.BAD_FIELD_NAME, a, from, end, "field-name");
    }

    // ---- the finished head ----

    /** The request head, its framing and connection facts decided (§3.2, §6.3, §9.3). */
    RequestHead request() {
        Headers h = fields();
        facts.checkHost(version);
        BodyFraming framing = facts.requestFraming(version);
        boolean http11 = version == Version.HTTP_1_1;
        boolean expect = http11 && facts.expect && h.containsToken(FieldName.EXPECT, "100-continue");  // RFC 9110 §10.1.1
        // RFC 9110 §7.8: Upgrade must be listed in Connection, and is ignored in an HTTP/1.0 request
        boolean upgrade = http11 && facts.upgrade && facts.connection && h.containsToken(FieldName.CONNECTION, "upgrade");
        RequestTarget requestTarget = target == ROOT.raw() ? ROOT : new RequestTarget(form, target);
        return new RequestHead(method, requestTarget, version, h, framing, keepAlive(h), expect, upgrade);
    }

    /** The response head for a request sent with {@code sent}. */
    ResponseHead response(Method sent) {
        Headers h = fields();
        BodyFraming framing = facts.responseFraming(version, status.code(), sent);
        boolean keepAlive = framing != BodyFraming.UNTIL_CLOSE && keepAlive(h);
        return new ResponseHead(version, status, h, framing, keepAlive);
    }

    /** The trailer fields read since {@link #beginTrailers()}, empty when there were none. */
    Headers trailerFields() {
        return headers == null ? Headers.empty() : headers;
    }

    private Headers fields() {
        if (headers == null) return new Headers(1);
        capacity = Math.max(4, headers.size());
        return headers;
    }

    /** RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". */
    private boolean keepAlive(Headers h) {
        if (version == Version.HTTP_1_1) return !facts.connection || !h.containsToken(FieldName.CONNECTION, "close");
        return facts.connection && h.containsToken(FieldName.CONNECTION, "keep-alive");
    }

    // ---- helpers ----

    private static boolean isAlpha(byte b) { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'); }

    private static boolean contains(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) if (a[i] == b) return true;
        return false;
    }

    /** {@code v}, unless the line holds a bare CR, which is the real fault (§2.2). */
    private static PeerViolation fail(Violation v, byte[] a, int from, int end, String what) {
        return contains(a, from, end, (byte) '\r') ? peer(Violation.BARE_CR, "CR without LF") : peer(v, what);
    }

    private static PeerViolation peer(Violation v, String detail) { return new PeerViolation(v, detail); }
}
