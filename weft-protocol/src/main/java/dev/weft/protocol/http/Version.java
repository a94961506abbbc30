package dev.weft.protocol.http;

/** The HTTP versions Weft speaks. */
public enum Version {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    Version(String text) { this.text = text; }

    /** The version as it appears on the wire, e.g. {@code HTTP/1.1}. */
    public String text() { return text; }

    @Override public String toString() { return text; }
}
