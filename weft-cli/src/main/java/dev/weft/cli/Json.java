package dev.weft.cli;

/** The little JSON the demo writes: strings escaped per RFC 8259 §7. */
final class Json {
    private Json() {}

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));   // '<' too: the JSON may land in HTML
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
