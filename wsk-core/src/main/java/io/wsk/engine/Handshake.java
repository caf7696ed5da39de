package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request that opened a session, as the upper layers expose it ({@code socket.handshake}).
 *
 * <p>Kept for the whole life of the session, so it is stored compactly: the headers as one flat
 * array of lower-case names and values (repeated headers joined with {@code ", "}, as Node does),
 * the query as the raw URL, parsed on demand. That is a few hundred bytes per idle session instead
 * of Netty's header table and a map of lists.
 */
public final class Handshake {

    /** name0, value0, name1, value1, ... */
    private final String[] headers;
    private final String address;
    private final String url;
    private final long issuedAt;
    private final boolean secure;

    Handshake(HttpHeaders requestHeaders, String address, String url, long issuedAt, boolean secure) {
        this.headers = flatten(requestHeaders);
        this.address = address;
        this.url = url;
        this.issuedAt = issuedAt;
        this.secure = secure;
    }

    private static String[] flatten(HttpHeaders requestHeaders) {
        List<String> flat = new ArrayList<>(requestHeaders.size() * 2);
        for (Map.Entry<String, String> header : requestHeaders) {
            // Interned: every session carries the same dozen names (host, user-agent, ...).
            String name = header.getKey().toLowerCase(Locale.ROOT).intern();
            int existing = indexOf(flat, name);
            if (existing >= 0) {
                flat.set(existing + 1, flat.get(existing + 1) + ", " + header.getValue());
            } else {
                flat.add(name);
                flat.add(header.getValue());
            }
        }
        return flat.toArray(new String[0]);
    }

    private static int indexOf(List<String> flat, String name) {
        for (int i = 0; i < flat.size(); i += 2) {
            if (flat.get(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    /** All headers, names in lower case, in request order. */
    public Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The query parameters. */
    public Map<String, List<String>> query() {
        return new QueryStringDecoder(url).parameters();
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The client's IP address. */
    public String address() {
        return address;
    }

    /** The request URI. */
    public String url() {
        return url;
    }

    /** When the session opened, in epoch milliseconds. */
    public long issuedAt() {
        return issuedAt;
    }

    /** Whether the connection used TLS. */
    public boolean secure() {
        return secure;
    }
}
