package io.wsk.client;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cookies the server (or a load balancer in front of it) set, sent back with every later
 * request of the same client: what the JS client does in Node with {@code withCredentials}.
 * HAProxy's sticky sessions need it: it inserts a cookie naming the node of the first polling
 * request, and without it the next polling request may go to a node that knows nothing of the
 * session ("Session ID unknown"). One server per client, so domain and path are not looked at;
 * a cookie with {@code Max-Age=0} is removed. At most {@link #MAX_COOKIES} (RFC 6265's minimum
 * a client should keep per domain): a server sending a new name with every response cannot grow
 * the jar, or every request's header, without end; past it the oldest goes. I/O thread only.
 */
final class CookieJar {

    static final int MAX_COOKIES = 50;

    private final Map<String, Cookie> cookies = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cookie> eldest) {
            return size() > MAX_COOKIES;
        }
    };

    /** Keeps the {@code Set-Cookie}s of a response. */
    void store(HttpHeaders response) {
        for (String header : response.getAll(HttpHeaderNames.SET_COOKIE)) {
            Cookie cookie = ClientCookieDecoder.LAX.decode(header);
            if (cookie == null) {
                continue;
            }
            if (cookie.maxAge() == 0) {
                cookies.remove(cookie.name());
            } else {
                cookies.put(cookie.name(), cookie);
            }
        }
    }

    /** Sets the {@code Cookie} header of a request, when there is any cookie. */
    void addTo(HttpHeaders request) {
        if (!cookies.isEmpty()) {
            request.set(HttpHeaderNames.COOKIE, ClientCookieEncoder.LAX.encode(cookies.values()));
        }
    }
}
