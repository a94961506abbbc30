package dev.weft.protocol.websocket;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The server's permessage-deflate negotiation (RFC 7692 §5, §7.1), offer by offer. */
class DeflateNegotiationTest {
    static final DeflateOptions TAKEOVER = DeflateOptions.DEFAULTS.withContextTakeover(true, true);

    /** The response the server gives to {@code header}, or empty if it declines every offer. */
    static Optional<String> answer(String header, DeflateOptions options) {
        return DeflateNegotiation.accept(ExtensionHeader.parse(List.of(header)), options).map(DeflateNegotiation.Agreement::response);
    }

    static Optional<DeflateParameters> agreed(String header, DeflateOptions options) {
        return DeflateNegotiation.accept(ExtensionHeader.parse(List.of(header)), options).map(DeflateNegotiation.Agreement::parameters);
    }

    @Test
    void aPlainOfferIsAnsweredWithOurPreferences() {
        assertEquals(Optional.of("permessage-deflate"), answer("permessage-deflate", TAKEOVER));
        assertEquals(Optional.of(DeflateParameters.PLAIN), agreed("permessage-deflate", TAKEOVER));
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
            answer("permessage-deflate", DeflateOptions.DEFAULTS));
    }

    @Test  // §7.1.1: the client's no-context requests are granted
    void contextTakeoverParameters() {
        assertEquals(Optional.of("permessage-deflate; server_no_context_takeover"), answer("permessage-deflate; server_no_context_takeover", TAKEOVER));
        assertEquals(Optional.of("permessage-deflate; client_no_context_takeover"), answer("permessage-deflate; client_no_context_takeover", TAKEOVER));
        assertEquals(Optional.of(new DeflateParameters(true, true, 15, 15)),
            agreed("permessage-deflate; client_no_context_takeover; server_no_context_takeover", TAKEOVER));
    }

    @Test  // §7.1.2.1: java.util.zip compresses with 15 bits only, so a smaller server window is declined
    void serverWindowsBelowFifteenBitsAreDeclined() {
        for (int bits = 8; bits < 15; bits++) assertEquals(Optional.empty(), answer("permessage-deflate; server_max_window_bits=" + bits, TAKEOVER));
        assertEquals(Optional.of("permessage-deflate; server_max_window_bits=15"), answer("permessage-deflate; server_max_window_bits=15", TAKEOVER));
        // §5: the next offer is considered: browsers list a fallback after a demanding offer
        assertEquals(Optional.of("permessage-deflate; client_no_context_takeover"),
            answer("permessage-deflate; server_max_window_bits=10, permessage-deflate; client_no_context_takeover", TAKEOVER));
    }

    @Test  // §7.1.2.2: the client's window is its own business; any window inflates with 15 bits
    void clientWindowBits() {
        assertEquals(Optional.of("permessage-deflate"), answer("permessage-deflate; client_max_window_bits", TAKEOVER));
        assertEquals(Optional.of(new DeflateParameters(false, false, 15, 9)), agreed("permessage-deflate; client_max_window_bits=9", TAKEOVER));
        assertEquals(Optional.of(new DeflateParameters(false, false, 15, 12)), agreed("permessage-deflate; client_max_window_bits=\"12\"", TAKEOVER));
    }

    @Test  // §5: unknown, repeated or invalid parameters decline the offer
    void badOffersAreDeclined() {
        for (String offer : new String[] {"permessage-deflate; foo", "permessage-deflate; server_no_context_takeover=yes",
                                          "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                                          "permessage-deflate; server_max_window_bits", "permessage-deflate; server_max_window_bits=015",
                                          "permessage-deflate; client_max_window_bits=16", "permessage-deflate; client_max_window_bits=7",
                                          "x-webkit-deflate-frame", "deflate-frame"}) {
            assertEquals(Optional.empty(), answer(offer, TAKEOVER), offer);
        }
        assertEquals(Optional.of("permessage-deflate"), answer("PerMessage-Deflate; Client_Max_Window_Bits", TAKEOVER));
    }

    @Test  // RFC 6455 §9.1 syntax, with RFC 9110's optional whitespace and empty list elements
    void headerSyntax() {
        var parsed = ExtensionHeader.parse(List.of(" a ; b = c ;d=\"e\\f\" , ,g", "h"));
        assertEquals(List.of(
            new ExtensionHeader.Extension("a", List.of(new ExtensionHeader.Param("b", "c"), new ExtensionHeader.Param("d", "ef"))),
            new ExtensionHeader.Extension("g", List.of()), new ExtensionHeader.Extension("h", List.of())), parsed);
        for (String bad : new String[] {"a;", "a; =1", "a; b=\"c d\"", "a; b=\"open", "a b", ";a", "a; b=", "a, {b}"}) {
            assertThrows(IllegalArgumentException.class, () -> ExtensionHeader.parse(List.of(bad)), bad);
        }
    }
}
