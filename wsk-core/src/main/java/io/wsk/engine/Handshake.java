package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request that opened a session, as the upper layers expose it ({@code socket.handshake}).
 *
 * <p>Kept for the whole life of the session, and read rarely (by middlewares, fetchSockets), so it
 * is stored packed: the URL, the client's address and the headers (lower-case names, repeated
 * headers joined with {@code ", "}, as Node does) in one byte array of length-prefixed UTF-8
 * strings, decoded on each read; the query is parsed from the URL on demand. A String costs 40
 * bytes of headers and padding before its characters, and a WebSocket handshake carries a dozen
 * of them; packed, the whole request is one array of about its own length. The strings most
 * requests carry (common header names and values, the default WebSocket URL) take one byte: their
 * index in {@link #COMMON}.
 */
public final class Handshake {

    /** Strings most handshakes carry, stored as their index: at most 64, so one byte each. */
    private static final String[] COMMON = {
            // names
            "host", "connection", "upgrade", "sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol", "origin", "user-agent", "accept",
            "accept-encoding", "accept-language", "cache-control", "pragma", "cookie", "authorization",
            "referer", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-real-ip", "forwarded", "via", "content-type", "content-length", "sec-fetch-dest",
            "sec-fetch-mode", "sec-fetch-site", "sec-ch-ua-mobile", "sec-ch-ua-platform", "dnt",
            // values
            "websocket", "Upgrade", "upgrade", "keep-alive", "keep-alive, Upgrade", "13",
            "permessage-deflate; client_max_window_bits", "gzip, deflate, br", "gzip, deflate",
            "gzip, deflate, br, zstd", "no-cache", "*/*", "same-origin", "same-site", "cross-site", "empty",
            "?0", "1", "http", "https", "\"Windows\"", "\"macOS\"", "\"Linux\"", "\"Android\"",
            // urls and addresses
            "/socket.io/?EIO=4&transport=websocket", "127.0.0.1", "::1", "::ffff:127.0.0.1"};
    private static final Map<String, Integer> COMMON_INDEX = new HashMap<>();

    static {
        for (int i = 0; i < COMMON.length; i++) {
            COMMON_INDEX.put(COMMON[i], i);
        }
    }

    /** The first byte of {@link #packed}: 1 when the connection used TLS, else 0. */
    private static final int SECURE = 1;
    /** Where the strings start in {@link #packed}. */
    private static final int STRINGS = 1;

    /**
     * The TLS flag (a byte of its own here rather than a field, which would cost 8 bytes of
     * padding), then url, address, name0, value0, name1, value1, ...: each a varint,
     * {@code index << 1 | 1} for a string of {@link #COMMON}, else {@code length << 1} followed by
     * the UTF-8 bytes.
     */
    private final byte[] packed;
    private final long issuedAt;

    Handshake(HttpHeaders requestHeaders, String address, String url, long issuedAt, boolean secure) {
        this.packed = pack(secure, url, address, requestHeaders);
        this.issuedAt = issuedAt;
    }

    private static byte[] pack(boolean secure, String url, String address, HttpHeaders requestHeaders) {
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
        out.write(secure ? SECURE : 0);
        write(out, url);
        write(out, address);
        for (String string : flat) {
            write(out, string);
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
        Integer common = COMMON_INDEX.get(s);
        if (common != null) {
            writeVarint(out, common << 1 | 1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, bytes.length << 1);
        out.write(bytes, 0, bytes.length);
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7f) != 0) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** The varint at {@code position}. */
    private int varint(int position) {
        int value = 0;
        int shift = 0;
        byte b;
        do {
            b = packed[position++];
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return value;
    }

    /** The position after the varint at {@code position}. */
    private int afterVarint(int position) {
        while (packed[position++] < 0) {
            // continuation bytes
        }
        return position;
    }

    /** The string at {@code position}. */
    private String string(int position) {
        int code = varint(position);
        return (code & 1) != 0 ? COMMON[code >>> 1]
                : new String(packed, afterVarint(position), code >>> 1, StandardCharsets.UTF_8);
    }

    /** The position after the string at {@code position}. */
    private int skip(int position) {
        int code = varint(position);
        return afterVarint(position) + ((code & 1) != 0 ? 0 : code >>> 1);
    }

    /** The position of the first header name: after the URL and the address. */
    private int headersStart() {
        return skip(skip(STRINGS));
    }

    /** The value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (int position = headersStart(); position < packed.length; ) {
            int value = skip(position);
            if (string(position).equalsIgnoreCase(name)) {
                return string(value);
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
            map.put(string(position), string(value));
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
        return string(skip(STRINGS));
    }

    /** The request URI. */
    public String url() {
        return string(STRINGS);
    }

    /** When the session opened, in epoch milliseconds. */
    public long issuedAt() {
        return issuedAt;
    }

    /** Whether the connection used TLS. */
    public boolean secure() {
        return (packed[0] & SECURE) != 0;
    }
}
