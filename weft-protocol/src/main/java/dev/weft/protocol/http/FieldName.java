package dev.weft.protocol.http;

import java.util.List;

/**
 * Common field names, lowercase as HTTP/2 sends them. The HTTP/1.1 parser hands out these very
 * String instances for the names it recognises, so {@link Headers} lookups of them usually
 * succeed on identity before any character is compared.
 */
public final class FieldName {
    private FieldName() {}

    public static final String ACCEPT = "accept";
    public static final String ACCEPT_ENCODING = "accept-encoding";
    public static final String ACCEPT_LANGUAGE = "accept-language";
    public static final String AUTHORIZATION = "authorization";
    public static final String CACHE_CONTROL = "cache-control";
    public static final String CONNECTION = "connection";
    public static final String CONTENT_ENCODING = "content-encoding";
    public static final String CONTENT_LENGTH = "content-length";
    public static final String CONTENT_TYPE = "content-type";
    public static final String COOKIE = "cookie";
    public static final String DATE = "date";
    public static final String ETAG = "etag";
    public static final String EXPECT = "expect";
    public static final String HOST = "host";
    public static final String IF_MODIFIED_SINCE = "if-modified-since";
    public static final String IF_NONE_MATCH = "if-none-match";
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String LAST_MODIFIED = "last-modified";
    public static final String LAST_EVENT_ID = "last-event-id";
    public static final String LOCATION = "location";
    public static final String ORIGIN = "origin";
    public static final String PRAGMA = "pragma";
    public static final String RANGE = "range";
    public static final String REFERER = "referer";
    public static final String SEC_FETCH_DEST = "sec-fetch-dest";
    public static final String SEC_FETCH_MODE = "sec-fetch-mode";
    public static final String SEC_FETCH_SITE = "sec-fetch-site";
    public static final String SEC_FETCH_USER = "sec-fetch-user";
    public static final String SEC_WEBSOCKET_KEY = "sec-websocket-key";
    public static final String SEC_WEBSOCKET_VERSION = "sec-websocket-version";
    public static final String SERVER = "server";
    public static final String SET_COOKIE = "set-cookie";
    public static final String TE = "te";
    public static final String TRAILER = "trailer";
    public static final String TRANSFER_ENCODING = "transfer-encoding";
    public static final String UPGRADE = "upgrade";
    public static final String UPGRADE_INSECURE_REQUESTS = "upgrade-insecure-requests";
    public static final String USER_AGENT = "user-agent";
    public static final String VARY = "vary";
    public static final String ALLOW = "allow";

    /** Every name above: the parser's table of names it need not allocate. */
    public static final List<String> COMMON = List.of(
        ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, AUTHORIZATION, CACHE_CONTROL, CONNECTION,
        CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, DATE, ETAG, EXPECT, HOST,
        IF_MODIFIED_SINCE, IF_NONE_MATCH, KEEP_ALIVE, LAST_MODIFIED, LAST_EVENT_ID, LOCATION,
        ORIGIN, PRAGMA, RANGE, REFERER, SEC_FETCH_DEST, SEC_FETCH_MODE, SEC_FETCH_SITE,
        SEC_FETCH_USER, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION, SERVER, SET_COOKIE, TE, TRAILER,
        TRANSFER_ENCODING, UPGRADE, UPGRADE_INSECURE_REQUESTS, USER_AGENT, VARY, ALLOW);
}
