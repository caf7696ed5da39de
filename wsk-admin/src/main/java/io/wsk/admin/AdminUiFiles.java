package io.wsk.admin;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.wsk.http.HttpEndpoint;
import io.wsk.http.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin UI itself: the built files of the npm package {@code @socket.io/admin-ui}
 * ({@link #PACKAGE_VERSION}, MIT, its license at {@code LICENSE}), served below a prefix such as
 * {@code /admin/}, so that no hosted page is needed. Mount it with
 * {@code http.routePrefix("/admin/", files)} and {@code http.route("/admin", files)} (which
 * redirects). Files are read once, at start; only the files the packages have are served.
 *
 * <p>The page loads its icon font from a CDN ({@code @mdi/font@latest} on jsDelivr). So that it
 * shows its icons where nodes and operators have no Internet access too, the font is served here
 * as well ({@code @mdi/font} {@link #ICONS_VERSION}, its license at {@code mdi/LICENSE}), and the
 * page's link points to it: the one change made to the package's files, done as they are served.
 */
public final class AdminUiFiles implements HttpEndpoint {

    /** The npm package the files come from; {@code AdminUiFilesTest} checks they are its own. */
    public static final String PACKAGE_VERSION = "0.5.1";
    /** The npm package {@code @mdi/font} the icon font comes from. */
    public static final String ICONS_VERSION = "7.4.47";
    static final String CDN_ICONS = "https://cdn.jsdelivr.net/npm/@mdi/font@latest/css/materialdesignicons.min.css";
    static final List<String> ICON_FILES = List.of("mdi/LICENSE", "mdi/css/materialdesignicons.min.css",
            "mdi/fonts/materialdesignicons-webfont.woff2");

    private static final String ROOT = "/io/wsk/admin/ui/";
    private static final String ICONS_ROOT = "/io/wsk/admin/";
    private static final String INDEX = "index.html";

    private final String prefix;
    private final Map<String, byte[]> files = new HashMap<>();

    /** {@code prefix}: where the UI lives, ending with '/', e.g. {@code /admin/}. */
    public AdminUiFiles(String prefix) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("the admin UI prefix must start and end with '/': " + prefix);
        }
        this.prefix = prefix;
        for (String name : new String(read(ROOT, "files.txt"), StandardCharsets.UTF_8).split("\n")) {
            if (!name.isBlank()) {
                files.put(name.trim(), read(ROOT, name.trim()));
            }
        }
        for (String name : ICON_FILES) {
            files.put(name, read(ICONS_ROOT, name));
        }
        String index = new String(files.get(INDEX), StandardCharsets.UTF_8);
        if (!index.contains(CDN_ICONS)) {
            throw new IllegalStateException("the admin UI page no longer links " + CDN_ICONS);
        }
        files.put(INDEX, index.replace(CDN_ICONS, "mdi/css/materialdesignicons.min.css").getBytes(StandardCharsets.UTF_8));
    }

    /** The names of the files served, relative to the prefix. */
    public Set<String> names() {
        return Collections.unmodifiableSet(files.keySet());
    }

    private static byte[] read(String root, String name) {
        try (InputStream in = AdminUiFiles.class.getResourceAsStream(root + name)) {
            if (in == null) {
                throw new IllegalStateException("missing admin UI file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (!HttpMethod.GET.equals(exchange.method()) && !HttpMethod.HEAD.equals(exchange.method())) {
            exchange.respondText(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", null);
            return;
        }
        String path = exchange.path();
        if (!path.startsWith(prefix)) {
            // "/admin" without its slash: the page's relative links need the directory form.
            exchange.respondEmpty(HttpResponseStatus.MOVED_PERMANENTLY, h -> h.set(HttpHeaderNames.LOCATION, prefix));
            return;
        }
        String name = path.substring(prefix.length());
        if (name.isEmpty()) {
            name = INDEX;
        }
        byte[] content = files.get(name);
        if (content == null) {
            exchange.respondText(HttpResponseStatus.NOT_FOUND, "Not Found", null);
            return;
        }
        // Names with a content hash never change; the page that names them may.
        String cache = name.startsWith("js/") || name.startsWith("css/") || name.startsWith("img/")
                || name.startsWith("mdi/css/") || name.startsWith("mdi/fonts/")
                ? "public, max-age=31536000, immutable" : "no-cache";
        exchange.respond(HttpResponseStatus.OK, contentType(name), Unpooled.wrappedBuffer(content),
                h -> h.set(HttpHeaderNames.CACHE_CONTROL, cache).set("x-content-type-options", "nosniff"));
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=UTF-8";
        } else if (name.endsWith(".js")) {
            return "application/javascript; charset=UTF-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=UTF-8";
        } else if (name.endsWith(".png")) {
            return "image/png";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (name.endsWith(".woff2")) {
            return "font/woff2";
        }
        return "text/plain; charset=UTF-8";
    }
}
