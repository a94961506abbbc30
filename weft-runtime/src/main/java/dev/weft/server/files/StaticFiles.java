package dev.weft.server.files;

import dev.weft.loop.spi.FileSource;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.server.Exchange;
import dev.weft.server.Handler;
import dev.weft.server.Request;
import dev.weft.server.Response;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves the files under a folder: the handler behind {@code weft serve}, and a route for any
 * server.
 * <pre>{@code
 * Server.builder().get("/static/{path...}", StaticFiles.at(Path.of("public")).prefix("/static/").build())
 * }</pre>
 *
 * <h2>What a request gets</h2>
 * <ol>
 *   <li>GET and HEAD only; anything else is 405 with {@code Allow: GET, HEAD}.</li>
 *   <li>The path under the prefix is decoded once and normalised ({@link RequestPath}); one that
 *       is malformed, climbs above the root, or names a hidden file is 404.</li>
 *   <li>It is looked up under the real root ({@link FileLookup}): missing is 404; outside the root
 *       through a symbolic link, or not a regular file or folder, is 403.</li>
 *   <li>A folder without its trailing slash is redirected (301) to it, so relative links inside
 *       work; with it, its index file is served, else its listing if enabled, else 404.</li>
 *   <li>A file: its {@code .br} or {@code .gz} sibling instead, when precompressed variants are
 *       enabled and the client accepts that coding ({@code Vary: Accept-Encoding} whenever a
 *       sibling exists); then the preconditions (304, 412), then the Range (206, multipart, 416).</li>
 *   <li>The body: a small whole file is read and sent with its head in one write; anything
 *       else is sent from the open file with sendfile, which is opened only for the response and
 *       closed when it is sent or abandoned, so an idle connection holds no file.</li>
 * </ol>
 * File system calls (stat, open, a small read) run on the event loop, as nginx makes them on its
 * workers: on a local disk they are as quick as the socket calls around them. For a network file
 * system, run the handler from a blocking route instead ({@link #blocking()}).
 */
public final class StaticFiles implements Handler.Async {
    private final FileLookup lookup;
    private final Settings settings;

    /** The options of a {@link Builder}, fixed at build. */
    private record Settings(String prefix, boolean listing, boolean hidden, Optional<String> cacheControl,
                            boolean precompressed, String index, long inMemoryBelow) {}

    private StaticFiles(FileLookup lookup, Settings settings) {
        this.lookup = lookup;
        this.settings = settings;
    }

    public static Builder at(Path root) { return new Builder(root); }

    /** The same service as a handler that runs on a virtual thread, for slow file systems. */
    public Handler.Blocking blocking() { return this::respond; }

    @Override public void handle(Request request, Exchange exchange) { exchange.reply(respond(request)); }

    /** The response for {@code request}; on any thread. */
    public Response respond(Request request) {
        if (request.method() != Method.GET && request.method() != Method.HEAD) {
            return Response.text(Status.METHOD_NOT_ALLOWED, "Method Not Allowed\n").withHeader(FieldName.ALLOW, "GET, HEAD");
        }
        String raw = request.path();
        if (!raw.startsWith(settings.prefix())) return notFound();
        var parsed = RequestPath.parse(raw.substring(settings.prefix().length()), settings.hidden());
        if (!(parsed instanceof RequestPath.Parsed.Ok(RequestPath path))) return notFound();
        return switch (lookup.find(path)) {
            case FileLookup.Found.Missing _ -> notFound();
            case FileLookup.Found.Forbidden _ -> forbidden();
            case FileLookup.Found.Directory d -> directory(request, path, d);
            case FileLookup.Found.File f -> path.directory() ? notFound() : new FileReply(request, f).respond();
        };
    }

    private Response directory(Request request, RequestPath path, FileLookup.Found.Directory dir) {
        if (!path.directory()) {                                       // RFC 9110 §15.4.2
            String query = request.query().isEmpty() ? "" : "?" + request.query();
            return Response.text(Status.MOVED_PERMANENTLY, "Moved Permanently\n")
                    .withHeader(FieldName.LOCATION, request.path() + "/" + query);
        }
        var index = lookupIn(dir, settings.index());
        if (index instanceof FileLookup.Found.File f) return new FileReply(request, f).respond();
        if (!settings.listing()) return notFound();
        try {
            String page = DirectoryListing.render(dir.real(), request.path(), settings.hidden());
            return Response.bytes(Status.OK, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return forbidden();
        }
    }

    private FileLookup.Found lookupIn(FileLookup.Found.Directory dir, String name) { return lookup.child(dir, name); }

    /** One file's answer: variant, validators, preconditions, range, body. */
    private final class FileReply {
        private final Request request;
        private FileLookup.Found.File file;
        private final String contentType;
        private String coding;                 // "br", "gzip" or null
        private boolean vary;

        FileReply(Request request, FileLookup.Found.File file) {
            this.request = request;
            this.file = file;
            this.contentType = MediaTypes.of(file.real().getFileName().toString());
        }

        Response respond() {
            if (settings.precompressed()) chooseVariant();
            BasicFileAttributes attributes = file.attributes();
            Headers headers = headers(attributes);
            String etag = etag(attributes);
            long modified = modifiedSeconds(attributes);
            switch (Preconditions.evaluate(request.method(), request.headers(), etag, modified)) {
                case NOT_MODIFIED -> { return new Response(Status.NOT_MODIFIED, headers, ByteBuffer.allocate(0)); }
                case PRECONDITION_FAILED -> { return Response.text(Status.PRECONDITION_FAILED, "Precondition Failed\n"); }
                case PROCEED -> { }
            }
            long size = attributes.size();
            var plan = request.method() == Method.GET && Preconditions.rangeApplies(request.headers(), etag, modified)
                    ? ByteRanges.plan(request.headers().firstOr("range", null), size) : ByteRanges.Plan.Whole.WHOLE;
            if (plan instanceof ByteRanges.Plan.Unsatisfiable) {
                return Response.text(Status.RANGE_NOT_SATISFIABLE, "Range Not Satisfiable\n")
                        .withHeader("content-range", "bytes */" + size);
            }
            FileLookup.Opened opened = lookup.open(file);
            if (opened == null) return forbidden();
            if (!sameVersion(attributes, opened.attributes())) {     // changed since the stat: describe what is open
                attributes = opened.attributes();
                headers = headers(attributes);
                size = attributes.size();
                if (!(plan instanceof ByteRanges.Plan.Whole)) plan = ByteRanges.plan(request.headers().firstOr("range", null), size);
            }
            var origin = new FileSource.Origin(file.real(), opened.attributes().fileKey());
            return FileBodies.body(opened.channel(), origin, plan, headers, contentType, size,
                    request.method() == Method.GET ? settings.inMemoryBelow() : -1);
        }

        /** Picks the .br or .gz sibling when the client accepts it. */
        private void chooseVariant() {
            String accepted = request.headers().firstOr("accept-encoding", "");
            for (String[] candidate : new String[][] {{"br", ".br"}, {"gzip", ".gz"}}) {
                if (!(lookup.sibling(file, candidate[1]) instanceof FileLookup.Found.File sibling)) continue;
                vary = true;
                if (coding == null && accepts(accepted, candidate[0])) {
                    coding = candidate[0];
                    file = sibling;
                }
            }
        }

        private Headers headers(BasicFileAttributes attributes) {
            var h = new Headers(8);
            h.add(FieldName.CONTENT_TYPE, contentType);
            h.add("last-modified", Preconditions.formatDate(modifiedSeconds(attributes)));
            h.add("etag", etag(attributes));
            h.add("accept-ranges", "bytes");
            settings.cacheControl().ifPresent(c -> h.add("cache-control", c));
            if (coding != null) h.add("content-encoding", coding);
            if (vary) h.add("vary", "Accept-Encoding");
            return h;
        }
    }

    private static boolean sameVersion(BasicFileAttributes a, BasicFileAttributes b) {
        return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime());
    }

    /**
     * A strong validator (RFC 9110 §8.8.3) from the modification time and the size, as nginx
     * makes it: a file rewritten in place changes its mtime, and its tag with it.
     */
    static String etag(BasicFileAttributes attributes) {
        return "\"" + Long.toHexString(attributes.lastModifiedTime().toMillis()) + "-" + Long.toHexString(attributes.size()) + "\"";
    }

    private static long modifiedSeconds(BasicFileAttributes attributes) {
        return Math.floorDiv(attributes.lastModifiedTime().toMillis(), 1000);
    }

    /** Whether an Accept-Encoding value accepts {@code coding} with a q above 0 (RFC 9110 §12.5.3). */
    static boolean accepts(String acceptEncoding, String coding) {
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!name.equals(coding)) continue;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) return !p.substring(2).trim().matches("0(\\.0{0,3})?");
            }
            return true;
        }
        return false;
    }

    private static Response notFound() { return Response.text(Status.NOT_FOUND, "Not Found\n"); }

    private static Response forbidden() { return Response.text(Status.FORBIDDEN, "Forbidden\n"); }

    /** For tests: runs between a file's check and its open. */
    void beforeOpen(Consumer<Path> hook) { lookup.beforeOpen(hook); }

    /**
     * Settings. Defaults: mounted at {@code /}; no listing; hidden files refused; symbolic links
     * may not leave the root; no Cache-Control; precompressed siblings served; {@code index.html}
     * for folders; files up to 16 KiB read and sent with their head (see BENCHMARKS.md).
     */
    public static final class Builder {
        private final Path root;
        private String prefix = "/";
        private boolean listing;
        private boolean hidden;
        private boolean linksMayLeaveRoot;
        private Optional<String> cacheControl = Optional.empty();
        private boolean precompressed = true;
        private String index = "index.html";
        private long inMemoryBelow = 16 << 10;

        private Builder(Path root) { this.root = Objects.requireNonNull(root, "root"); }

        /** The URL path the root is served at, ending in '/'. */
        public Builder prefix(String prefix) {
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) throw new IllegalArgumentException("prefix must start and end with '/': " + prefix);
            this.prefix = prefix;
            return this;
        }

        public Builder listing(boolean on) { this.listing = on; return this; }

        /** Serve dot-files and dot-folders (refused by default: {@code .git}, {@code .env}). */
        public Builder hiddenFiles(boolean on) { this.hidden = on; return this; }

        /** Follow symbolic links that lead outside the root (refused with 403 by default). */
        public Builder linksOutsideRoot(boolean on) { this.linksMayLeaveRoot = on; return this; }

        public Builder cacheControl(String value) { this.cacheControl = Optional.of(value); return this; }

        public Builder precompressed(boolean on) { this.precompressed = on; return this; }

        public Builder index(String fileName) { this.index = Objects.requireNonNull(fileName); return this; }

        /** Whole files up to this size are read and sent with their head; larger ones with sendfile. */
        public Builder inMemoryBelow(long bytes) { this.inMemoryBelow = bytes; return this; }

        /** @throws IOException if the root is not a readable folder */
        public StaticFiles build() throws IOException {
            return new StaticFiles(new FileLookup(root, linksMayLeaveRoot),
                    new Settings(prefix, listing, hidden, cacheControl, precompressed, index, inMemoryBelow));
        }
    }
}
