package dev.weft.protocol.http1;

import dev.weft.protocol.internal.Ascii;

/**
 * The authority grammar of RFC 3986 §3.2.2 and §3.2.3, as RFC 9110 §7.2 requires of Host:
 * {@code uri-host [ ":" port ]}, checked over bytes without allocating. One method per rule.
 * <ul>
 *   <li>IP-literal: {@code "[" ( IPv6address / IPvFuture ) "]"}; IPv6 in any of RFC 3986's nine
 *       forms, an embedded IPv4 at the end included; no zone identifier (RFC 6874 is for URIs a
 *       user types, and a zone means nothing to another host).</li>
 *   <li>reg-name: unreserved, pct-encoded and sub-delims, except ',': a comma in a Host value is
 *       two Host lines folded into one list by something on the way, and RFC 9110 §7.2 makes a
 *       list invalid; no host name contains one. A dotted number that is not an IPv4address (such
 *       as {@code 1.2.3.256}) is a reg-name by the grammar, and is accepted as one: it simply
 *       names no host.</li>
 *   <li>port: at most 5 digits and at most 65535. An empty port ({@code host:}) is allowed by
 *       RFC 3986's {@code *DIGIT} and means the scheme's default (§6.2.3); nginx accepts it too.</li>
 *   <li>At most 255 bytes of host, the limit RFC 3986 §3.2.2 gives name producers.</li>
 * </ul>
 */
final class HostSyntax {
    static final int MAX_HOST = 255;

    private HostSyntax() {}

    /** Host = uri-host [ ":" port ]; an empty value only when {@code mayBeEmpty}. */
    static boolean isHost(byte[] a, int from, int to, boolean mayBeEmpty) {
        if (from == to) return mayBeEmpty;
        int hostEnd = a[from] == '[' ? literalEnd(a, from, to) : regNameEnd(a, from, to);
        if (hostEnd < 0 || hostEnd == from || hostEnd - from > MAX_HOST) return false;
        if (hostEnd == to) return true;
        return a[hostEnd] == ':' && isPort(a, hostEnd + 1, to, true);
    }

    /** authority-form for CONNECT (RFC 9112 §3.2.3): a host and a port of 1..65535, no empty parts. */
    static boolean isHostAndPort(byte[] a, int from, int to) {
        if (from == to) return false;
        int hostEnd = a[from] == '[' ? literalEnd(a, from, to) : regNameEnd(a, from, to);
        if (hostEnd <= from || hostEnd == to || a[hostEnd] != ':' || hostEnd - from > MAX_HOST) return false;
        return isPort(a, hostEnd + 1, to, false) && port(a, hostEnd + 1, to) > 0;
    }

    /** port = *DIGIT, here at most 5 digits and 65535. */
    private static boolean isPort(byte[] a, int from, int to, boolean mayBeEmpty) {
        if (from == to) return mayBeEmpty;
        if (to - from > 5) return false;
        for (int i = from; i < to; i++) if (!Ascii.isDigit(a[i])) return false;
        return port(a, from, to) <= 65535;
    }

    private static int port(byte[] a, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) n = n * 10 + (a[i] - '0');
        return n;
    }

    /** Where a reg-name (or IPv4address, its subset) ends: at ':' or {@code to}; -1 at a bad byte. */
    private static int regNameEnd(byte[] a, int from, int to) {
        int i = from;
        while (i < to && a[i] != ':') {
            byte b = a[i];
            if (b == '%') {
                if (i + 2 >= to || Ascii.hexValue(a[i + 1]) < 0 || Ascii.hexValue(a[i + 2]) < 0) return -1;
                i += 3;
                continue;
            }
            if (!isUnreserved(b) && !isSubDelimButComma(b)) return -1;
            i++;
        }
        return i;
    }

    /** Where "[" ... "]" ends (after ']'); -1 unless its inside is an IPv6address or IPvFuture. */
    private static int literalEnd(byte[] a, int from, int to) {
        int close = from + 1;
        while (close < to && a[close] != ']') close++;
        if (close == to) return -1;
        boolean ok = close > from + 1 && (a[from + 1] == 'v' || a[from + 1] == 'V')
                ? isIpvFuture(a, from + 1, close) : isIpv6(a, from + 1, close);
        return ok ? close + 1 : -1;
    }

    /** IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ). */
    private static boolean isIpvFuture(byte[] a, int from, int to) {
        int i = from + 1, hex = i;
        while (i < to && Ascii.hexValue(a[i]) >= 0) i++;
        if (i == hex || i == to || a[i] != '.') return false;
        int rest = ++i;
        for (; i < to; i++) if (!isUnreserved(a[i]) && !isSubDelim(a[i]) && a[i] != ':') return false;
        return i > rest;
    }

    /**
     * IPv6address (RFC 3986 §3.2.2): at most 8 pieces of 1 to 4 hex digits, a "::" at most once
     * standing for one or more zero pieces, and optionally an IPv4address as the last two pieces.
     */
    private static boolean isIpv6(byte[] a, int from, int to) {
        int pieces = 0;
        boolean elided = false;
        int i = from;
        if (to - from >= 2 && a[i] == ':' && a[i + 1] == ':') {
            elided = true;
            i += 2;
            if (i == to) return true;                       // "::"
        } else if (i < to && a[i] == ':') {
            return false;                                   // a lone leading colon
        }
        while (i < to) {
            int start = i;
            while (i < to && i - start < 5 && Ascii.hexValue(a[i]) >= 0) i++;
            if (i < to && a[i] == '.') {                    // the IPv4 tail
                if (!isIpv4(a, start, to)) return false;
                pieces += 2;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) return false;
            pieces++;
            if (i == to) break;
            if (a[i] != ':') return false;
            i++;
            if (i < to && a[i] == ':') {
                if (elided) return false;                   // "::" twice
                elided = true;
                i++;
                if (i == to) break;                         // ends with "::"
            } else if (i == to) {
                return false;                               // ends with a single ':'
            }
        }
        return elided ? pieces <= 7 : pieces == 8;
    }

    /** IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet; no leading zeros. */
    private static boolean isIpv4(byte[] a, int from, int to) {
        int i = from;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i == to || a[i] != '.') return false;
                i++;
            }
            int start = i, value = 0;
            while (i < to && i - start < 3 && Ascii.isDigit(a[i])) value = value * 10 + (a[i++] - '0');
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && a[start] == '0')) return false;
        }
        return i == to;
    }

    private static boolean isUnreserved(byte b) {
        return Ascii.isDigit(b) || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static boolean isSubDelim(byte b) { return b == ',' || isSubDelimButComma(b); }

    private static boolean isSubDelimButComma(byte b) {
        return switch (b) {
            case '!', '$', '&', '\'', '(', ')', '*', '+', ';', '=' -> true;
            default -> false;
        };
    }
}
