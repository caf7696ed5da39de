package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request that opened a session, as the upper layers expose it ({@code socket.handshake}).
 *
 * <p>Kept for the whole life of the session, and read rarely (by middlewares, fetchSockets), so it
 * is stored packed: the URL, the client's address and the headers (lower-case names, repeated
 * headers joined with {@code ", "}, as Node does) as one byte array of length-prefixed UTF-8
 * strings, decoded on each read; the query is parsed from the URL on demand. A String costs 40
 * bytes of headers and padding before its characters, and a WebSocket handshake carries a dozen
 * of them; packed, the whole request is one array of about its own length.
 */
public final class Handshake {

    /** url, address, name0, value0, name1, value1, ...: each a varint byte length then UTF-8. */
    private final byte[] packed;
    private final long issuedAt;
    private final boolean secure;

    Handshake(HttpHeaders requestHeaders, String address, String url, long issuedAt, boolean secure) {
        this.packed = pack(url, address, requestHeaders);
        this.issuedAt = issuedAt;
        this.secure = secure;
    }

    private static byte[] pack(String url, String address, HttpHeaders requestHeaders) {
        List<String> flat = new ArrayList<>(requestHeaders.size() * 2);
        for (Map.Entry<String, String> header : requestHeaders) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            int existing = indexOf(flat, name);
            if (existing >= 0) {
                flat.set(existing + 1, flat.get(existing + 1) + ", " + header.getValue());
            } else {
                flat.add(name);
                flat.add(header.getValue());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(url.length() + address.length() + 32 * flat.size());
        write(out, url);
        write(out, address);
        for (String s : flat) {
            write(out, s);
        }
        return out.toByteArray();
    }

    private static int indexOf(List<String> flat, String name) {
        for (int i = 0; i < flat.size(); i += 2) {
            if (flat.get(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int length = bytes.length;
        while (length >= 0x80) {
            out.write((length & 0x7f) | 0x80);
            length >>>= 7;
        }
        out.write(length);
        out.write(bytes, 0, bytes.length);
    }

    /** The position of the string after the one at {@code position}. */
    private int skip(int position) {
        int length = 0;
        int shift = 0;
        byte b;
        do {
            b = packed[position++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return position + length;
    }

    /** The string at {@code position}. */
    private String decode(int position) {
        int length = 0;
        int shift = 0;
        byte b;
        do {
            b = packed[position++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return new String(packed, position, length, StandardCharsets.UTF_8);
    }

    /** The position of the first header name: after the URL and the address. */
    private int headersStart() {
        return skip(skip(0));
    }

    /** The value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (int position = headersStart(); position < packed.length; ) {
            int value = skip(position);
            if (decode(position).equalsIgnoreCase(name)) {
                return decode(value);
            }
            position = skip(value);
        }
        return null;
    }

    /** All headers, names in lower case, in request order. */
    public Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int position = headersStart(); position < packed.length; ) {
            int value = skip(position);
            map.put(decode(position), decode(value));
            position = skip(value);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The query parameters. */
    public Map<String, List<String>> query() {
        return new QueryStringDecoder(url()).parameters();
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The client's IP address. */
    public String address() {
        return decode(skip(0));
    }

    /** The request URI. */
    public String url() {
        return decode(0);
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
