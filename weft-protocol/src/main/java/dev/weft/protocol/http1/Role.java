package dev.weft.protocol.http1;

/** Which side of the connection a codec serves: a server parses requests, a client responses. */
public enum Role { SERVER, CLIENT }
