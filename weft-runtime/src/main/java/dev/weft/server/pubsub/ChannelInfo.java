package dev.weft.server.pubsub;

import dev.weft.pubsub.TopicInfo;

/**
 * Nchan's channel info (docs/NCHAN.md N8), in the format its Accept rule picks (N9), byte for
 * byte: lines end in CRLF and only YAML ends with one; JSON has a space before its closing brace.
 */
enum ChannelInfo {
    PLAIN("text/plain"),
    JSON("text/json"),
    XML("text/xml"),
    YAML("text/yaml");

    final String contentType;

    ChannelInfo(String contentType) { this.contentType = contentType; }

    /**
     * The format for an Accept value (N9): items left to right, q-values ignored; the first whose
     * type is {@code text/} or {@code application/} with a subtype starting {@code plain},
     * {@code json}, {@code x-json}, {@code yaml}, {@code x-yaml} or {@code xml} decides; else plain.
     */
    static ChannelInfo forAccept(String accept) {
        if (accept == null) return PLAIN;
        for (String item : accept.split(",", 64)) {
            String t = item.strip();
            int slash = t.indexOf('/');
            if (slash < 0) continue;
            String type = t.substring(0, slash);
            if (!type.equalsIgnoreCase("text") && !type.equalsIgnoreCase("application")) continue;
            String sub = t.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            if (sub.startsWith("plain")) return PLAIN;
            if (sub.startsWith("json") || sub.startsWith("x-json")) return JSON;
            if (sub.startsWith("yaml") || sub.startsWith("x-yaml")) return YAML;
            if (sub.startsWith("xml")) return XML;
        }
        return PLAIN;
    }

    /**
     * The info text. {@code subscribers} is passed apart, since a publish answers with the count
     * its message reached; {@code nowMillis} dates "requested".
     */
    String render(TopicInfo info, int subscribers, long nowMillis) {
        int messages = info.messages();
        long requested = info.lastSubscribeMillis() < 0 ? -1 : Math.max(0, (nowMillis - info.lastSubscribeMillis()) / 1000);
        String id = info.lastSeconds() + ":" + info.lastTag();
        return switch (this) {
            case PLAIN -> "queued messages: " + messages + "\r\nlast requested: " + requested + " sec. ago\r\nactive subscribers: "
                    + subscribers + "\r\nlast message id: " + id;
            case JSON -> "{\"messages\": " + messages + ", \"requested\": " + requested + ", \"subscribers\": " + subscribers
                    + ", \"last_message_id\": \"" + id + "\" }";
            case XML -> "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\r\n<channel>\r\n  <messages>" + messages
                    + "</messages>\r\n  <requested>" + requested + "</requested>\r\n  <subscribers>" + subscribers
                    + "</subscribers>\r\n  <last_message_id>" + id + "</last_message_id>\r\n</channel>";
            case YAML -> "---\r\nmessages: " + messages + "\r\nrequested: " + requested + "\r\nsubscribers: " + subscribers
                    + "\r\nlast_message_id: \"" + id + "\"\r\n\r\n";
        };
    }
}
