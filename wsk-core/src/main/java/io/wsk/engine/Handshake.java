package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Map;

/**
 * The request that opened a session, as the upper layers expose it ({@code socket.handshake}).
 *
 * @param headers   the request headers
 * @param query     the query parameters
 * @param address   the client's IP address
 * @param url       the request URI
 * @param issuedAt  when the session opened, in epoch milliseconds
 * @param secure    whether the connection used TLS
 */
public record Handshake(HttpHeaders headers, Map<String, List<String>> query, String address, String url,
                        long issuedAt, boolean secure) {
}
